package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.sweep.LocalExecutor;
import frugal.sweep.ResultStore;
import frugal.sweep.RunConfig;
import frugal.sweep.Sweep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The same runs timed end to end (worker JVM start included) on two layouts of two cores: two worker JVMs with one
 * PyTorch thread each, and one worker JVM with two threads. Small models keep two threads poorly busy (each op is
 * short), so independent runs side by side usually win; this measures it instead of assuming it. On a machine
 * shared with other work both times grow and the comparison is noisier.
 */
public record ExecutorComparison(int runs, double twoWorkersSeconds, double oneWorkerTwoThreadsSeconds) {

    /** Runs {@code specs} once per layout, each time into a fresh store that is deleted afterwards. */
    public static ExecutorComparison measure(List<RunSpec> specs) {
        List<RunConfig> configs = specs.stream().map(RunSpec::toConfig).toList();
        double two = time(configs, LocalExecutor.workers(2).threadsPerWorker(1));
        double one = time(configs, LocalExecutor.workers(1).threadsPerWorker(2));
        return new ExecutorComparison(specs.size(), two, one);
    }

    private static double time(List<RunConfig> configs, LocalExecutor executor) {
        Path dir;
        try {
            dir = Files.createTempDirectory("frugal-executor-timing");
        } catch (IOException e) {
            throw new FrugalException("could not create a temporary folder for the executor timing: " + e, e);
        }
        try {
            long t0 = System.nanoTime();
            var results = Sweep.of(configs).run(new LossCurveRun(), executor, ResultStore.at(dir));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!results.failed().isEmpty()) {
                throw new FrugalException("a timing run failed on " + executor + ": "
                        + results.failed().get(0).errorSummary());
            }
            return seconds;
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the timing store " + dir, e);
        }
    }

    /** The layout that finished first. */
    public LocalExecutor faster() {
        return twoWorkersSeconds <= oneWorkerTwoThreadsSeconds ? LocalExecutor.workers(2).threadsPerWorker(1)
                : LocalExecutor.workers(1).threadsPerWorker(2);
    }

    /** {@code oneWorkerTwoThreads / twoWorkers}: above 1 when two workers with one thread each are faster. */
    public double speedup() {
        return oneWorkerTwoThreadsSeconds / twoWorkersSeconds;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d runs: 2 workers x 1 thread %.1f s, 1 worker x 2 threads %.1f s;"
                + " 2 x 1 is %.2fx as fast", runs, twoWorkersSeconds, oneWorkerTwoThreadsSeconds, speedup());
    }
}
