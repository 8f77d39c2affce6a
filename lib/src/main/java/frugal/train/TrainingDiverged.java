package frugal.train;

import frugal.core.FrugalException;

/** The guard stopped training; the history up to the bad step is kept for plotting. */
public class TrainingDiverged extends FrugalException {
    private static final long serialVersionUID = 1L;

    private final transient History history;

    public TrainingDiverged(String message, History history) {
        super(message);
        this.history = history;
    }

    /** Steps recorded before training stopped, the bad one included. */
    public History history() {
        return history;
    }
}
