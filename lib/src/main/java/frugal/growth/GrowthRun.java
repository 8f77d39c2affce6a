package frugal.growth;

import frugal.core.FrugalException;
import frugal.plot.Series;

/**
 * One training run of the experiment, with its compute.
 *
 * @param method {@link GrowthResults#SCRATCH} or a {@link GrowthOperator#label()}
 * @param seed the repetition
 * @param growthStep small-model steps before growing (0 for the scratch model)
 * @param largeSteps steps of the large (grown or scratch) model
 * @param flops training FLOPs of the whole run, small phase included
 * @param curve validation loss (nats per character) against the training FLOPs spent so far: the small model's
 *     points up to the growth, then the grown model's from just after growing (before its first step)
 * @param lossAfterGrowth validation loss of the grown model before it trains (NaN for the scratch model): where
 *     the small model's function was kept or lost
 */
public record GrowthRun(String method, int seed, int growthStep, int largeSteps, long flops, Series curve,
        double lossAfterGrowth) {
    public GrowthRun {
        if (curve.size() == 0) {
            throw new FrugalException("GrowthRun " + method + ": a run needs at least one validation point");
        }
    }

    /** The validation loss after the last step. */
    public double finalLoss() {
        return curve.y()[curve.size() - 1];
    }

    /**
     * The training FLOPs at which the validation loss first reaches {@code loss}, linearly interpolated between
     * measurements; NaN when the run never gets there.
     */
    public double flopsToReach(double loss) {
        double[] x = curve.x();
        double[] y = curve.y();
        if (y[0] <= loss) {
            return x[0];
        }
        for (int i = 1; i < y.length; i++) {
            if (y[i] <= loss) {
                return x[i - 1] + (x[i] - x[i - 1]) * (y[i - 1] - loss) / (y[i - 1] - y[i]);
            }
        }
        return Double.NaN;
    }
}
