package frugal.power;

import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The optimal learning rate of one loss-vs-lr curve: a parabola through the best grid point and its two
 * neighbours, in log lr, and its vertex. A curve's minimum is flat and asymmetric, so only the three points
 * around the best one are used; the vertex then lies between the two neighbours.
 *
 * <p>When the best point is at an end of the grid, or a neighbour diverged (NaN loss), there is no parabola: the
 * optimum is the best grid point and {@link #bracketed()} is false, so it is a bound, not an estimate.
 *
 * @param lr the optimal learning rate (the vertex, or the best grid lr when not bracketed)
 * @param loss the loss there (the parabola's minimum, or the best grid loss)
 * @param gridLr the grid lr with the lowest loss
 * @param gridLoss that lowest loss
 * @param bracketed whether the best grid point has finite losses on both sides
 */
public record LrOptimum(double lr, double loss, double gridLr, double gridLoss, boolean bracketed) {
    /** No finite loss at all: every run diverged. */
    public static final LrOptimum NONE = new LrOptimum(Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);

    /**
     * The optimum of losses measured at learning rates (any order; NaN or infinite losses are diverged runs).
     *
     * @throws FrugalException when the arrays differ in length, an lr is not positive or appears twice
     */
    public static LrOptimum of(double[] lrs, double[] losses) {
        if (lrs.length != losses.length) {
            throw new FrugalException("LrOptimum: " + lrs.length + " learning rates but " + losses.length + " losses");
        }
        Integer[] order = new Integer[lrs.length];
        for (int i = 0; i < order.length; i++) {
            if (!(lrs[i] > 0) || Double.isInfinite(lrs[i])) {
                throw new FrugalException("LrOptimum: learning rates must be finite and > 0, got " + lrs[i]);
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> lrs[i]));
        double[] sortedLrs = new double[lrs.length];
        double[] x = new double[lrs.length];
        double[] y = new double[lrs.length];
        for (int k = 0; k < order.length; k++) {
            sortedLrs[k] = lrs[order[k]];
            x[k] = Math.log(sortedLrs[k]);
            y[k] = Double.isFinite(losses[order[k]]) ? losses[order[k]] : Double.NaN;
            if (k > 0 && x[k] == x[k - 1]) {
                throw new FrugalException("LrOptimum: learning rate " + lrs[order[k]] + " appears twice");
            }
        }
        int best = -1;
        for (int k = 0; k < y.length; k++) {
            if (!Double.isNaN(y[k]) && (best < 0 || y[k] < y[best])) {
                best = k;
            }
        }
        if (best < 0) {
            return NONE;
        }
        double gridLr = sortedLrs[best];
        if (best == 0 || best == y.length - 1 || Double.isNaN(y[best - 1]) || Double.isNaN(y[best + 1])) {
            return new LrOptimum(gridLr, y[best], gridLr, y[best], false);
        }
        // the parabola y = c0 + c1 x + c2 x^2 through three points, by divided differences
        double x0 = x[best - 1];
        double x1 = x[best];
        double x2 = x[best + 1];
        double d01 = (y[best] - y[best - 1]) / (x1 - x0);
        double d12 = (y[best + 1] - y[best]) / (x2 - x1);
        double c2 = (d12 - d01) / (x2 - x0);
        if (!(c2 > 0)) {
            // the three losses are equal: a flat curve, no single vertex
            return new LrOptimum(gridLr, y[best], gridLr, y[best], true);
        }
        double c1 = d01 - c2 * (x0 + x1);
        double vertex = -c1 / (2 * c2);
        double atVertex = y[best] + c1 * (vertex - x1) + c2 * (vertex * vertex - x1 * x1);
        return new LrOptimum(Math.exp(vertex), atVertex, gridLr, y[best], true);
    }
}
