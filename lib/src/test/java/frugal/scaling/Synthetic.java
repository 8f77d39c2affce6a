package frugal.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic runs generated from a known scaling law, with multiplicative log-normal noise on the loss. */
final class Synthetic {
    /** Kaplan et al.'s WebText2 constants (the paper card's orientation values). */
    static final ScalingLaw KAPLAN = new ScalingLaw(8.8e13, 0.076, 2.1e3, 0.76, 2e8, 0.21);

    private Synthetic() {}

    /** {@code count} values from {@code from} to {@code to}, evenly spaced in log. */
    static double[] geometric(double from, double to, int count) {
        double[] values = new double[count];
        for (int k = 0; k < count; k++) {
            values[k] = from * Math.pow(to / from, k / (count - 1.0));
        }
        return values;
    }

    static long[] steps(long from, long to, int count) {
        double[] values = geometric(from, to, count);
        long[] steps = new long[count];
        for (int k = 0; k < count; k++) {
            steps[k] = Math.round(values[k]);
        }
        return steps;
    }

    /** Runs of every size at every batch, losses from {@code L(N, S, B)} (the fixed-point trajectory). */
    static RunTable runs(ScalingLaw law, double[] sizes, double[] batches, long[] steps, double noise, Random rng) {
        List<Observation> rows = new ArrayList<>();
        for (double n : sizes) {
            for (double b : batches) {
                for (long s : steps) {
                    double loss = law.loss(n, s, b) * Math.exp(noise * rng.nextGaussian());
                    rows.add(new Observation(name(n, b), n, b, s, loss));
                }
            }
        }
        return RunTable.of(rows);
    }

    /** Runs at infinite batch: each step is S_min, losses from {@code L(N, S_min)}. */
    static RunTable minStepRuns(ScalingLaw law, double[] sizes, long[] steps, double noise, Random rng) {
        List<Observation> rows = new ArrayList<>();
        for (double n : sizes) {
            for (long s : steps) {
                double loss = law.lossAtMinSteps(n, s) * Math.exp(noise * rng.nextGaussian());
                rows.add(new Observation(name(n, Double.MAX_VALUE), n, Double.MAX_VALUE, s, loss));
            }
        }
        return RunTable.of(rows);
    }

    private static String name(double n, double b) {
        return String.format("N=%.3g B=%.3g", n, b);
    }
}
