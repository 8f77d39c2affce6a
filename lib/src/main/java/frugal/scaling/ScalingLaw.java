package frugal.scaling;

import frugal.core.FrugalException;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.exception.NoBracketingException;

/**
 * A complete scaling law for one setup and the predictions the paper makes from it, before training:
 * <ul>
 *   <li>{@code L(N) = (N_c/N)^alpha_N}: the loss a model converges to;
 *   <li>{@code L(N, S_min) = L(N) + (S_c/S_min)^alpha_S}: the loss after {@code S_min} steps at a batch far
 *       above critical;
 *   <li>{@code B_crit(L) = B_star / L^(1/alpha_B)}: the critical batch at loss {@code L};
 *   <li>{@code S = S_min (1 + B_crit/B)} and {@code E = E_min (1 + B/B_crit)}, hence
 *       {@code E_min = B_crit S_min}: steps and tokens at a finite batch {@code B};
 *   <li>{@code L(N, S, B)}: the loss trajectory at any batch, where {@code L} appears on both sides.
 * </ul>
 * Batches, {@code B_star} and tokens share one unit (tokens, or sequences); {@code N} counts non-embedding
 * parameters; losses are in nats.
 */
public record ScalingLaw(double nC, double alphaN, double sC, double alphaS, double bStar, double alphaB) {
    /** Relative accuracy of the trajectory solve; the solution is then checked against the equation. */
    private static final double RELATIVE_ACCURACY = 1e-13;
    private static final int MAX_EVALUATIONS = 500;

    public ScalingLaw {
        requireConstant("N_c", nC);
        requireConstant("alpha_N", alphaN);
        requireConstant("S_c", sC);
        requireConstant("alpha_S", alphaS);
        requireConstant("B_star", bStar);
        requireConstant("alpha_B", alphaB);
    }

    /** The law with the fitted constants' point estimates. */
    public static ScalingLaw of(LossNsFit lossNs, CriticalBatchFit criticalBatch) {
        return new ScalingLaw(lossNs.nC().value(), lossNs.alphaN().value(), lossNs.sC().value(),
                lossNs.alphaS().value(), criticalBatch.bStar().value(), criticalBatch.alphaB().value());
    }

    private static void requireConstant(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new FrugalException("ScalingLaw: " + name + " is " + value + "; every constant must be finite and > 0");
        }
    }

    /** {@code L(N)}: the loss a model of {@code params} non-embedding parameters converges to. */
    public double convergedLoss(double params) {
        return Laws.power(nC, requirePositive("params", params), alphaN);
    }

    /** {@code L(N, S_min)}: the loss after {@code minSteps} steps at a batch far above critical. */
    public double lossAtMinSteps(double params, double minSteps) {
        return convergedLoss(params) + Laws.power(sC, requirePositive("minSteps", minSteps), alphaS);
    }

    /** {@code B_crit(L)}: the critical batch at loss {@code loss}. */
    public double criticalBatch(double loss) {
        return Laws.criticalBatch(bStar, alphaB, requirePositive("loss", loss));
    }

    /** {@code S_min}: the fewest steps (at infinite batch) to reach {@code loss}; an error if unreachable. */
    public double minSteps(double params, double loss) {
        return Laws.minSteps(convergedLoss(params), sC, alphaS, params, loss);
    }

    /** {@code E_min = B_crit(L) S_min}: the fewest tokens (at a tiny batch) to reach {@code loss}. */
    public double minTokens(double params, double loss) {
        return criticalBatch(loss) * minSteps(params, loss);
    }

    /** {@code S = S_min (1 + B_crit(L)/B)}: steps at batch {@code batch} to reach {@code loss}. */
    public double stepsToLoss(double params, double loss, double batch) {
        return minSteps(params, loss) * (1 + criticalBatch(loss) / requirePositive("batch", batch));
    }

    /** {@code E = B S}: tokens at batch {@code batch} to reach {@code loss}, equal to {@code E_min (1 + B/B_crit)}. */
    public double tokensToLoss(double params, double loss, double batch) {
        return batch * stepsToLoss(params, loss, batch);
    }

    /**
     * {@code L(N, S, B)}: the loss after {@code steps} steps at batch {@code batch}, the solution of
     * {@code L = L(N) + (S_c (1 + B_crit(L)/B) / S)^alpha_S}. The right side {@code g(L)} falls as L rises,
     * so {@code L - g(L)} is increasing with exactly one root, bracketed by {@code [L(N), g(L(N))]}; a
     * bracketing solver (Brent) finds it where plain iteration {@code L <- g(L)} oscillates (early steps,
     * small batches, where {@code |g'| > 1}). The root is checked against the equation before it is returned.
     */
    public double loss(double params, double steps, double batch) {
        requirePositive("steps", steps);
        requirePositive("batch", batch);
        double converged = convergedLoss(params);
        double upper = fixedPointMap(converged, converged, steps, batch);
        String problem = String.format("ScalingLaw.loss(N = %.4g, S = %.4g, B = %.4g)", params, steps, batch);
        if (!Double.isFinite(upper)) {
            throw new FrugalException(problem + ": B_crit at the converged loss overflows; these constants do not"
                    + " describe a model this size: check N and the fitted range");
        }
        double loss;
        try {
            loss = new BrentSolver(RELATIVE_ACCURACY, RELATIVE_ACCURACY * converged).solve(MAX_EVALUATIONS,
                    l -> l - fixedPointMap(l, converged, steps, batch), converged, upper);
        } catch (NoBracketingException | MathIllegalStateException e) {
            throw new FrugalException(problem + ": the fixed-point solve did not converge (" + e.getMessage() + ")", e);
        }
        double residual = Math.abs(loss - fixedPointMap(loss, converged, steps, batch));
        if (!(residual <= 1e-9 * loss)) {
            throw new FrugalException(problem + ": the fixed-point solve stopped at L = " + loss + " with residual "
                    + residual + "; the constants are outside the range where the law can be solved");
        }
        return loss;
    }

    /** {@link #loss} at each of {@code steps}: the predicted test-loss curve of an unseen model and batch. */
    public double[] lossTrajectory(double params, double batch, long... steps) {
        double[] losses = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            losses[i] = loss(params, steps[i], batch);
        }
        return losses;
    }

    /** {@code g(L) = L(N) + (S_c (1 + B_crit(L)/B) / S)^alpha_S}, the right side of the trajectory equation. */
    double fixedPointMap(double loss, double convergedLoss, double steps, double batch) {
        return convergedLoss + Laws.power(sC * (1 + Laws.criticalBatch(bStar, alphaB, loss) / batch), steps, alphaS);
    }

    private static double requirePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new FrugalException("ScalingLaw: " + name + " is " + value + "; expected a finite number > 0");
        }
        return value;
    }

    @Override
    public String toString() {
        return String.format("ScalingLaw[N_c=%.4g, alpha_N=%.4g, S_c=%.4g, alpha_S=%.4g, B_star=%.4g, alpha_B=%.4g]",
                nC, alphaN, sC, alphaS, bStar, alphaB);
    }
}
