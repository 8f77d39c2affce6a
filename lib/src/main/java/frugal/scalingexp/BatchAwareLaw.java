package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.scaling.CriticalBatchFit;
import frugal.scaling.LossNsFit;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.exception.MathIllegalStateException;

/**
 * The study's law: {@code L(N, S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S} fitted on the ladder at its batch
 * {@code B0} (step 2), carried to any batch {@code B} by the critical batch (step 3). A run at batch {@code B} reaches
 * loss {@code L} after {@code S_min (1 + B_crit(L)/B)} steps, so the steps at two batches relate as
 * <pre>  S_B = S_B0 (1 + B_crit(L)/B) / (1 + B_crit(L)/B0).</pre>
 * The paper reads step 2's {@code S} as {@code S_min}, which needs {@code B0} far above critical; this reads it as what
 * it is, the steps at {@code B0}, and needs nothing of {@code B0}. At {@code B = B0} it is the step-2 fit itself.
 *
 * @param atLadderBatch {@code L(N, S)} with {@code S} the steps at {@code ladderBatch}
 * @param criticalBatch {@code B_crit(L)}, in tokens
 * @param ladderBatch {@code B0}, in tokens
 */
public record BatchAwareLaw(LossNsFit atLadderBatch, CriticalBatchFit criticalBatch, double ladderBatch) {
    private static final double RELATIVE_ACCURACY = 1e-12;
    private static final int MAX_EVALUATIONS = 500;
    /** How far above the converged loss the solve looks for the loss after a number of steps. */
    private static final double UPPER_FACTOR = 1e3;

    public BatchAwareLaw {
        if (!(ladderBatch > 0) || !Double.isFinite(ladderBatch)) {
            throw new FrugalException("BatchAwareLaw: ladder batch " + ladderBatch + " must be finite and > 0");
        }
    }

    /** {@code L(N)}: the loss a model of {@code params} non-embedding parameters converges to, at any batch. */
    public double convergedLoss(double params) {
        return atLadderBatch.convergedLoss(params);
    }

    /** {@code B_crit(L)} in tokens. */
    public double criticalBatch(double loss) {
        return criticalBatch.predict(loss);
    }

    /** Steps at {@code batch} to reach {@code loss}; an error when the loss is at or below {@code L(N)}. */
    public double stepsToLoss(double params, double loss, double batch) {
        double bCrit = criticalBatch(loss);
        return atLadderBatch.minSteps(params, loss) * (1 + bCrit / batch) / (1 + bCrit / ladderBatch);
    }

    /**
     * The loss after {@code steps} steps at {@code batch}: the {@code L} whose {@link #stepsToLoss} is {@code steps}.
     * The steps fall as the target loss rises (both factors do, with a critical batch that falls with the loss), so
     * the root is unique; Brent's method finds it between {@code L(N)} and far above.
     */
    public double loss(double params, double steps, double batch) {
        double floor = convergedLoss(params);
        String problem = String.format("BatchAwareLaw.loss(N = %.4g, S = %.4g, B = %.4g)", params, steps, batch);
        if (!(steps > 0) || !(batch > 0)) {
            throw new FrugalException(problem + ": steps and batch must be > 0");
        }
        try {
            return new BrentSolver(RELATIVE_ACCURACY, RELATIVE_ACCURACY * floor).solve(MAX_EVALUATIONS,
                    l -> Math.log(stepsToLoss(params, l, batch) / steps), floor * (1 + 1e-12), floor * UPPER_FACTOR);
        } catch (MathIllegalStateException e) {
            throw new FrugalException(problem + ": no loss between L(N) = " + floor + " and " + floor * UPPER_FACTOR
                    + " takes that many steps (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #loss} at each of {@code steps}: a predicted validation-loss curve. */
    public double[] lossTrajectory(double params, double batch, long... steps) {
        double[] losses = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            losses[i] = loss(params, steps[i], batch);
        }
        return losses;
    }
}
