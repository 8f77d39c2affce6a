package frugal.scaling;

/**
 * One estimate of the critical batch, from run {@code run} (model size {@code params}, batch {@code batch})
 * reaching loss level {@code loss} after {@code steps} steps, where {@code L(N, S_min)} says {@code minSteps}
 * would do at infinite batch: {@code B_crit = B (S / S_min - 1)}. It is usable only when that is positive
 * and finite (noise can make a run look faster than the infinite-batch law allows).
 */
public record CriticalBatchPoint(String run, double params, double batch, double loss, double steps,
        double minSteps) {
    /** The least {@code S / S_min - 1} at which a point says something about the critical batch. */
    public static final double MIN_EXTRA_STEPS = 0.1;

    /** {@code B (S / S_min - 1)}, from {@code S = S_min (1 + B_crit / B)}. */
    public double criticalBatch() {
        return batch * (steps / minSteps - 1);
    }

    /** Whether this point can enter a fit in log space. */
    public boolean usable() {
        double extra = steps / minSteps - 1;
        return extra >= MIN_EXTRA_STEPS && Double.isFinite(extra);
    }
}
