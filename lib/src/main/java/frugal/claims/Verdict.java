package frugal.claims;

import java.util.List;

/**
 * How a claim fared: judged on a full-budget run, or not judged because the run was too small.
 * INCONCLUSIVE: the measured margin lies inside its own uncertainty (the interval over seeds reaches
 * both sides of the bar), so the run can say neither PASS nor FAIL.
 */
public enum Verdict {
    PASS,
    FAIL,
    INCONCLUSIVE,
    NOT_JUDGED;

    /** The word shown in tables. */
    public String label() {
        return this == NOT_JUDGED ? "NOT JUDGED" : name();
    }

    /**
     * A claim made of several parts that must all hold ("at every IPC"): FAIL if any part fails, PASS
     * only if every part passes, NOT JUDGED if any part was not judged, else INCONCLUSIVE.
     */
    public static Verdict all(List<Verdict> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a claim needs at least one part to judge");
        }
        if (parts.contains(NOT_JUDGED)) {
            return NOT_JUDGED;
        }
        if (parts.contains(FAIL)) {
            return FAIL;
        }
        return parts.stream().allMatch(v -> v == PASS) ? PASS : INCONCLUSIVE;
    }
}
