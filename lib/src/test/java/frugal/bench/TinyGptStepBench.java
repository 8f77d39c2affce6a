package frugal.bench;

import ai.djl.ndarray.NDManager;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.nn.TinyGpt;
import frugal.train.AdamW;
import frugal.train.Batch;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.Arrays;
import java.util.Random;

/**
 * One training step of the tiny GPT through Frugal's own loop (forward, backward, clipping, AdamW), timed
 * against scripts/bench-peer/tiny_gpt_step.py, the same model and step in PyTorch from Python. Prints
 * {@code java ms_per_step=...}; scripts/bench runs both side by side and prints the ratio.
 *
 * <p>Arguments (defaults match the peer): vocab ctx layers d heads batch warmup steps.
 */
public final class TinyGptStepBench {
    private TinyGptStepBench() {}

    public static void main(String[] args) {
        int[] a = {96, 128, 4, 128, 4, 32, 10, 50};
        for (int i = 0; i < args.length && i < a.length; i++) {
            a[i] = Integer.parseInt(args[i]);
        }
        int vocab = a[0], ctx = a[1], layers = a[2], d = a[3], heads = a[4], batch = a[5], warmup = a[6], steps = a[7];
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(0);
            TinyGpt model = new TinyGpt(TinyGpt.Config.of(vocab, ctx, layers, d, heads));
            model.initialize(manager);
            TrainConfig config = TrainConfig.of(warmup + steps, 3e-4)
                    .withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                    .withGrouping(ParamGrouping.uniform(0.1))
                    .withClip(1.0)
                    .quiet();
            History h = Trainer.train(model, (m, step) -> {
                Random r = StepRandom.of(1, step);
                long[] x = new long[batch * ctx];
                long[] y = new long[batch * ctx];
                Arrays.setAll(x, i -> r.nextInt(vocab));
                Arrays.setAll(y, i -> r.nextInt(vocab));
                return Batch.of(m.create(x).reshape(batch, ctx), m.create(y).reshape(batch, ctx));
            }, LossFunction.of(Losses.softmaxCrossEntropy()), config);
            double[] wall = h.series("wall_ms").y();
            double ms = Arrays.stream(wall, warmup, wall.length).average().orElseThrow();
            System.out.printf("java ms_per_step=%.3f steps=%d %s%n", ms, steps, Devices.describe());
        }
    }
}
