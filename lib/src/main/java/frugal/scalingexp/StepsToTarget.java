package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.scaling.CriticalBatchFit;
import frugal.scaling.CriticalBatchPoint;
import frugal.scaling.LossNsFit;
import frugal.stats.Difference;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The steps runs at one batch need to reach a target loss: predicted by the law before training
 * ({@link BatchAwareLaw#stepsToLoss}, with the jackknife spread of the leave-one-size-out laws), then measured on
 * each seed's validation curve (made monotone by least squares and interpolated in log-log, as
 * {@link CriticalBatchFit#estimate} measures crossings).
 *
 * @param runs the seeds of one model size at one batch
 * @param measuredSteps one per run once measured (NaN for a run that never reached the target); empty before
 */
public record StepsToTarget(List<RunSpec> runs, long params, double targetLoss, PredictionSpread predicted,
        double[] measuredSteps) {
    public StepsToTarget {
        runs = List.copyOf(runs);
        measuredSteps = measuredSteps.clone();
        if (runs.isEmpty() || runs.stream().mapToLong(RunSpec::batchTokens).distinct().count() != 1) {
            throw new FrugalException("StepsToTarget: give the runs (seeds) of one batch, got " + runs);
        }
        if (measuredSteps.length != 0 && measuredSteps.length != runs.size()) {
            throw new FrugalException("StepsToTarget: " + measuredSteps.length + " measurements for " + runs.size()
                    + " runs");
        }
    }

    /** The laws' steps to {@code targetLoss} for {@code runs} (N = {@code params}). */
    public static StepsToTarget predict(BatchAwareLaw law, List<BatchAwareLaw> leaveOneOut, List<RunSpec> runs,
            long params, double targetLoss) {
        long batch = runs.get(0).batchTokens();
        return new StepsToTarget(runs, params, targetLoss, PredictionSpread.of(law, leaveOneOut,
                l -> l.stepsToLoss(params, targetLoss, batch)), new double[0]);
    }

    /** The batch of the runs, in tokens. */
    public long batchTokens() {
        return runs.get(0).batchTokens();
    }

    /** These predictions with the steps each run took to cross the target, read off its curve in {@code runs}. */
    public StepsToTarget measured(Runs trained, LossNsFit lossNs) {
        double[] steps = runs.stream().mapToDouble(run -> {
            List<CriticalBatchPoint> crossing = CriticalBatchFit.estimate(trained.only(List.of(run)).table(1), lossNs,
                    targetLoss);
            return crossing.isEmpty() ? Double.NaN : crossing.get(0).steps();
        }).toArray();
        return new StepsToTarget(runs, params, targetLoss, predicted, steps);
    }

    /** Whether every run has been measured and reached the target. */
    public boolean reached() {
        return measuredSteps.length == runs.size() && Arrays.stream(measuredSteps).noneMatch(Double::isNaN);
    }

    /** {@code (predicted - measured) / measured} with its 95% interval (law's jackknife and seeds, Welch t). */
    public Difference relativeError() {
        if (!reached()) {
            throw new FrugalException("StepsToTarget at batch " + batchTokens() + ": not every run reached loss "
                    + targetLoss + " (" + Arrays.toString(measuredSteps) + "); there is no error to give");
        }
        return predicted.relativeErrorAgainst(measuredSteps);
    }

    /** "B = 2048: 918 steps predicted (s.e. 40), measured 1714, 1690: -46.5% [95% CI ...]" or "not reached". */
    public String describe() {
        String head = String.format(Locale.ROOT, "B = %d: %.0f steps predicted (jackknife s.e. %.0f)", batchTokens(),
                predicted.value(), predicted.standardError());
        if (measuredSteps.length == 0) {
            return head;
        }
        if (!reached()) {
            return head + String.format(Locale.ROOT, ", not reached by every seed in %d steps (%s)",
                    runs.get(0).steps(), Arrays.toString(measuredSteps));
        }
        return head + ", measured " + String.join(", ", Arrays.stream(measuredSteps).mapToObj(s ->
                String.format(Locale.ROOT, "%.0f", s)).toList()) + ": error " + relativeError().describe(100, "%");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "to loss %.4f, ", targetLoss) + describe();
    }
}
