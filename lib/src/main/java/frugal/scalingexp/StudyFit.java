package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.scaling.CriticalBatchFit;
import frugal.scaling.LossNsFit;
import frugal.scaling.Observation;
import frugal.scaling.RunTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The constants of one setup, estimated step by step from small runs:
 * <ol>
 *   <li>{@code atLadderBatch}: {@code L(N, S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S} on the ladder, every size at one
 *       batch {@code ladderBatch} (the paper's step 2);
 *   <li>{@code levels}: the critical batch at each loss level of the batch sweep ({@link CriticalBatchEstimate});
 *   <li>{@code criticalBatch}: {@code B_crit(L) = B_star / L^(1/alpha_B)} through those levels (step 3).
 * </ol>
 * {@link #law()} joins them into predictions at any size and batch ({@link BatchAwareLaw}).
 */
public record StudyFit(LossNsFit atLadderBatch, CriticalBatchEstimate levels, CriticalBatchFit criticalBatch,
        double ladderBatch) {

    /** Fits the ladder (one batch, several sizes) and the batch sweep (one size, several batches). */
    public static StudyFit fit(RunTable ladder, RunTable batchSweep) {
        double[] batches = ladder.observations().stream().mapToDouble(Observation::batch).distinct().toArray();
        if (batches.length != 1) {
            throw new FrugalException("StudyFit: the ladder's runs must share one batch, found "
                    + java.util.Arrays.toString(batches) + "; put other batches in the batch sweep");
        }
        LossNsFit atLadderBatch = LossNsFit.fit(ladder);
        CriticalBatchEstimate levels = CriticalBatchEstimate.of(batchSweep, atLadderBatch);
        return new StudyFit(atLadderBatch, levels, levels.fit(), batches[0]);
    }

    /**
     * The law refitted with each size of {@code ladder} left out in turn (the batch sweep kept whole): the jackknife
     * of {@link PredictionSpread}. A size whose absence leaves a fit that does not converge is skipped, so the list
     * may be shorter than the ladder.
     */
    public static List<BatchAwareLaw> leaveOneSizeOut(Runs ladder, RunTable batchSweep, long fromTokens) {
        List<BatchAwareLaw> laws = new ArrayList<>();
        for (RunSpec out : ladder.specs()) {
            List<RunSpec> kept = ladder.specs().stream().filter(s -> !s.equals(out)).toList();
            try {
                laws.add(fit(ladder.only(kept).table(fromTokens), batchSweep).law());
            } catch (FrugalException e) {
                // a 4-size ladder the fit cannot describe says nothing about the spread of the others
            }
        }
        return List.copyOf(laws);
    }

    /** The critical batch measured at {@code loss} on {@code batchSweep} alone ({@link CriticalBatchEstimate#atLevel}). */
    public CriticalBatchEstimate.Level levelAt(RunTable batchSweep, double loss) {
        return CriticalBatchEstimate.atLevel(batchSweep, atLadderBatch, loss);
    }

    /** The law with every constant, for predictions at any size and batch. */
    public BatchAwareLaw law() {
        return new BatchAwareLaw(atLadderBatch, criticalBatch, ladderBatch);
    }

    /** Whether the sweep's critical batch did not fall with the loss, so a constant stands in for B_crit(L). */
    public boolean constantCriticalBatch() {
        return criticalBatch.alphaB().value() == CriticalBatchEstimate.CONSTANT_ALPHA_B;
    }

    /** The steps of the procedure with their constants. */
    public String summary() {
        String constant = !levels.determined() ? "; too few levels for a trend: a constant critical batch of "
                + String.format(Locale.ROOT, "%.3g", criticalBatch.bStar().value()) + " stands in"
                : constantCriticalBatch() ? String.format(Locale.ROOT, "; B_crit does not fall with L, so a constant"
                + " critical batch of %.0f stands in", criticalBatch.bStar().value()) : "";
        String trend = String.format(Locale.ROOT, "log B_crit against log L over %d levels: slope %.3g +- %.2g"
                + " (95%%)%s%n", levels.losses().length, levels.slope(), levels.slopeHalfWidth95(), constant);
        return String.format(Locale.ROOT, "step 2, the ladder at its batch of %.0f tokens:%n", ladderBatch)
                + atLadderBatch.summary() + "step 3, critical batch from the sweep: " + trend
                + (constantCriticalBatch() ? "" : criticalBatch.summary());
    }

    @Override
    public String toString() {
        return summary();
    }
}
