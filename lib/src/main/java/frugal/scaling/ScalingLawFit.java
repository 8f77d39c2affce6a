package frugal.scaling;

import java.util.List;

/**
 * The paper's estimation procedure end to end, from small runs: {@code L(N, S_min)} on large-batch runs,
 * {@code B_crit(L)} from a batch sweep measured against it, then one refinement of {@code L(N, S_min)} with
 * each step converted to {@code S_min = S / (1 + B_crit(L)/B)} (the large batch is never infinite) and of
 * {@code B_crit} against the refined fit. {@link #law()} makes the predictions.
 */
public record ScalingLawFit(LossNsFit lossNs, CriticalBatchFit criticalBatch, List<CriticalBatchPoint> points) {
    public ScalingLawFit {
        points = List.copyOf(points);
    }

    /**
     * Fits {@code largeBatch} (runs of several model sizes at a batch well above critical, warmup dropped)
     * and {@code batchSweep} (one or more sizes at several batches, which may include the large-batch runs).
     */
    public static ScalingLawFit fit(RunTable largeBatch, RunTable batchSweep) {
        double[] levels = CriticalBatchFit.lossLevels(batchSweep, CriticalBatchFit.DEFAULT_LOSS_LEVELS);
        LossNsFit first = LossNsFit.fit(largeBatch);
        CriticalBatchFit firstBatch = CriticalBatchFit.fit(CriticalBatchFit.estimate(batchSweep, first, levels));
        LossNsFit refined = LossNsFit.fit(largeBatch, firstBatch);
        List<CriticalBatchPoint> points = CriticalBatchFit.estimate(batchSweep, refined, levels);
        return new ScalingLawFit(refined, CriticalBatchFit.fit(points), points);
    }

    /** The law with the fitted point estimates. */
    public ScalingLaw law() {
        return ScalingLaw.of(lossNs, criticalBatch);
    }

    /** Both fits' tables and how many critical-batch points were usable. */
    public String summary() {
        long usable = points.stream().filter(CriticalBatchPoint::usable).count();
        return lossNs.summary() + criticalBatch.summary() + "  critical batch from " + usable + " of " + points.size()
                + " (run, loss level) points\n";
    }

    @Override
    public String toString() {
        return summary();
    }
}
