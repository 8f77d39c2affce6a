package frugal.claims;

/** How a claim fared: judged on a full-budget run, or not judged because the run was too small. */
public enum Verdict {
    PASS,
    FAIL,
    NOT_JUDGED;

    /** The word shown in tables. */
    public String label() {
        return this == NOT_JUDGED ? "NOT JUDGED" : name();
    }
}
