package frugal.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import frugal.core.FrugalException;
import frugal.plot.Series;
import frugal.train.History;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one run measured: final numbers by name ({@code loss}, {@code eval_accuracy}, ...) and curves by name
 * (a metric against the step). Immutable; build with {@link #of(History)} and {@link #withFinal}/{@link #withCurve}.
 *
 * <p>Wall times are left out on purpose: two runs of the same configuration and seed give equal metrics, so
 * results from a laptop and from a cluster can be compared with {@link #equals(Object)}.
 */
public final class Metrics {
    private final LinkedHashMap<String, Double> finals;
    private final LinkedHashMap<String, Series> curves;

    private Metrics(LinkedHashMap<String, Double> finals, LinkedHashMap<String, Series> curves) {
        this.finals = finals;
        this.curves = curves;
    }

    public static Metrics empty() {
        return new Metrics(new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /**
     * A training history as metrics: curves {@code loss}, {@code lr}, {@code grad_norm} per step and
     * {@code eval_<name>} per evaluation; finals {@code loss} (last step's), {@code tokens} and
     * the last value of every evaluation metric as {@code eval_<name>}.
     */
    public static Metrics of(History history) {
        Metrics m = empty();
        for (String name : new String[] {"loss", "lr", "grad_norm"}) {
            m = m.withCurve(name, history.series(name));
        }
        for (String metric : history.evalMetrics()) {
            Series s = history.evalSeries(metric);
            m = m.withCurve("eval_" + metric, s).withFinal("eval_" + metric, s.y()[s.size() - 1]);
        }
        int n = history.steps().size();
        return m.withFinal("loss", history.lastLoss())
                .withFinal("tokens", n == 0 ? 0 : history.steps().get(n - 1).tokens());
    }

    /** A copy with the final number {@code name} set (NaN is allowed: a diverged run says so). */
    public Metrics withFinal(String name, double value) {
        LinkedHashMap<String, Double> copy = new LinkedHashMap<>(finals);
        copy.put(requireName(name), value);
        return new Metrics(copy, curves);
    }

    /** A copy with the curve {@code name} set; the series is copied. */
    public Metrics withCurve(String name, Series curve) {
        LinkedHashMap<String, Series> copy = new LinkedHashMap<>(curves);
        copy.put(requireName(name), new Series(name, curve.x().clone(), curve.y().clone()));
        return new Metrics(finals, copy);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new FrugalException("a metric needs a non-blank name, got '" + name + "'");
        }
        return name;
    }

    public Map<String, Double> finals() {
        return Collections.unmodifiableMap(finals);
    }

    /** A final number; the error lists the names recorded. */
    public double get(String name) {
        Double v = finals.get(name);
        if (v == null) {
            throw new FrugalException("no final metric '" + name + "'; recorded: " + finals.keySet());
        }
        return v;
    }

    public Map<String, Series> curves() {
        return Collections.unmodifiableMap(curves);
    }

    /** A curve, as a fresh copy; the error lists the names recorded. */
    public Series curve(String name) {
        Series s = curves.get(name);
        if (s == null) {
            throw new FrugalException("no curve '" + name + "'; recorded: " + curves.keySet());
        }
        return new Series(name, s.x().clone(), s.y().clone());
    }

    JsonObject toJson() {
        JsonObject f = new JsonObject();
        finals.forEach(f::addProperty);
        JsonObject c = new JsonObject();
        curves.forEach((name, s) -> {
            JsonObject xy = new JsonObject();
            xy.add("x", array(s.x()));
            xy.add("y", array(s.y()));
            c.add(name, xy);
        });
        JsonObject o = new JsonObject();
        o.add("finals", f);
        o.add("curves", c);
        return o;
    }

    static Metrics fromJson(JsonObject o) {
        Metrics m = empty();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("finals").entrySet()) {
            m = m.withFinal(e.getKey(), e.getValue().getAsDouble());
        }
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("curves").entrySet()) {
            JsonObject xy = e.getValue().getAsJsonObject();
            m = m.withCurve(e.getKey(), new Series(e.getKey(), doubles(xy.getAsJsonArray("x")),
                    doubles(xy.getAsJsonArray("y"))));
        }
        return m;
    }

    private static JsonArray array(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** Same finals and same curves, value for value (NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Metrics other) || !finals.equals(other.finals) || !curves.keySet().equals(other.curves.keySet())) {
            return false;
        }
        return curves.entrySet().stream().allMatch(e -> {
            Series b = other.curves.get(e.getKey());
            return Arrays.equals(e.getValue().x(), b.x()) && Arrays.equals(e.getValue().y(), b.y());
        });
    }

    @Override
    public int hashCode() {
        return Objects.hash(finals, curves.keySet());
    }

    @Override
    public String toString() {
        return "Metrics" + finals + " curves " + curves.keySet();
    }
}
