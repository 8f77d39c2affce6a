package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.scaling.CriticalBatchFit;
import frugal.scaling.CriticalBatchPoint;
import frugal.scaling.LossNsFit;
import frugal.scaling.RunTable;
import frugal.scaling.ScalingLawFit;
import java.util.List;

/**
 * The paper's estimation procedure ({@link ScalingLawFit#fit}) with its refinement repeated until the constants
 * settle. {@code ScalingLawFit} refines once: {@code L(N, S_min)} with each large-batch step converted to
 * {@code S_min = S / (1 + B_crit(L)/B)}, then {@code B_crit} against that. When the "large" batch is near the
 * critical batch (what a CPU budget affords) one round leaves {@code B_crit} biased low, because the first
 * {@code L(N, S_min)} took {@code S} for {@code S_min}; the true constants are a fixed point of the two steps, so
 * the rounds are repeated until {@code B_star}, {@code alpha_B}, {@code S_c} and {@code alpha_S} move by less than
 * {@value #TOLERANCE} (relative).
 */
public final class IteratedFit {
    /** Relative change of every constant below which the rounds stop. */
    public static final double TOLERANCE = 1e-4;
    /** The most rounds; an error beyond, naming the last change. */
    public static final int MAX_ROUNDS = 100;

    private IteratedFit() {}

    /** Fits {@code largeBatch} (the ladder) and {@code batchSweep}, refining to a fixed point. */
    public static ScalingLawFit fit(RunTable largeBatch, RunTable batchSweep) {
        double[] levels = CriticalBatchFit.lossLevels(batchSweep, CriticalBatchFit.DEFAULT_LOSS_LEVELS);
        LossNsFit lossNs = LossNsFit.fit(largeBatch);
        List<CriticalBatchPoint> points = CriticalBatchFit.estimate(batchSweep, lossNs, levels);
        CriticalBatchFit criticalBatch = CriticalBatchFit.fit(points);
        double change = Double.POSITIVE_INFINITY;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LossNsFit refined = LossNsFit.fit(largeBatch, criticalBatch);
            List<CriticalBatchPoint> refinedPoints = CriticalBatchFit.estimate(batchSweep, refined, levels);
            CriticalBatchFit refinedBatch = CriticalBatchFit.fit(refinedPoints);
            change = Math.max(Math.max(relative(refinedBatch.bStar().value(), criticalBatch.bStar().value()),
                    relative(refinedBatch.alphaB().value(), criticalBatch.alphaB().value())),
                    Math.max(relative(refined.sC().value(), lossNs.sC().value()),
                            relative(refined.alphaS().value(), lossNs.alphaS().value())));
            lossNs = refined;
            points = refinedPoints;
            criticalBatch = refinedBatch;
            if (change < TOLERANCE) {
                return new ScalingLawFit(lossNs, criticalBatch, points);
            }
        }
        throw new FrugalException("the refinement of L(N, S_min) and B_crit(L) did not settle in " + MAX_ROUNDS
                + " rounds (last relative change " + change + "); the batch sweep may not constrain the critical"
                + " batch: add smaller batches, or a larger large batch");
    }

    private static double relative(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }
}
