package frugal.sweep;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import frugal.core.Engines;
import frugal.core.StepRandom;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.Random;

/**
 * A tiny real training run for checking a sweep set-up end to end (a cluster, the natives on its executors,
 * determinism): linear regression through the {@link Trainer}, y = x.w + b with w and b drawn from the seed.
 *
 * <p>Parameters: {@code lr} (required), {@code seed} (1), {@code steps} (20), {@code batch} (16), {@code features}
 * (4). Weights start at zero and data comes from Java's generator, so the run draws nothing from the engine's
 * generator: concurrent runs in one JVM (Spark local mode) give the same numbers as runs alone. Metrics:
 * {@link Metrics#of(History)} plus {@code weight_error}, the distance between the learned and the true weights.
 */
public final class LinearRegressionRun implements RunFunction {
    @Override
    public Metrics run(RunConfig config) {
        double lr = config.getDouble("lr");
        long seed = config.getLong("seed", 1);
        int batch = config.getInt("batch", 16);
        int features = config.getInt("features", 4);
        Random truth = new Random(seed);
        float[] w = new float[features];
        for (int j = 0; j < features; j++) {
            w[j] = (float) truth.nextGaussian();
        }
        float b = (float) truth.nextGaussian();
        Engines.pytorch();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = Linear.builder().setUnits(1).build();
            model.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            model.initialize(manager, DataType.FLOAT32, new Shape(batch, features));
            History h = Trainer.train(model, data(seed, batch, w, b), LossFunction.of(Losses.meanSquaredError()),
                    TrainConfig.of(config.getLong("steps", 20), lr).withSeed(seed).quiet());
            float[] learned = model.getParameters().get("weight").getArray().toFloatArray();
            double sq = 0;
            for (int j = 0; j < features; j++) {
                sq += (learned[j] - w[j]) * (double) (learned[j] - w[j]);
            }
            return Metrics.of(h).withFinal("weight_error", Math.sqrt(sq));
        }
    }

    private static BatchSource data(long seed, int batch, float[] w, float b) {
        return (m, step) -> {
            Random r = StepRandom.of(seed, step);
            float[] x = new float[batch * w.length];
            float[] y = new float[batch];
            for (int i = 0; i < batch; i++) {
                float sum = b;
                for (int j = 0; j < w.length; j++) {
                    x[i * w.length + j] = (float) r.nextGaussian();
                    sum += x[i * w.length + j] * w[j];
                }
                y[i] = sum;
            }
            return Batch.of(m.create(x, new Shape(batch, w.length)), m.create(y, new Shape(batch, 1)));
        };
    }
}
