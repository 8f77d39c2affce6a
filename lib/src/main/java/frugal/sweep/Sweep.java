package frugal.sweep;

import frugal.core.FrugalException;
import frugal.train.Progress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A set of training runs, one per configuration, with results on disk:
 * {@code Sweep.of(grid).run(new MyRun(), LocalExecutor.workers(2), ResultStore.at(dir))}.
 *
 * <p>Running a sweep skips every configuration whose result is already {@link RunResult.Status#DONE} in the store
 * and runs the rest (failed ones again), so a sweep that was stopped, killed or extended with more values simply
 * continues. Each result is stored as soon as its run ends. Progress is a bar through
 * {@link frugal.core.Display}, redrawn in place in a notebook.
 */
public final class Sweep {
    /** A failing run is started this many times before it is recorded as failed. */
    public static final int DEFAULT_ATTEMPTS = 2;

    private final List<RunConfig> configs;
    private final int attempts;

    private Sweep(List<RunConfig> configs, int attempts) {
        Set<RunConfig> seen = new HashSet<>();
        for (RunConfig c : configs) {
            if (!seen.add(c)) {
                throw new FrugalException("the sweep lists " + c + " twice; each configuration runs once (add a"
                        + " 'seed' or 'repeat' parameter to repeat a run)");
            }
        }
        if (attempts < 1) {
            throw new FrugalException("a sweep needs attempts >= 1 (1 = no retry), got " + attempts);
        }
        this.configs = List.copyOf(configs);
        this.attempts = attempts;
    }

    public static Sweep of(Grid grid) {
        return new Sweep(grid.configs(), DEFAULT_ATTEMPTS);
    }

    public static Sweep of(List<RunConfig> configs) {
        return new Sweep(configs, DEFAULT_ATTEMPTS);
    }

    /** The same sweep, starting a failing run up to {@code attempts} times (1 = no retry). */
    public Sweep attempts(int attempts) {
        return new Sweep(configs, attempts);
    }

    public List<RunConfig> configs() {
        return configs;
    }

    /** Runs with the default executor: one worker JVM per core, one PyTorch thread each. */
    public SweepResults run(RunFunction fn, ResultStore store) {
        return run(fn, LocalExecutor.workers(Runtime.getRuntime().availableProcessors()), store);
    }

    /**
     * Runs every configuration not yet done in {@code store} on {@code executor} and returns all results, in
     * sweep order.
     *
     * @throws FrugalException when interrupted (finished runs stay in the store) or when the executor cannot work
     */
    public SweepResults run(RunFunction fn, SweepExecutor executor, ResultStore store) {
        store.removeStaleTemporaries();
        List<RunConfig> pending = new ArrayList<>();
        for (RunConfig c : configs) {
            Optional<RunResult> r = store.find(c);
            if (r.isEmpty() || !r.get().done()) {
                pending.add(c);
            }
        }
        int reused = configs.size() - pending.size();
        SweepProgress progress = new SweepProgress(pending.size(), reused, executor);
        try {
            executor.execute(new SweepPlan(pending, fn, attempts, store.dir().resolve("logs")), r -> {
                store.save(r);
                progress.finished(r);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrugalException("sweep interrupted after " + progress.count() + " of " + pending.size()
                    + " runs; every finished run is in " + store.dir() + ": run the same sweep again to continue", e);
        } finally {
            progress.close();
        }
        List<RunResult> results = new ArrayList<>(configs.size());
        for (RunConfig c : configs) {
            results.add(store.find(c).orElseThrow(() -> new FrugalException("the executor returned without a result"
                    + " for " + c + "; run the sweep again to fill it in")));
        }
        return new SweepResults(results, reused);
    }

    /** The sweep's progress bar (frugal.train's), counting finished runs and failures. */
    private static final class SweepProgress {
        private final Progress bar;
        private int count;
        private int failed;

        SweepProgress(int total, int reused, SweepExecutor executor) {
            String title = "sweep: " + total + (total == 1 ? " run" : " runs")
                    + (reused > 0 ? " (" + reused + " done earlier)" : "") + "; " + executor;
            this.bar = total > 0 ? Progress.start(title, "runs", total) : null;
        }

        synchronized void finished(RunResult r) {
            count++;
            failed += r.done() ? 0 : 1;
            bar.update(count, failed > 0 ? failed + " failed" : "");
        }

        synchronized int count() {
            return count;
        }

        synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
