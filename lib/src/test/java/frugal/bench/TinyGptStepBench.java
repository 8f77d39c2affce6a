package frugal.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.nn.TinyGpt;
import frugal.train.AdamW;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * One training step of the tiny GPT through Frugal's own loop (forward, backward, clipping, AdamW), timed
 * against scripts/bench-peer/tiny_gpt_step.py, the same model and step in PyTorch from Python. Prints the model's
 * FLOPs per step, this machine's fp32 matmul peak through libtorch (same threads) and
 * {@code java ms_per_step=... gflops=... peak_share=...}; scripts/bench runs both sides and prints the ratio.
 *
 * <p>Arguments (defaults match the peer): vocab ctx layers d heads batch warmup steps.
 */
public final class TinyGptStepBench {
    private TinyGptStepBench() {}

    /** vocab ctx layers d heads batch of one benchmark configuration. */
    record Size(int vocab, int ctx, int layers, int d, int heads, int batch) {
        static Size of(int[] a) {
            return new Size(a[0], a[1], a[2], a[3], a[4], a[5]);
        }

        TinyGpt.Config config() {
            return TinyGpt.Config.of(vocab, ctx, layers, d, heads);
        }

        /**
         * Matmul FLOPs of one training step: forward 2 x multiply-adds of the block Linears (24 d^2 per token and
         * layer), attention scores and weighted values (4 T d per token and layer, the full T x T as computed) and
         * the head (2 d V per token); backward twice the forward. Element-wise work is left out.
         */
        double flopsPerStep() {
            double perToken = layers * (24.0 * d * d + 4.0 * ctx * d) + 2.0 * d * vocab;
            return 3 * perToken * batch * ctx;
        }

        /** Random tokens as the peer draws them (a function of the step). */
        BatchSource batches() {
            return (m, step) -> {
                Random r = StepRandom.of(1, step);
                long[] x = new long[batch * ctx];
                long[] y = new long[batch * ctx];
                Arrays.setAll(x, i -> r.nextInt(vocab));
                Arrays.setAll(y, i -> r.nextInt(vocab));
                return Batch.of(m.create(x).reshape(batch, ctx), m.create(y).reshape(batch, ctx));
            };
        }

        TrainConfig training(int steps, int slices) {
            TrainConfig base = TrainConfig.of(steps, 3e-4);
            return (slices > 1 ? base.withParallelSlices(slices) : base)
                    .withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                    .withGrouping(ParamGrouping.uniform(0.1))
                    .withClip(1.0)
                    .quiet();
        }
    }

    public static void main(String[] args) {
        int[] a = {96, 128, 4, 128, 4, 32, 10, 50, 1};
        for (int i = 0; i < args.length && i < a.length; i++) {
            a[i] = Integer.parseInt(args[i]);
        }
        Size size = Size.of(a);
        int warmup = a[6];
        int steps = a[7];
        int slices = a[8];
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(0);
            TinyGpt model = new TinyGpt(size.config());
            model.initialize(manager);
            LossFunction loss = LossFunction.of(Losses.softmaxCrossEntropy());
            Trainer.train(model, size.batches(), loss, size.training(warmup, slices)); // JIT, allocator and caches warm
            // after the warm-up: measured first, with the JIT compiling beside it, it once read half the peak
            double peak = matmulPeakGflops(manager);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Trainer.train(model, size.batches(), loss, size.training(steps, slices));
            double ms = (System.nanoTime() - t0) / 1e6 / steps;
            // CPU time of the whole process: robust to other processes' load (not to their cache traffic)
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / steps;
            double gflops = size.flopsPerStep() / ms / 1e6;
            System.out.printf(Locale.ROOT, "%s; %,d parameters; %.3f GFLOP per step (matmuls, 3 x forward);"
                    + " fp32 matmul peak %.1f GFLOP/s (libtorch 1024^3, best of 40, %s threads)%n", Devices.describe(),
                    model.parameterCount(), size.flopsPerStep() / 1e9, peak,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            System.out.printf(Locale.ROOT, "java ms_per_step=%.3f cpu_ms_per_step=%.3f steps=%d gflops=%.1f"
                    + " peak_share=%.3f%n", ms, cpuMs, steps, gflops, gflops / peak);
        }
    }

    /** The best of 40 square fp32 matmuls of 1024 through libtorch, in GFLOP/s: what this machine's BLAS reaches. */
    static double matmulPeakGflops(NDManager manager) {
        int n = 1024;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(n, n));
            NDArray y = scope.randomNormal(new Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 45; i++) {
                long t0 = System.nanoTime();
                x.matMul(y).close();
                long t = System.nanoTime() - t0;
                if (i >= 5) {
                    best = Math.min(best, t);
                }
            }
            return 2.0 * n * n * n / best;
        }
    }
}
