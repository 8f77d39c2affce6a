package frugal.power;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.nn.TinyGpt;
import frugal.train.AdamW;
import frugal.train.Batch;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * What one training step of notebook 01's candidate models costs, in CPU time of the training thread (one PyTorch
 * thread, as in a sweep worker), so the figure holds on a loaded machine: a tiny model's step is mostly per-op
 * overhead, so the model that buys the most tokens per CPU-second is not simply the smallest. Prints one line per
 * (layers, width, batch): non-embedding parameters, ms of CPU per step and tokens per CPU-second.
 *
 * <p>Run (one PyTorch thread): {@code OMP_NUM_THREADS=1 FRUGAL_JAVA_OPTS=-Dai.djl.pytorch.num_threads=1 scripts/run
 * frugal.power.StepCostBench [context [steps [LxWxH,... [batch,...]]]]}, e.g. {@code 64 60 2x32x2,1x32x2 16,32,64}.
 */
public final class StepCostBench {
    private StepCostBench() {}

    public static void main(String[] args) {
        int context = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int vocab = PowerRun.vocabSize();
        int[][] shapes = Arrays.stream((args.length > 2 ? args[2] : "1x32x2,2x32x2,3x32x2,1x48x3,2x48x3,1x64x4,2x64x4")
                .split(",")).map(t -> Arrays.stream(t.split("x")).mapToInt(Integer::parseInt).toArray())
                .toArray(int[][]::new);
        int[] batches = Arrays.stream((args.length > 3 ? args[3] : "8,16,32,64,128").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Engines.pytorch();
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (int[] s : shapes) {
            for (int batch : batches) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    Seeds.set(0);
                    TinyGpt model = new TinyGpt(TinyGpt.Config.of(vocab, context, s[0], s[1], s[2]));
                    model.initialize(manager);
                    TrainConfig config = TrainConfig.of(steps, 1e-3)
                            .withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                            .withGrouping(ParamGrouping.uniform(0.1)).withClip(1.0).quiet();
                    long[] cpu = new long[2];
                    Trainer.train(model, (m, step) -> {
                        if (step == 10) {
                            cpu[0] = bean.getCurrentThreadCpuTime();
                        }
                        Random r = StepRandom.of(1, step);
                        long[] x = new long[batch * context];
                        long[] y = new long[batch * context];
                        Arrays.setAll(x, i -> r.nextInt(vocab));
                        Arrays.setAll(y, i -> r.nextInt(vocab));
                        return Batch.of(m.create(x).reshape(batch, context), m.create(y).reshape(batch, context));
                    }, LossFunction.of(Losses.softmaxCrossEntropy()), config);
                    cpu[1] = bean.getCurrentThreadCpuTime();
                    double ms = (cpu[1] - cpu[0]) / 1e6 / (steps - 10);
                    System.out.printf("layers %d width %d heads %d batch %3d: N %6d non-embedding, %7.2f ms CPU per step,"
                            + " %8.0f tokens per CPU-second%n", s[0], s[1], s[2], batch, model.nonEmbeddingParameterCount(),
                            ms, batch * context / ms * 1000);
                }
            }
        }
    }
}
