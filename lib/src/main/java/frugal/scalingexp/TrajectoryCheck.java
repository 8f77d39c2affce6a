package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.plot.Series;
import java.util.Arrays;

/**
 * A loss trajectory predicted by a {@link BatchAwareLaw} for a run that was not fitted, set against the run's
 * measured validation loss: the paper's prediction (4), "the whole test-loss trajectory for an arbitrary batch
 * size". {@link #predict} comes before training, {@link #measured(Runs)} after.
 *
 * @param run the run predicted
 * @param params its N (non-embedding parameters)
 * @param steps the steps at which the run measures its loss
 * @param predicted {@code L(N, S, B)} at each step, by the law's root solve
 * @param measured the measured validation loss at each step; empty until the run has trained
 */
public record TrajectoryCheck(RunSpec run, long params, long[] steps, double[] predicted, double[] measured) {
    public TrajectoryCheck {
        steps = steps.clone();
        predicted = predicted.clone();
        measured = measured.clone();
        if (predicted.length != steps.length || measured.length != 0 && measured.length != steps.length) {
            throw new FrugalException("TrajectoryCheck: " + steps.length + " steps, " + predicted.length
                    + " predictions and " + measured.length + " measurements; give one of each per step");
        }
    }

    /** The law's predicted validation-loss curve for {@code run} (N = {@code params}), before it trains. */
    public static TrajectoryCheck predict(BatchAwareLaw law, RunSpec run, long params) {
        long[] steps = run.evalSteps();
        return new TrajectoryCheck(run, params, steps, law.lossTrajectory(params, run.batchTokens(), steps),
                new double[0]);
    }

    /** This prediction with the run's measured curve (at the same steps) from {@code runs}. */
    public TrajectoryCheck measured(Runs runs) {
        Series curve = runs.curve(run);
        if (runs.params(run) != params) {
            throw new FrugalException("the prediction was for N = " + params + " but run " + run.name() + " has N = "
                    + runs.params(run));
        }
        if (!Arrays.equals(Arrays.stream(curve.x()).mapToLong(Math::round).toArray(), steps)) {
            throw new FrugalException("run " + run.name() + " measured at steps " + Arrays.toString(curve.x())
                    + ", the prediction is at " + Arrays.toString(steps));
        }
        return new TrajectoryCheck(run, params, steps, predicted, curve.y());
    }

    /** The first step at which the run has seen {@code tokens} tokens. */
    public long firstStep(long tokens) {
        return (tokens + run.batchTokens() - 1) / run.batchTokens();
    }

    public boolean hasMeasurement() {
        return measured.length > 0;
    }

    /** The predicted loss at the last step. */
    public double predictedFinal() {
        return predicted[predicted.length - 1];
    }

    /** The measured loss at the last step. */
    public double measuredFinal() {
        requireMeasured();
        return measured[measured.length - 1];
    }

    /** {@code (predicted - measured) / measured} at the last step. */
    public double finalRelativeError() {
        return (predictedFinal() - measuredFinal()) / measuredFinal();
    }

    /** Mean of {@code |predicted - measured| / measured} over the measurements after {@code fromTokens} tokens. */
    public double meanAbsRelativeError(long fromTokens) {
        long fromStep = firstStep(fromTokens);
        requireMeasured();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= fromStep) {
                sum += Math.abs(predicted[i] - measured[i]) / measured[i];
                n++;
            }
        }
        if (n == 0) {
            throw new FrugalException("no measurement after " + fromTokens + " tokens; the run ends at step "
                    + steps[steps.length - 1]);
        }
        return sum / n;
    }

    /** The prediction as a chart series. */
    public Series predictedSeries() {
        return new Series("predicted before training", Arrays.stream(steps).asDoubleStream().toArray(), predicted);
    }

    /** The measurement as a chart series. */
    public Series measuredSeries() {
        requireMeasured();
        return new Series("measured", Arrays.stream(steps).asDoubleStream().toArray(), measured);
    }

    private void requireMeasured() {
        if (!hasMeasurement()) {
            throw new FrugalException("run " + run.name() + " has not been measured yet: train it, then call"
                    + " measured(runs)");
        }
    }

    @Override
    public String toString() {
        String head = String.format("%s (N = %,d): predicted final loss %.4f", run.name(), params, predictedFinal());
        return hasMeasurement() ? head + String.format(", measured %.4f (%+.2f%%)", measuredFinal(),
                100 * finalRelativeError()) : head;
    }
}
