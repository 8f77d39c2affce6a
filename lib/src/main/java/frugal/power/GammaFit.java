package frugal.power;

import frugal.core.FrugalException;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.schedule.PowerSchedule;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.knowm.xchart.XYChart;

/**
 * The paper's law for the optimal learning rate, {@code eta_opt / beta = gamma = a * T^b} (beta the batch size in
 * sequences, T the budget in tokens), fitted as a straight line {@code ln gamma = ln a + b ln T} by least squares.
 *
 * @param a the scale
 * @param b the exponent (the paper fits -0.51)
 * @param bStandardError the standard error of b from the regression
 * @param rSquared R^2 of the line in log-log space
 * @param points the (batch, budget, gamma) points fitted
 */
public record GammaFit(double a, double b, double bStandardError, double rSquared, List<Point> points) {
    /** One fitted point: a (batch, budget) cell's {@code eta_opt / batch}. */
    public record Point(int batch, long tokens, double gamma) {}

    public GammaFit {
        points = List.copyOf(points);
    }

    /**
     * Fits the points; they need at least two distinct budgets.
     *
     * @throws FrugalException with fewer than two budgets or a gamma that is not positive
     */
    public static GammaFit fit(List<Point> points) {
        if (points.stream().map(Point::tokens).distinct().count() < 2) {
            throw new FrugalException("gamma = a T^b needs optima at two token budgets or more, got " + points.size()
                    + " point(s) at " + points.stream().map(Point::tokens).distinct().toList()
                    + "; widen the lr grid so more optima are bracketed, or add budgets");
        }
        SimpleRegression line = new SimpleRegression();
        for (Point p : points) {
            if (!(p.gamma() > 0) || Double.isInfinite(p.gamma())) {
                throw new FrugalException("gamma must be finite and > 0, got " + p);
            }
            line.addData(Math.log(p.tokens()), Math.log(p.gamma()));
        }
        double se = points.size() > 2 ? line.getSlopeStdErr() : Double.NaN;
        return new GammaFit(Math.exp(line.getIntercept()), line.getSlope(), se, line.getRSquare(), points);
    }

    /**
     * Fits a alone with the exponent fixed: {@code ln a = mean(ln gamma - b ln T)}; standard error and R^2 NaN.
     * For when the free fit's exponent is unusable (not negative) or to apply a published exponent.
     */
    public static GammaFit withExponent(List<Point> points, double b) {
        if (points.isEmpty()) {
            throw new FrugalException("gamma = a T^b with fixed b needs at least one point");
        }
        double lnA = points.stream().mapToDouble(p -> Math.log(p.gamma()) - b * Math.log(p.tokens())).average()
                .orElseThrow();
        return new GammaFit(Math.exp(lnA), b, Double.NaN, Double.NaN, points);
    }

    /**
     * This fit when its exponent is negative, as the Power scheduler needs; otherwise a refit of a with the
     * paper's b = -0.51 (a tiny grid can give a flat or rising fit). {@link #b()} tells which.
     */
    public GammaFit forPowerSchedule() {
        return b < 0 ? this : withExponent(points, PowerSchedule.PAPER_B);
    }

    /** {@code a * tokens^b}. */
    public double gamma(double tokens) {
        return a * Math.pow(tokens, b);
    }

    /** The optimal learning rate the law predicts: {@code batch * a * tokens^b}. */
    public double eta(int batch, double tokens) {
        return batch * gamma(tokens);
    }

    /** A Power schedule with this fit's a and b (the law applied at every token count, capped at etaMax). */
    public PowerSchedule schedule(double etaMax, int batch, long totalTokens, long warmupTokens, long decayTokens) {
        return new PowerSchedule(a, b, etaMax, batch, totalTokens, warmupTokens, decayTokens, PowerRun.DECAY_SHAPE);
    }

    /** gamma against T on log-log axes, the points and the fitted line. */
    public XYChart chart() {
        Series pts = new Series("eta_opt / batch", points.stream().mapToDouble(Point::tokens).toArray(),
                points.stream().mapToDouble(Point::gamma).toArray());
        return Plots.scatterWithFit("gamma = eta_opt / batch against the token budget", "tokens T", "gamma", pts,
                this::gamma, String.format(Locale.ROOT, "fit %.3g T^(%.3f)", a, b), Scale.LOG, Scale.LOG);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "gamma = %.4g * T^(%.3f +- %.3f), R^2 %.3f over %d points", a, b,
                bStandardError, rSquared, points.size());
    }
}
