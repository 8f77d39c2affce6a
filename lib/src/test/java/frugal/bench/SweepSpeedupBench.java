package frugal.bench;

import ai.djl.ndarray.NDManager;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.nn.TinyGpt;
import frugal.sweep.Grid;
import frugal.sweep.LocalExecutor;
import frugal.sweep.Metrics;
import frugal.sweep.ResultStore;
import frugal.sweep.RunConfig;
import frugal.sweep.RunFunction;
import frugal.sweep.RunResult;
import frugal.sweep.Sweep;
import frugal.sweep.SweepExecutor;
import frugal.sweep.SweepResults;
import frugal.train.Batch;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A sweep of 8 small tiny-GPT training runs (lr x width x seed) on 1 worker JVM and on 2, timed end to end (worker
 * start included). Prints wall times, the speed-up of 2 workers over 1, whether the executors gave the same
 * numbers as the first (expected with the same thread count per run: PyTorch splits reductions by thread count),
 * and the load average before and after (the machine may be shared).
 *
 * <p>{@code scripts/run frugal.bench.SweepSpeedupBench [steps]} (default 150 steps per run).
 */
public final class SweepSpeedupBench {
    private SweepSpeedupBench() {}

    /** A tiny GPT learning a deterministic token rule (next = 3 x token + 1 mod vocab) from random starts. */
    public static final class TinyGptRun implements RunFunction {
        @Override
        public Metrics run(RunConfig c) {
            int vocab = 64;
            int ctx = 32;
            int batch = 16;
            long seed = c.getLong("seed");
            try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
                Seeds.set(seed);
                TinyGpt model = new TinyGpt(TinyGpt.Config.of(vocab, ctx, 2, c.getInt("width"), 4));
                model.initialize(manager);
                TrainConfig config = TrainConfig.of(c.getLong("steps"), c.getDouble("lr")).withSeed(seed).quiet();
                return Metrics.of(Trainer.train(model, (m, step) -> {
                    var r = StepRandom.of(seed, step);
                    long[] x = new long[batch * ctx];
                    long[] y = new long[batch * ctx];
                    for (int i = 0; i < batch; i++) {
                        long t = r.nextInt(vocab);
                        for (int j = 0; j < ctx; j++) {
                            x[i * ctx + j] = t;
                            t = (3 * t + 1) % vocab;
                            y[i * ctx + j] = t;
                        }
                    }
                    return Batch.of(m.create(x).reshape(batch, ctx), m.create(y).reshape(batch, ctx));
                }, LossFunction.of(Losses.softmaxCrossEntropy()), config));
            }
        }
    }

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        Grid grid = Grid.of("lr", 1e-3, 3e-3).and("width", 32, 64).and("seed", 1, 2).and("steps", steps);
        System.out.printf(Locale.ROOT, "%d runs of %d steps; %d cores; %s%nload average before: %s%n", grid.size(),
                steps, Runtime.getRuntime().availableProcessors(), Devices.describe(), load());
        double oneThread = time("1 worker  x 1 thread ", grid, LocalExecutor.workers(1).threadsPerWorker(1), null);
        SweepResults reference = last;
        double two = time("2 workers x 1 thread ", grid, LocalExecutor.workers(2), reference);
        double one = time("1 worker  x 2 threads", grid, LocalExecutor.workers(1).threadsPerWorker(2), reference);
        System.out.printf(Locale.ROOT, "speed-up of 2 workers x 1 thread: %.2fx over 1 worker x 1 thread, %.2fx over"
                + " 1 worker x 2 threads%nload average after: %s%n", oneThread / two, one / two, load());
    }

    private static SweepResults last;

    private static double time(String label, Grid grid, SweepExecutor executor, SweepResults reference)
            throws IOException {
        Path dir = Files.createTempDirectory("sweep-bench");
        try {
            long t0 = System.nanoTime();
            last = Sweep.of(grid).attempts(1).run(new TinyGptRun(), executor, ResultStore.at(dir));
            double seconds = (System.nanoTime() - t0) / 1e9;
            double runs = last.all().stream().mapToDouble(RunResult::seconds).sum();
            String same = reference == null ? "" : last.all().stream().allMatch(r -> r.metrics().equals(
                    reference.get(r.config()).metrics())) ? ", same numbers as the first" : ", other numbers than the first";
            System.out.printf(Locale.ROOT, "%s: %6.1f s wall, %6.1f s inside runs, %d/%d done%s%n", label, seconds, runs,
                    last.done().size(), last.size(), same);
            return seconds;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String load() throws IOException {
        List<String> f = List.of(Files.readString(Path.of("/proc/loadavg")).split(" "));
        return String.join(" ", f.subList(0, 3)) + " (1, 5, 15 min)";
    }
}
