package frugal.scaling;

import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The loss of a model of {@code N} non-embedding parameters after {@code S_min} steps (steps at a batch
 * far above the critical batch), {@code L(N, S_min) = (N_c/N)^alpha_N + (S_c/S_min)^alpha_S}, fitted jointly
 * on every (N, S_min, L) point by least squares on {@code log L}.
 */
public record LossNsFit(Parameter nC, Parameter alphaN, Parameter sC, Parameter alphaS, GoodnessOfFit quality) {
    private static final String NAME = "LossNsFit L(N,S_min) = (N_c/N)^alpha_N + (S_c/S_min)^alpha_S";
    /** Exponent grid for the start values: spans tiny char models to Kaplan's word-level constants. */
    private static final double[] START_EXPONENTS = geometric(0.01, 3, 40);

    /** Fits points (model size, steps at large batch, loss); {@code minSteps[i]} is {@code S_min} of point i. */
    public static LossNsFit fit(double[] params, double[] minSteps, double[] losses) {
        Laws.requireSameLength(NAME, "model sizes", params, "step counts", minSteps);
        Laws.requireSameLength(NAME, "model sizes", params, "losses", losses);
        Laws.requirePositive(NAME, "params", params);
        Laws.requirePositive(NAME, "minSteps", minSteps);
        Laws.requirePositive(NAME, "losses", losses);
        Laws.requireDistinct(NAME, "model sizes", params, 2,
                "to separate N_c and alpha_N from the step term: train more model sizes");
        Laws.requireDistinct(NAME, "step counts", minSteps, 2, "to fit the step term: record several steps per run");
        double[] logN = Laws.logs(params);
        double[] logS = Laws.logs(minSteps);
        double[] logL = Laws.logs(losses);
        double mN = Laws.mean(logN);
        double mS = Laws.mean(logS);
        double[] dN = Arrays.stream(logN).map(x -> x - mN).toArray();
        double[] dS = Arrays.stream(logS).map(x -> x - mS).toArray();
        // theta = (u, alpha_N, v, alpha_S): log L = log(exp(u - alpha_N dN) + exp(v - alpha_S dS)), with u, v
        // the logs of the two terms at the mean size / mean step: centring keeps the coordinates well scaled
        var solution = LogLeastSquares.fit(NAME, new String[] {"log N-term", "alpha_N", "log S-term", "alpha_S"},
                logL, (i, theta, grad) -> {
                    double modelTerm = Math.exp(theta[0] - theta[1] * dN[i]);
                    double stepTerm = Math.exp(theta[2] - theta[3] * dS[i]);
                    double loss = modelTerm + stepTerm;
                    grad[0] = modelTerm / loss;
                    grad[1] = -dN[i] * modelTerm / loss;
                    grad[2] = stepTerm / loss;
                    grad[3] = -dS[i] * stepTerm / loss;
                    return Math.log(loss);
                }, start(dN, dS, losses), 1, 3);
        double[] t = solution.theta();
        return new LossNsFit(
                solution.exp("N_c", mN + t[0] / t[1], new double[] {1 / t[1], -t[0] / (t[1] * t[1]), 0, 0}),
                solution.direct("alpha_N", 1),
                solution.exp("S_c", mS + t[2] / t[3], new double[] {0, 0, 1 / t[3], -t[2] / (t[3] * t[3])}),
                solution.direct("alpha_S", 3),
                solution.quality());
    }

    /**
     * Fits the runs of {@code table} taking each step as {@code S_min}: right when the runs used a batch far
     * above the critical batch (drop warmup first, {@link RunTable#fromStep}).
     */
    public static LossNsFit fit(RunTable table) {
        return fit(table, Observation::step);
    }

    /**
     * Fits the runs of {@code table} after converting each step to the steps at infinite batch,
     * {@code S_min = S / (1 + B_crit(L) / B)}, with the critical batch from {@code criticalBatch}.
     */
    public static LossNsFit fit(RunTable table, CriticalBatchFit criticalBatch) {
        return fit(table, o -> o.step() / (1 + criticalBatch.predict(o.loss()) / o.batch()));
    }

    private static LossNsFit fit(RunTable table, ToDoubleFunction<Observation> minSteps) {
        List<Observation> rows = table.observations();
        return fit(rows.stream().mapToDouble(Observation::params).toArray(),
                rows.stream().mapToDouble(minSteps).toArray(),
                rows.stream().mapToDouble(Observation::loss).toArray());
    }

    /**
     * Start values: for fixed exponents the law is linear in the two term sizes, so a grid over the
     * exponents with a (relative-error weighted) linear solve at each finds the basin of the global optimum
     * without a guess from the caller; Levenberg-Marquardt then refines all four coordinates.
     */
    private static double[] start(double[] dN, double[] dS, double[] losses) {
        double[][] modelTerms = relativeTerms(dN, losses);
        double[][] stepTerms = relativeTerms(dS, losses);
        double best = Double.POSITIVE_INFINITY;
        double[] start = null;
        for (int j = 0; j < START_EXPONENTS.length; j++) {
            double[] x = modelTerms[j];
            for (int k = 0; k < START_EXPONENTS.length; k++) {
                double[] y = stepTerms[k];
                double xx = 0, xy = 0, yy = 0, x1 = 0, y1 = 0;
                for (int i = 0; i < x.length; i++) {
                    xx += x[i] * x[i];
                    xy += x[i] * y[i];
                    yy += y[i] * y[i];
                    x1 += x[i];
                    y1 += y[i];
                }
                // minimise sum (a x_i + c y_i - 1)^2: the relative error of a N-term + c S-term against L
                double det = xx * yy - xy * xy;
                double a = (x1 * yy - y1 * xy) / det;
                double c = (y1 * xx - x1 * xy) / det;
                if (!(a > 0) || !(c > 0) || !Double.isFinite(a) || !Double.isFinite(c)) {
                    continue;
                }
                double cost = 0;
                for (int i = 0; i < x.length; i++) {
                    double r = Math.log(a * x[i] + c * y[i]);
                    cost += r * r;
                }
                if (cost < best) {
                    best = cost;
                    start = new double[] {Math.log(a), START_EXPONENTS[j], Math.log(c), START_EXPONENTS[k]};
                }
            }
        }
        if (start == null) {
            throw new FrugalException(NAME + ": no positive model term plus step term describes these losses;"
                    + " check that loss falls both with model size and with steps (drop warmup steps)");
        }
        return start;
    }

    /** {@code exp(-a d_i) / L_i} for every grid exponent a: a term of the law relative to the loss. */
    private static double[][] relativeTerms(double[] d, double[] losses) {
        double[][] terms = new double[START_EXPONENTS.length][d.length];
        for (int j = 0; j < START_EXPONENTS.length; j++) {
            for (int i = 0; i < d.length; i++) {
                terms[j][i] = Math.exp(-START_EXPONENTS[j] * d[i]) / losses[i];
            }
        }
        return terms;
    }

    private static double[] geometric(double from, double to, int count) {
        double[] values = new double[count];
        for (int k = 0; k < count; k++) {
            values[k] = from * Math.pow(to / from, k / (count - 1.0));
        }
        return values;
    }

    /** {@code L(N, S_min)}: the predicted loss after {@code minSteps} steps at a batch far above critical. */
    public double predict(double params, double minSteps) {
        return convergedLoss(params) + Laws.power(sC.value(), minSteps, alphaS.value());
    }

    /** {@code L(N) = (N_c/N)^alpha_N}: the loss the model approaches with unlimited steps. */
    public double convergedLoss(double params) {
        return Laws.power(nC.value(), params, alphaN.value());
    }

    /**
     * {@code S_min(N, L)}: the steps at a batch far above critical to reach {@code loss}; an error when the
     * loss is at or below what the model converges to.
     */
    public double minSteps(double params, double loss) {
        return Laws.minSteps(convergedLoss(params), sC.value(), alphaS.value(), params, loss);
    }

    /** A readable table of the fit: law, quality, and each constant with its uncertainty. */
    public String summary() {
        return Summary.table("L(N, S_min) = (N_c / N)^alpha_N + (S_c / S_min)^alpha_S", quality, nC, alphaN, sC,
                alphaS);
    }

    @Override
    public String toString() {
        return summary();
    }
}
