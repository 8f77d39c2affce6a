package frugal.sweep;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Plots;
import frugal.plot.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The results of a sweep in sweep order, as a table and as chart series for {@code frugal.plot}:
 * {@code Plots.lines("final loss", "lr", "loss", Scale.LOG, Scale.LINEAR, results.series("lr", "loss", "width"))}.
 */
public final class SweepResults {
    private static final int ERROR_WIDTH = 80;

    private final List<RunResult> results;
    private final int reused;

    SweepResults(List<RunResult> results, int reused) {
        this.results = List.copyOf(results);
        this.reused = reused;
    }

    /** Every result (done and failed), in sweep order. */
    public List<RunResult> all() {
        return results;
    }

    public List<RunResult> done() {
        return results.stream().filter(RunResult::done).toList();
    }

    public List<RunResult> failed() {
        return results.stream().filter(r -> !r.done()).toList();
    }

    public int size() {
        return results.size();
    }

    /** How many results were already done in the store when the sweep started (not run again). */
    public int reused() {
        return reused;
    }

    /** The result of one configuration of this sweep. */
    public RunResult get(RunConfig config) {
        return results.stream().filter(r -> r.config().equals(config)).findFirst().orElseThrow(
                () -> new FrugalException(config + " is not a configuration of this sweep"));
    }

    /**
     * One row per run: its parameters, {@code status}, its final metrics, {@code seconds} and {@code error}
     * (first line), as ordered maps; the columns of {@link #table()}.
     */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, Object> row = new LinkedHashMap<>(r.config().values());
            row.put("status", r.status().name());
            row.putAll(r.metrics().finals());
            row.put("seconds", r.seconds());
            row.put("error", shorten(r.errorSummary()));
            rows.add(row);
        }
        return rows;
    }

    /** Every parameter, status, every final metric, seconds and error; failed runs show their error. */
    public Html table() {
        Set<String> metrics = new LinkedHashSet<>();
        results.forEach(r -> metrics.addAll(r.metrics().finals().keySet()));
        return table(metrics.toArray(String[]::new));
    }

    /** Parameters, status, the named final metrics, seconds and error. */
    public Html table(String... metrics) {
        Set<String> params = new LinkedHashSet<>();
        results.forEach(r -> params.addAll(r.config().names()));
        List<String> headers = new ArrayList<>(params);
        headers.add("status");
        headers.addAll(Arrays.asList(metrics));
        headers.add("seconds");
        boolean anyFailed = results.stream().anyMatch(r -> !r.done());
        if (anyFailed) {
            headers.add("error");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (RunResult r : results) {
            List<Object> row = new ArrayList<>();
            params.forEach(p -> row.add(r.config().has(p) ? r.config().get(p) : ""));
            row.add(r.status().name().toLowerCase(Locale.ROOT));
            for (String m : metrics) {
                Double v = r.metrics().finals().get(m);
                row.add(v == null ? "" : v);
            }
            row.add(r.seconds());
            if (anyFailed) {
                row.add(shorten(r.errorSummary()));
            }
            rows.add(row);
        }
        return Plots.table(headers, rows);
    }

    /**
     * A final metric against a numeric parameter, one series per value of {@code groupBy} (named
     * {@code groupBy=value}), points sorted by x. Runs that failed or whose value is not finite are left out.
     */
    public Series[] series(String x, String metric, String groupBy) {
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (RunResult r : done()) {
            Double y = r.metrics().finals().get(metric);
            if (y == null) {
                throw new FrugalException("run " + r.config() + " has no final metric '" + metric + "'; it has "
                        + r.metrics().finals().keySet());
            }
            if (Double.isFinite(y)) {
                String group = groupBy == null ? metric : groupBy + "=" + r.config().get(groupBy);
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(new double[] {r.config().getDouble(x), y});
            }
        }
        return groups.entrySet().stream().map(g -> {
            TreeMap<Double, Double> sorted = new TreeMap<>();
            for (double[] p : g.getValue()) {
                if (sorted.put(p[0], p[1]) != null) {
                    throw new FrugalException("two runs of series '" + g.getKey() + "' have " + x + "=" + p[0]
                            + "; they differ in another parameter: group by it, or filter the runs first");
                }
            }
            return new Series(g.getKey(), sorted.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                    sorted.values().stream().mapToDouble(Double::doubleValue).toArray());
        }).toArray(Series[]::new);
    }

    /** A final metric against a numeric parameter, one series over all finished runs. */
    public Series[] series(String x, String metric) {
        return series(x, metric, null);
    }

    /** One curve per finished run (a metric against the step), named by the run's configuration. */
    public Series[] curves(String curve) {
        return done().stream().map(r -> {
            Series s = r.metrics().curve(curve);
            return new Series(r.config().toString(), s.x(), s.y());
        }).toArray(Series[]::new);
    }

    private static String shorten(String s) {
        return s.length() <= ERROR_WIDTH ? s : s.substring(0, ERROR_WIDTH - 3) + "...";
    }

    /** The table as text, for a terminal. */
    @Override
    public String toString() {
        return table().text();
    }
}
