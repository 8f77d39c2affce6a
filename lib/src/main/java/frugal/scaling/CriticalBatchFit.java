package frugal.scaling;

import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;

/**
 * The critical batch size against loss, {@code B_crit(L) = B_star / L^(1/alpha_B)}, fitted by least squares
 * on {@code log B_crit}; the log-log regression line gives the start. {@code B_star} is in the unit of the
 * runs' batch (tokens or sequences).
 */
public record CriticalBatchFit(Parameter bStar, Parameter alphaB, GoodnessOfFit quality) {
    /** Loss levels per batch-sweep run when the caller does not choose them. */
    public static final int DEFAULT_LOSS_LEVELS = 16;
    private static final String NAME = "CriticalBatchFit B_crit(L) = B_star / L^(1/alpha_B)";

    /** Fits loss levels to the critical batch measured at each. */
    public static CriticalBatchFit fit(double[] losses, double[] criticalBatches) {
        Laws.requireSameLength(NAME, "losses", losses, "critical batches", criticalBatches);
        Laws.requirePositive(NAME, "losses", losses);
        Laws.requirePositive(NAME, "criticalBatches", criticalBatches);
        Laws.requireDistinct(NAME, "loss levels", losses, 2, "to fit how B_crit changes with loss");
        double[] logL = Laws.logs(losses);
        double[] logB = Laws.logs(criticalBatches);
        double m = Laws.mean(logL);
        var line = Laws.centredLine(logL, m, logB);
        if (!(line.getSlope() < 0)) {
            throw new FrugalException(NAME + ": the critical batch does not grow as the loss falls (log-log slope "
                    + line.getSlope() + "); the law needs B_crit decreasing in L: check the batch sweep and the"
                    + " L(N, S_min) fit it was measured against");
        }
        // theta = (w, alpha_B): log B_crit = w - (log L - m) / alpha_B, w = log B_crit at the mean log loss
        var solution = LogLeastSquares.fit(NAME, new String[] {"log B_crit(mean L)", "alpha_B"}, logB,
                (i, theta, grad) -> {
                    double d = logL[i] - m;
                    grad[0] = 1;
                    grad[1] = d / (theta[1] * theta[1]);
                    return theta[0] - d / theta[1];
                }, new double[] {line.getIntercept(), -1 / line.getSlope()}, 1);
        double w = solution.theta()[0];
        double a = solution.theta()[1];
        return new CriticalBatchFit(solution.exp("B_star", w + m / a, new double[] {1, -m / (a * a)}),
                solution.direct("alpha_B", 1), solution.quality());
    }

    /** Fits the usable points (see {@link CriticalBatchPoint#usable}); an error when fewer than 3 are. */
    public static CriticalBatchFit fit(List<CriticalBatchPoint> points) {
        List<CriticalBatchPoint> usable = points.stream().filter(CriticalBatchPoint::usable).toList();
        if (usable.size() < 3) {
            throw new FrugalException(NAME + ": " + usable.size() + " usable critical-batch points of " + points.size()
                    + " (a point is unusable when the run reached the loss in less than "
                    + (1 + CriticalBatchPoint.MIN_EXTRA_STEPS) + " S_min steps, i.e. its batch is far above critical,"
                    + " or the loss is at or below L(N)); sweep batch sizes around and below the critical batch, and"
                    + " choose loss levels the runs cross");
        }
        return fit(usable.stream().mapToDouble(CriticalBatchPoint::loss).toArray(),
                usable.stream().mapToDouble(CriticalBatchPoint::criticalBatch).toArray());
    }

    /** Estimates at {@link #DEFAULT_LOSS_LEVELS} {@link #lossLevels levels} and fits them. */
    public static CriticalBatchFit fit(RunTable batchSweep, LossNsFit lossNs) {
        return fit(estimate(batchSweep, lossNs, lossLevels(batchSweep, DEFAULT_LOSS_LEVELS)));
    }

    /**
     * The paper's step 3: for each run of {@code batchSweep} and each loss level the run crosses, the steps
     * {@code S} it took (interpolated in log-log on the run's least-squares monotone curve, so noise cannot cross
     * a level twice), the steps {@code S_min} that {@code lossNs} predicts at infinite batch, hence
     * {@code B_crit = B (S / S_min - 1)}. Levels a run does not cross give no point for that run.
     */
    public static List<CriticalBatchPoint> estimate(RunTable batchSweep, LossNsFit lossNs, double... lossLevels) {
        Laws.requirePositive(NAME, "lossLevels", lossLevels);
        List<CriticalBatchPoint> points = new ArrayList<>();
        for (String name : batchSweep.runNames()) {
            List<Observation> run = batchSweep.run(name).observations();
            Observation first = run.get(0);
            double converged = lossNs.convergedLoss(first.params());
            double[] monotoneLogLoss = nonIncreasing(run.stream().mapToDouble(o -> Math.log(o.loss())).toArray());
            for (double level : lossLevels) {
                double steps = stepsToCross(run, monotoneLogLoss, level);
                if (Double.isNaN(steps)) {
                    continue;
                }
                double minSteps = level > converged ? lossNs.minSteps(first.params(), level) : Double.POSITIVE_INFINITY;
                points.add(new CriticalBatchPoint(name, first.params(), first.batch(), level, steps, minSteps));
            }
        }
        return List.copyOf(points);
    }

    /**
     * {@code count} loss levels, evenly spaced in log, strictly inside the range every run of
     * {@code batchSweep} crosses: below the lowest starting loss of any run and above the highest lowest loss.
     */
    public static double[] lossLevels(RunTable batchSweep, int count) {
        if (count < 1) {
            throw new FrugalException(NAME + ": asked for " + count + " loss levels; ask for at least 1");
        }
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        for (String name : batchSweep.runNames()) {
            List<Observation> run = batchSweep.run(name).observations();
            high = Math.min(high, run.get(0).loss());
            low = Math.max(low, run.stream().mapToDouble(Observation::loss).min().orElseThrow());
        }
        if (!(low < high)) {
            throw new FrugalException(NAME + ": the runs of the batch sweep share no loss range (the lowest"
                    + " starting loss, " + high + ", is not above the highest final loss, " + low + "); train the"
                    + " runs longer or pass loss levels to estimate(...) yourself");
        }
        return logSpacedLevels(low, high, count);
    }

    /** {@code count} levels evenly spaced in log strictly inside (low, high): the centres of equal log bins. */
    public static double[] logSpacedLevels(double low, double high, int count) {
        double[] levels = new double[count];
        for (int k = 0; k < count; k++) {
            levels[k] = Math.exp(Math.log(low) + (k + 0.5) / count * (Math.log(high) - Math.log(low)));
        }
        return levels;
    }

    /** Steps at which the run's monotone log-loss curve first reaches {@code level}; NaN if it never does. */
    private static double stepsToCross(List<Observation> run, double[] logLoss, double level) {
        double logLevel = Math.log(level);
        if (logLoss[0] <= logLevel) {
            return Double.NaN;
        }
        for (int i = 1; i < logLoss.length; i++) {
            if (logLoss[i] <= logLevel) {
                double fraction = (logLoss[i - 1] - logLevel) / (logLoss[i - 1] - logLoss[i]);
                double logS0 = Math.log(run.get(i - 1).step());
                return Math.exp(logS0 + fraction * (Math.log(run.get(i).step()) - logS0));
            }
        }
        return Double.NaN;
    }

    /**
     * The least-squares non-increasing fit to {@code values} (pool adjacent violators): a noisy loss curve
     * made monotone without the early bias of a running minimum, so each level is crossed once.
     */
    private static double[] nonIncreasing(double[] values) {
        int n = values.length;
        double[] blockMean = new double[n];
        int[] blockSize = new int[n];
        int blocks = 0;
        for (double v : values) {
            blockMean[blocks] = v;
            blockSize[blocks] = 1;
            blocks++;
            while (blocks > 1 && blockMean[blocks - 2] < blockMean[blocks - 1]) {
                int merged = blockSize[blocks - 2] + blockSize[blocks - 1];
                blockMean[blocks - 2] = (blockMean[blocks - 2] * blockSize[blocks - 2]
                        + blockMean[blocks - 1] * blockSize[blocks - 1]) / merged;
                blockSize[blocks - 2] = merged;
                blocks--;
            }
        }
        double[] fitted = new double[n];
        for (int b = 0, i = 0; b < blocks; b++) {
            for (int k = 0; k < blockSize[b]; k++) {
                fitted[i++] = blockMean[b];
            }
        }
        return fitted;
    }

    /** The predicted critical batch at loss {@code loss}, in the unit of the runs' batch. */
    public double predict(double loss) {
        return Laws.criticalBatch(bStar.value(), alphaB.value(), loss);
    }

    /** A readable table of the fit: law, quality, and each constant with its uncertainty. */
    public String summary() {
        return Summary.table("B_crit(L) = B_star / L^(1/alpha_B)", quality, bStar, alphaB);
    }

    @Override
    public String toString() {
        return summary();
    }
}
