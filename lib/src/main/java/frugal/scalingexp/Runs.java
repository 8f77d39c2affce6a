package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.plot.Series;
import frugal.scaling.Observation;
import frugal.scaling.RunTable;
import frugal.sweep.RunResult;
import frugal.sweep.SweepResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finished runs of a scaling study, by {@link RunSpec}: their validation-loss curves and their table of
 * observations for the fits in {@code frugal.scaling}. Every run must have finished: a fit over the runs that
 * happened to survive would silently change the study.
 */
public final class Runs {
    private final Map<RunSpec, RunResult> results;
    private final double wallSeconds;

    private Runs(Map<RunSpec, RunResult> results, double wallSeconds) {
        this.results = results;
        this.wallSeconds = wallSeconds;
    }

    /**
     * The results of {@code specs} from a sweep over their configurations.
     *
     * @param wallSeconds how long the sweep took on the wall clock (runs reused from the store cost nothing)
     */
    public static Runs of(List<RunSpec> specs, SweepResults sweep, double wallSeconds) {
        Map<RunSpec, RunResult> results = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (RunSpec spec : specs) {
            RunResult r = sweep.get(spec.toConfig());
            if (!r.done()) {
                failed.add(spec.name() + ": " + r.errorSummary());
            }
            results.put(spec, r);
        }
        if (!failed.isEmpty()) {
            throw new FrugalException(failed.size() + " of " + specs.size() + " runs failed, so the study cannot be"
                    + " fitted: " + String.join("; ", failed) + ". The full errors are in the sweep's result store;"
                    + " fix the cause and run the cell again (finished runs are reused)");
        }
        return new Runs(results, wallSeconds);
    }

    /** These runs and {@code other}'s, in that order. */
    public Runs and(Runs other) {
        Map<RunSpec, RunResult> both = new LinkedHashMap<>(results);
        both.putAll(other.results);
        return new Runs(both, wallSeconds + other.wallSeconds);
    }

    /** Only the runs of {@code specs} (each must be here). */
    public Runs only(List<RunSpec> specs) {
        Map<RunSpec, RunResult> kept = new LinkedHashMap<>();
        for (RunSpec s : specs) {
            kept.put(s, result(s));
        }
        return new Runs(kept, 0);
    }

    public List<RunSpec> specs() {
        return List.copyOf(results.keySet());
    }

    /** Kaplan's N of the run's model: non-embedding parameters. */
    public long params(RunSpec spec) {
        return (long) result(spec).metrics().get(LossCurveRun.PARAMS);
    }

    /** The run's validation loss (nats per character) against the step. */
    public Series curve(RunSpec spec) {
        Series s = result(spec).metrics().curve(LossCurveRun.VAL_LOSS);
        return new Series(spec.name(), s.x(), s.y());
    }

    /** Every run's validation curve, named {@code "2x64 B2048 (N = 107,328)"}. */
    public Series[] curves() {
        return results.keySet().stream().map(s -> {
            Series c = curve(s);
            return new Series(String.format("%s (N = %,d)", s.name(), params(s)), c.x(), c.y());
        }).toArray(Series[]::new);
    }

    /**
     * Every validation measurement taken once the run had seen at least {@code fromTokens} tokens, as a
     * {@link RunTable} (run name, N, batch in tokens, step, loss): the input of the scaling-law fits. The cut is in
     * tokens, not steps, because what it leaves out (the plateau while a model learns character frequencies, before
     * it uses its context) ends after about the same number of tokens whatever the batch.
     */
    public RunTable table(long fromTokens) {
        List<Observation> rows = new ArrayList<>();
        for (RunSpec spec : results.keySet()) {
            Series c = curve(spec);
            for (int i = 0; i < c.size(); i++) {
                long step = Math.round(c.x()[i]);
                if (step * spec.batchTokens() >= fromTokens) {
                    rows.add(new Observation(spec.name(), params(spec), spec.batchTokens(), step, c.y()[i]));
                }
            }
        }
        return RunTable.of(rows);
    }

    /** Summed run time of these runs as the sweep recorded it (the sum over workers, not the wall clock). */
    public double runSeconds() {
        return results.values().stream().mapToDouble(RunResult::seconds).sum();
    }

    /** Wall-clock seconds the sweeps that produced these runs took. */
    public double wallSeconds() {
        return wallSeconds;
    }

    private RunResult result(RunSpec spec) {
        RunResult r = results.get(spec);
        if (r == null) {
            throw new FrugalException("no run " + spec.name() + " here; runs: "
                    + results.keySet().stream().map(RunSpec::name).toList());
        }
        return r;
    }

    @Override
    public String toString() {
        return "Runs" + results.keySet().stream().map(RunSpec::name).toList();
    }
}
