package frugal.scaling;

import frugal.core.FrugalException;
import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.util.Pair;

/**
 * Nonlinear least squares on log targets (Commons Math Levenberg-Marquardt), shared by every scaling fit:
 * power laws are straight or gently curved in log space, and log residuals weigh every point by its
 * relative error, which is how loss noise behaves.
 */
final class LogLeastSquares {
    private static final int MAX_ITERATIONS = 10_000;
    /** Exponents are kept at or above this, so a power law cannot flip its direction during the search. */
    private static final double MIN_EXPONENT = 1e-9;

    private LogLeastSquares() {}

    /** The log prediction for data point {@code i} at {@code theta}; fills {@code gradient} (d/dtheta). */
    @FunctionalInterface
    interface LogModel {
        double logValue(int i, double[] theta, double[] gradient);
    }

    /**
     * Fits {@code theta} so {@code model} matches {@code logTargets}. {@code exponents} are the indices of
     * theta that are power-law exponents (kept positive; an exponent stuck at 0 is an error naming it).
     */
    static Solution fit(String fitName, String[] names, double[] logTargets, LogModel model, double[] start,
            int... exponents) {
        int n = logTargets.length;
        int p = start.length;
        if (n <= p) {
            throw new FrugalException(fitName + ": " + n + " data points for " + p + " parameters; a fit with"
                    + " uncertainty needs at least " + (p + 1) + " points: add runs or evaluations");
        }
        var problem = new LeastSquaresBuilder()
                .start(start)
                .target(logTargets)
                .model(point -> evaluate(model, n, point.toArray()))
                .parameterValidator(point -> {
                    for (int e : exponents) {
                        point.setEntry(e, Math.max(point.getEntry(e), MIN_EXPONENT));
                    }
                    return point;
                })
                .lazyEvaluation(false)
                .maxIterations(MAX_ITERATIONS)
                .maxEvaluations(MAX_ITERATIONS)
                .build();
        LeastSquaresOptimizer.Optimum optimum;
        try {
            optimum = new LevenbergMarquardtOptimizer().optimize(problem);
        } catch (MathIllegalStateException e) {
            throw new FrugalException(fitName + ": least squares did not converge (" + e.getMessage() + ");"
                    + " check that the data follow the law (plot log loss against log N / log S) and drop warmup"
                    + " steps and diverged runs", e);
        }
        double[] theta = optimum.getPoint().toArray();
        double rss = optimum.getCost() * optimum.getCost();
        if (!Double.isFinite(rss) || Arrays.stream(theta).anyMatch(v -> !Double.isFinite(v))) {
            throw new FrugalException(fitName + ": the fit produced non-finite values " + Arrays.toString(theta)
                    + "; the data do not follow the law over this range");
        }
        for (int e : exponents) {
            if (theta[e] <= 2 * MIN_EXPONENT) {
                throw new FrugalException(fitName + ": exponent " + names[e] + " went to 0: the data do not fall"
                        + " as a power law in this variable; check the runs (enough spread in it, warmup dropped)");
            }
        }
        RealMatrix covariance;
        try {
            covariance = optimum.getCovariances(1e-14).scalarMultiply(rss / (n - p));
        } catch (SingularMatrixException e) {
            throw new FrugalException(fitName + ": the parameters " + Arrays.toString(names) + " cannot all be"
                    + " identified from these data (singular Jacobian); widen the range of sizes / steps / losses", e);
        }
        double mean = Arrays.stream(logTargets).average().orElseThrow();
        double tss = Arrays.stream(logTargets).map(y -> (y - mean) * (y - mean)).sum();
        var quality = new GoodnessOfFit(n, p, tss > 0 ? 1 - rss / tss : Double.NaN, Math.sqrt(rss / n));
        double t = new TDistribution(n - p).inverseCumulativeProbability(0.975);
        return new Solution(theta, covariance.getData(), quality, t);
    }

    private static Pair<org.apache.commons.math3.linear.RealVector, RealMatrix> evaluate(LogModel model, int n,
            double[] theta) {
        double[] values = new double[n];
        double[][] jacobian = new double[n][theta.length];
        for (int i = 0; i < n; i++) {
            values[i] = model.logValue(i, theta, jacobian[i]);
        }
        return new Pair<>(new ArrayRealVector(values, false), new Array2DRowRealMatrix(jacobian, false));
    }

    /** The optimum: fitted coordinates, their covariance, fit quality and the t quantile for 95% intervals. */
    record Solution(double[] theta, double[][] covariance, GoodnessOfFit quality, double t95) {

        /** A constant that is the fitted coordinate {@code index} itself. */
        Parameter direct(String name, int index) {
            double[] gradient = new double[theta.length];
            gradient[index] = 1;
            return linear(name, theta[index], gradient);
        }

        /** A constant {@code value} with gradient {@code gradient} w.r.t. theta: symmetric interval. */
        Parameter linear(String name, double value, double[] gradient) {
            double se = Math.sqrt(variance(gradient));
            return new Parameter(name, value, se, value - t95 * se, value + t95 * se);
        }

        /**
         * A positive constant {@code exp(logValue)}, where {@code gradient} is that of {@code logValue}; the
         * interval is taken in log space, so it stays positive.
         */
        Parameter exp(String name, double logValue, double[] gradient) {
            double seLog = Math.sqrt(variance(gradient));
            double value = Math.exp(logValue);
            return new Parameter(name, value, value * seLog, Math.exp(logValue - t95 * seLog),
                    Math.exp(logValue + t95 * seLog));
        }

        private double variance(double[] g) {
            double v = 0;
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g.length; j++) {
                    v += g[i] * covariance[i][j] * g[j];
                }
            }
            return Math.max(v, 0);
        }
    }
}
