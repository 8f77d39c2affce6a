package frugal.core;

/** An error a user can act on: the message names what was wrong and how to fix it. */
public class FrugalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FrugalException(String message) {
        super(message);
    }

    public FrugalException(String message, Throwable cause) {
        super(message, cause);
    }
}
