package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.scaling.CriticalBatchFit;
import frugal.scaling.GoodnessOfFit;
import frugal.scaling.LossNsFit;
import frugal.scaling.Parameter;
import frugal.scaling.RunTable;
import frugal.scaling.ScalingLaw;
import java.util.Locale;

/**
 * The constants of one setup, estimated step by step from small runs:
 * <ol>
 *   <li>{@code first}: {@code L(N, S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S} on the ladder, taking each step as
 *       {@code S_min} (the paper's step 2);
 *   <li>{@code levels}: the critical batch at each loss level of the batch sweep ({@link CriticalBatchEstimate});
 *   <li>{@code criticalBatch}: {@code B_crit(L) = B_star / L^(1/alpha_B)} through those levels (step 3);
 *   <li>{@code lossNs}: {@code L(N, S_min)} on the ladder again, each step converted to
 *       {@code S_min = S / (1 + B_crit(L)/B)}, since the ladder's batch is not far above critical.
 * </ol>
 * When the converted steps no longer fall as a power law (a critical batch that changes steeply with the loss,
 * extrapolated over the ladder's losses, can do that), the refit fails: {@code refitProblem} says why, and the law
 * keeps the step-2 constants with a vanishing critical batch ({@link #lawCriticalBatch}), which describes runs at the
 * ladder's own batch only.
 *
 * @param refitProblem why the refit failed, or null
 */
public record StudyFit(LossNsFit first, CriticalBatchEstimate levels, CriticalBatchFit criticalBatch,
        LossNsFit lossNs, String refitProblem) {

    /** Fits the ladder (one batch, several sizes) and the batch sweep (one size, several batches). */
    public static StudyFit fit(RunTable ladder, RunTable batchSweep) {
        LossNsFit first = LossNsFit.fit(ladder);
        CriticalBatchEstimate levels = CriticalBatchEstimate.of(batchSweep, first);
        CriticalBatchFit criticalBatch = levels.fit();
        try {
            return new StudyFit(first, levels, criticalBatch, LossNsFit.fit(ladder, criticalBatch), null);
        } catch (FrugalException e) {
            return new StudyFit(first, levels, criticalBatch, first, e.getMessage());
        }
    }

    /** The critical batch the law uses: the measured {@code B_crit(L)}, or a vanishing one when the refit failed. */
    public CriticalBatchFit lawCriticalBatch() {
        if (refitProblem == null) {
            return criticalBatch;
        }
        double b = CriticalBatchEstimate.VANISHING_CRITICAL_BATCH;
        return new CriticalBatchFit(new Parameter("B_star", b, 0, b, b), new Parameter("alpha_B", 1, 0, 1, 1),
                new GoodnessOfFit(0, 2, Double.NaN, Double.NaN));
    }

    /** The law with every constant, for predictions. */
    public ScalingLaw law() {
        return ScalingLaw.of(lossNs, lawCriticalBatch());
    }

    /**
     * The step-2 fit alone as a law: each step taken as {@code S_min}, i.e. a vanishing critical batch. It describes
     * runs at the ladder's own batch only, and serves as a comparison for what step 3 adds.
     */
    public ScalingLaw firstLaw() {
        return new ScalingLaw(first.nC().value(), first.alphaN().value(), first.sC().value(), first.alphaS().value(),
                CriticalBatchEstimate.VANISHING_CRITICAL_BATCH, 1);
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
        String refit = refitProblem == null ? lossNs.summary() : "  FAILED: " + refitProblem + "\n  so the law keeps"
                + " the step-2 constants with a vanishing critical batch (valid at the ladder's batch only)\n";
        return "step 2, each step taken as S_min:\n" + first.summary() + "step 3, critical batch from the sweep: "
                + trend + (constantCriticalBatch() ? "" : criticalBatch.summary())
                + "refit with S_min = S / (1 + B_crit(L) / B):\n" + refit;
    }

    @Override
    public String toString() {
        return summary();
    }
}
