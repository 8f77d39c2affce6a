package frugal.scalingexp;

import frugal.scaling.CriticalBatchFit;
import frugal.scaling.CriticalBatchPoint;
import frugal.scaling.GoodnessOfFit;
import frugal.scaling.LossNsFit;
import frugal.scaling.Observation;
import frugal.scaling.Parameter;
import frugal.scaling.RunTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The critical batch at each loss level, measured on a batch sweep alone: at level {@code L} every run (one model
 * size, several batches) took {@code S(B)} steps, and {@code S = S_min (1 + B_crit / B)} is a straight line in
 * {@code 1/B} with intercept {@code S_min} and slope {@code S_min B_crit} (fitted by relative error) (Kaplan et al. 2020, section 5.1, after
 * McCandlish et al. 2018). The paper's step 3 takes {@code S_min} from {@code L(N, S_min)} fitted on large-batch
 * runs instead, which needs a batch far above critical; a CPU budget affords batches near it, where that
 * {@code S_min} is not the infinite-batch one, so the sweep gives both here.
 *
 * @param levelsTried the {@value #LEVELS} loss levels tried, over the range the sweep's runs cross
 * @param losses the loss levels at which at least {@value #MIN_BATCHES} batches crossed and the line gave a positive
 *     intercept and slope (possibly none: runs too short to leave the first plateau give none)
 * @param minSteps {@code S_min} at each level
 * @param criticalBatches {@code B_crit} at each level, in the unit of the runs' batch (tokens)
 * @param points every (run, level) crossing, with the level's {@code S_min}: each run's own {@code B (S/S_min - 1)}
 */
public record CriticalBatchEstimate(double[] levelsTried, double[] losses, double[] minSteps,
        double[] criticalBatches, List<CriticalBatchPoint> points) {
    /** Loss levels tried, evenly spaced in log over the range the sweep's runs cross. */
    public static final int LEVELS = 16;
    /** The fewest distinct batches that must cross a level for a line through them to count. */
    public static final int MIN_BATCHES = 3;
    /** The exponent that stands for "no dependence on the loss" in a constant critical batch. */
    public static final double CONSTANT_ALPHA_B = 1e9;
    /** The critical batch used when no level gave one: so small that {@code S_min = S}, the step-2 assumption. */
    public static final double VANISHING_CRITICAL_BATCH = 1e-12;

    public CriticalBatchEstimate {
        levelsTried = levelsTried.clone();
        losses = losses.clone();
        minSteps = minSteps.clone();
        criticalBatches = criticalBatches.clone();
        points = List.copyOf(points);
    }

    /**
     * Measures the sweep's runs at {@value #LEVELS} levels. {@code crossings} only serves to read off the steps at
     * which each run crosses each level ({@link CriticalBatchFit#estimate}, monotone least squares and log-log
     * interpolation); its own {@code S_min} is not used.
     */
    public static CriticalBatchEstimate of(RunTable batchSweep, LossNsFit crossings) {
        List<Double> losses = new ArrayList<>();
        List<Double> minSteps = new ArrayList<>();
        List<Double> critical = new ArrayList<>();
        List<CriticalBatchPoint> points = new ArrayList<>();
        double[] tried = levels(batchSweep);
        for (double level : tried) {
            Level at = atLevel(batchSweep, crossings, level);
            if (at.determined()) {
                losses.add(level);
                minSteps.add(at.minSteps());
                critical.add(at.criticalBatch());
                points.addAll(at.points());
            }
        }
        return new CriticalBatchEstimate(tried, unbox(losses), unbox(minSteps), unbox(critical), points);
    }

    /**
     * The critical batch at one loss level, from the line {@code S = S_min (1 + B_crit / B)} in {@code 1/B} through
     * the steps at which each run of {@code batchSweep} crossed it.
     *
     * @param loss the level
     * @param minSteps {@code S_min}, the line's intercept (NaN when not {@link #determined})
     * @param criticalBatch {@code B_crit}, slope over intercept, in tokens (NaN when not determined)
     * @param points each run's crossing, with the level's {@code S_min}
     */
    public record Level(double loss, double minSteps, double criticalBatch, List<CriticalBatchPoint> points) {
        /** How far below and above B_crit the swept batches must reach for the sweep to span it. */
        public static final double BRACKET_FACTOR = 2;

        public Level {
            points = List.copyOf(points);
        }

        /** Whether at least {@value #MIN_BATCHES} batches crossed and the line gave a positive S_min and B_crit. */
        public boolean determined() {
            return minSteps > 0 && criticalBatch > 0;
        }

        /** The smallest batch (tokens) that crossed the level. */
        public double smallestBatch() {
            return points.stream().mapToDouble(CriticalBatchPoint::batch).min().orElse(Double.NaN);
        }

        /** The largest batch (tokens) that crossed the level. */
        public double largestBatch() {
            return points.stream().mapToDouble(CriticalBatchPoint::batch).max().orElse(Double.NaN);
        }

        /**
         * Whether the batches that crossed span {@code criticalBatch}: one at least {@value #BRACKET_FACTOR}x below
         * it and one at least that much above, so the line sees both regimes (steps ~ 1/B below, ~ S_min above)
         * instead of extrapolating into one.
         */
        public boolean brackets(double criticalBatch) {
            return smallestBatch() * BRACKET_FACTOR <= criticalBatch && largestBatch() >= BRACKET_FACTOR * criticalBatch;
        }

        /** Whether the batches span this level's own critical batch. */
        public boolean bracketed() {
            return determined() && brackets(criticalBatch);
        }

        /** The steps the line gives at {@code batch} tokens: {@code S_min (1 + B_crit / B)}. */
        public double steps(double batch) {
            return minSteps * (1 + criticalBatch / batch);
        }

        /** "B_crit 4,100 tokens at L = 2.000; batches 512 .. 65,536 crossed it (spans it)". */
        @Override
        public String toString() {
            return determined() ? String.format(Locale.ROOT, "B_crit %,.0f tokens at L = %.3f; batches %,.0f .. %,.0f"
                    + " crossed it (%s)", criticalBatch, loss, smallestBatch(), largestBatch(), bracketed()
                    ? "spans it" : "does not span it") : String.format(Locale.ROOT, "L = %.3f: too few batches crossed"
                    + " for a critical batch (%d)", loss, points.size());
        }
    }

    /** The critical batch at {@code level} alone (see {@link Level}); undetermined when too few batches crossed. */
    public static Level atLevel(RunTable batchSweep, LossNsFit crossings, double level) {
        List<CriticalBatchPoint> crossed = CriticalBatchFit.estimate(batchSweep, crossings, level);
        if (crossed.stream().mapToDouble(CriticalBatchPoint::batch).distinct().count() < MIN_BATCHES) {
            return new Level(level, Double.NaN, Double.NaN, crossed);
        }
        // S = a + c / B weighed by relative error (a sweep spanning B_crit has steps from ~S_min to many times it):
        // minimise sum (1 - a / S - c / (B S))^2, a regression of 1 on (1/S, 1/(B S)) without intercept
        double[][] x = crossed.stream().map(p -> new double[] {1 / p.steps(), 1 / (p.batch() * p.steps())})
                .toArray(double[][]::new);
        double[] ones = new double[x.length];
        Arrays.fill(ones, 1);
        var line = new OLSMultipleLinearRegression();
        line.setNoIntercept(true);
        line.newSampleData(ones, x);
        double[] ac = line.estimateRegressionParameters();
        double sMin = ac[0];
        double bCrit = ac[1] / sMin;
        if (!(sMin > 0 && bCrit > 0)) {
            return new Level(level, Double.NaN, Double.NaN, crossed);
        }
        return new Level(level, sMin, bCrit, crossed.stream().map(p -> new CriticalBatchPoint(p.run(), p.params(),
                p.batch(), level, p.steps(), sMin)).toList());
    }

    /** Levels spread over the range some run crosses, from the lowest loss any run reaches to the highest start. */
    private static double[] levels(RunTable batchSweep) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (String name : batchSweep.runNames()) {
            List<Observation> run = batchSweep.run(name).observations();
            high = Math.max(high, run.get(0).loss());
            low = Math.min(low, run.stream().mapToDouble(Observation::loss).min().orElseThrow());
        }
        return CriticalBatchFit.logSpacedLevels(low, high, LEVELS);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The regression of {@code log B_crit} on {@code log L} over the levels. */
    private SimpleRegression trendLine() {
        var line = new SimpleRegression();
        for (int i = 0; i < losses.length; i++) {
            line.addData(Math.log(losses[i]), Math.log(criticalBatches[i]));
        }
        return line;
    }

    /** Whether enough levels gave a critical batch ({@value #MIN_BATCHES}) to see how it changes with the loss. */
    public boolean determined() {
        return losses.length >= MIN_BATCHES;
    }

    /** {@code d log B_crit / d log L}: {@code -1/alpha_B} if the law holds, so negative; NaN when undetermined. */
    public double slope() {
        return determined() ? trendLine().getSlope() : Double.NaN;
    }

    /** Half the width of the slope's 95% confidence interval (levels share runs, so it is optimistic). */
    public double slopeHalfWidth95() {
        return determined() ? trendLine().getSlopeConfidenceInterval() : Double.NaN;
    }

    /** Whether the critical batch grows as the loss falls with 95% confidence: the slope's interval is below 0. */
    public boolean grows() {
        return slope() + slopeHalfWidth95() < 0;
    }

    /**
     * {@code B_crit(L) = B_star / L^(1/alpha_B)} fitted to the levels when the critical batch falls with the loss; a
     * constant critical batch (the geometric mean over the levels, alpha_B so large that {@code L^(1/alpha_B)} is 1)
     * when it does not, since the law's form cannot describe a critical batch that does not fall; and a vanishing
     * one ({@code S_min = S}, as step 2 assumes) when no level gave a critical batch at all.
     */
    public CriticalBatchFit fit() {
        if (slope() < 0) {
            return CriticalBatchFit.fit(losses, criticalBatches);
        }
        double b = losses.length == 0 ? VANISHING_CRITICAL_BATCH
                : Math.exp(Arrays.stream(criticalBatches).map(Math::log).average().orElseThrow());
        return new CriticalBatchFit(new Parameter("B_star", b, 0, b, b),
                new Parameter("alpha_B", CONSTANT_ALPHA_B, 0, CONSTANT_ALPHA_B, CONSTANT_ALPHA_B),
                new GoodnessOfFit(losses.length, 1, Double.NaN, Double.NaN));
    }
}
