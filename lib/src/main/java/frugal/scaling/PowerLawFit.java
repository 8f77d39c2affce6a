package frugal.scaling;

import frugal.core.FrugalException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The converged loss against model size, {@code L(N) = (N_c / N)^alpha_N}, fitted by least squares on
 * {@code log L}. In log space the law is the straight line {@code log L = alpha_N (log N_c - log N)}, so its
 * R^2 there is the "straight line in log-log" check; the log-log regression line is also the start.
 */
public record PowerLawFit(Parameter nC, Parameter alphaN, GoodnessOfFit quality) {
    private static final String NAME = "PowerLawFit L(N) = (N_c/N)^alpha_N";

    /** Fits model sizes (non-embedding parameters) to their converged losses (nats). */
    public static PowerLawFit fit(double[] params, double[] losses) {
        Laws.requireSameLength(NAME, "model sizes", params, "losses", losses);
        Laws.requirePositive(NAME, "params", params);
        Laws.requirePositive(NAME, "losses", losses);
        Laws.requireDistinct(NAME, "model sizes", params, 2, "to fit a power law in N: train more model sizes");
        double[] logN = Laws.logs(params);
        double[] logL = Laws.logs(losses);
        // centre log N so the two coordinates (log L at the mean size, alpha_N) are nearly uncorrelated
        double m = Laws.mean(logN);
        var line = Laws.centredLine(logN, m, logL);
        if (!(line.getSlope() < 0)) {
            throw new FrugalException(NAME + ": the loss does not fall with model size (log-log slope "
                    + line.getSlope() + "); check the runs: bigger models should reach lower losses");
        }
        var solution = LogLeastSquares.fit(NAME, new String[] {"log L(mean N)", "alpha_N"}, logL, (i, theta, grad) -> {
            double d = logN[i] - m;
            grad[0] = 1;
            grad[1] = -d;
            return theta[0] - theta[1] * d;
        }, new double[] {line.getIntercept(), -line.getSlope()}, 1);
        double u = solution.theta()[0];
        double a = solution.theta()[1];
        return new PowerLawFit(solution.exp("N_c", m + u / a, new double[] {1 / a, -u / (a * a)}),
                solution.direct("alpha_N", 1), solution.quality());
    }

    /**
     * Fits the lowest loss seen at each model size in {@code table}. That is the converged loss only when
     * the runs were trained long enough for the step term to be negligible; otherwise fit
     * {@link LossNsFit}, which separates the two terms.
     */
    public static PowerLawFit fitLowestLosses(RunTable table) {
        Map<Double, Double> lowest = new TreeMap<>();
        for (Observation o : table.observations()) {
            lowest.merge(o.params(), o.loss(), Math::min);
        }
        return fit(lowest.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                lowest.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The predicted converged loss of a model with {@code params} non-embedding parameters. */
    public double predict(double params) {
        return Laws.power(nC.value(), params, alphaN.value());
    }

    /** A readable table of the fit: law, quality, and each constant with its uncertainty. */
    public String summary() {
        return Summary.table("L(N) = (N_c / N)^alpha_N", quality, nC, alphaN);
    }

    @Override
    public String toString() {
        return summary();
    }
}
