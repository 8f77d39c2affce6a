package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.scaling.CriticalBatchFit;
import frugal.scaling.CriticalBatchPoint;
import frugal.scaling.LossNsFit;
import java.util.List;
import java.util.Locale;

/**
 * The steps a run needs to reach a target loss: predicted by the law before training
 * ({@link BatchAwareLaw#stepsToLoss}), then measured on the run's validation curve (made monotone by least
 * squares and interpolated in log-log, as {@link CriticalBatchFit#estimate} measures crossings).
 *
 * @param measuredSteps NaN until measured, and when the run never reached the target
 */
public record StepsToTarget(RunSpec run, long params, double targetLoss, double predictedSteps,
        double measuredSteps) {

    /** The law's steps to {@code targetLoss} for {@code run} (N = {@code params}). */
    public static StepsToTarget predict(BatchAwareLaw law, RunSpec run, long params, double targetLoss) {
        return new StepsToTarget(run, params, targetLoss, law.stepsToLoss(params, targetLoss, run.batchTokens()),
                Double.NaN);
    }

    /**
     * A target both runs should cross with room to spare, chosen before training from the prediction alone: the
     * loss the law predicts for {@code slower} at {@code fraction} of its steps.
     */
    public static double targetFor(BatchAwareLaw law, RunSpec slower, long params, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new FrugalException("fraction of the run must be in (0, 1), got " + fraction);
        }
        return law.loss(params, fraction * slower.steps(), slower.batchTokens());
    }

    /** This prediction with the steps the run took to cross the target, read off its curve in {@code runs}. */
    public StepsToTarget measured(Runs runs, LossNsFit lossNs) {
        List<CriticalBatchPoint> crossing = CriticalBatchFit.estimate(runs.only(List.of(run)).table(1), lossNs,
                targetLoss);
        return new StepsToTarget(run, params, targetLoss, predictedSteps,
                crossing.isEmpty() ? Double.NaN : crossing.get(0).steps());
    }

    /** {@code (predicted - measured) / measured}; NaN when the run never reached the target. */
    public double relativeError() {
        return (predictedSteps - measuredSteps) / measuredSteps;
    }

    /** "1714 measured (-46.5%)", or "not reached in its 3000 steps" (a NaN error would say nothing). */
    public String measuredText() {
        return Double.isNaN(measuredSteps) ? String.format(Locale.ROOT, "not reached in its %d steps", run.steps())
                : String.format(Locale.ROOT, "%.0f measured (%+.1f%%)", measuredSteps, 100 * relativeError());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: loss %.4f predicted after %.0f steps; %s", run.name(), targetLoss,
                predictedSteps, measuredText());
    }
}
