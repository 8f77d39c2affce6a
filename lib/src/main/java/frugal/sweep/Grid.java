package frugal.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A full-factorial grid: every combination of the values of each axis, {@code Grid.of("lr", 1e-3, 3e-3).and("width",
 * 32, 64)}. Configurations come out with the first axis varying slowest. Immutable.
 */
public final class Grid {
    private final LinkedHashMap<String, List<Object>> axes;

    private Grid(LinkedHashMap<String, List<Object>> axes) {
        this.axes = axes;
    }

    /** A grid with one axis. */
    public static Grid of(String name, Object... values) {
        return new Grid(new LinkedHashMap<>()).and(name, values);
    }

    public static Grid of(String name, List<?> values) {
        return new Grid(new LinkedHashMap<>()).and(name, values);
    }

    /** This grid times one more axis (a single value fixes a parameter for every run). */
    public Grid and(String name, Object... values) {
        return and(name, Arrays.asList(values));
    }

    public Grid and(String name, List<?> values) {
        if (axes.containsKey(name)) {
            throw new FrugalException("grid axis '" + name + "' is given twice; list all its values in one call");
        }
        if (values.isEmpty()) {
            throw new FrugalException("grid axis '" + name + "' has no values; give at least one");
        }
        List<Object> checked = new ArrayList<>();
        for (Object v : values) {
            Object normal = RunConfig.of(name, v).get(name); // same rules as a configuration
            if (checked.contains(normal)) {
                throw new FrugalException("grid axis '" + name + "' lists " + v + " twice; a run would be repeated");
            }
            checked.add(normal);
        }
        LinkedHashMap<String, List<Object>> copy = new LinkedHashMap<>(axes);
        copy.put(name, List.copyOf(checked));
        return new Grid(copy);
    }

    /** Number of configurations: the product of the axis lengths. */
    public int size() {
        return axes.values().stream().mapToInt(List::size).reduce(1, Math::multiplyExact);
    }

    /** Every combination, first axis slowest. */
    public List<RunConfig> configs() {
        List<RunConfig> out = new ArrayList<>(List.of(RunConfig.of()));
        for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
            List<RunConfig> next = new ArrayList<>(out.size() * axis.getValue().size());
            for (RunConfig c : out) {
                for (Object v : axis.getValue()) {
                    next.add(c.with(axis.getKey(), v));
                }
            }
            out = next;
        }
        return List.copyOf(out);
    }

    /** The grid as JSON, one array per axis: {@code {"lr": [0.001, 0.003], "width": [32, 64]}}. */
    public String toJson() {
        JsonObject o = new JsonObject();
        axes.forEach((name, values) -> {
            JsonArray a = new JsonArray();
            values.forEach(v -> a.add(RunConfig.of(name, v).toJson().get(name)));
            o.add(name, a);
        });
        return o.toString();
    }

    /**
     * Configurations from JSON: an object of axes (as {@link #toJson()} writes) is a grid; an array of objects is
     * a list of configurations, each run as given.
     */
    public static List<RunConfig> parseJson(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new FrugalException("the sweep grid is not valid JSON (" + e.getMessage() + "); write either"
                    + " {\"lr\": [0.001, 0.003], \"seed\": [1, 2]} or [{\"lr\": 0.001}, {\"lr\": 0.003}]", e);
        }
        if (root.isJsonArray()) {
            List<RunConfig> list = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray()) {
                if (!e.isJsonObject()) {
                    throw new FrugalException("a sweep list holds configuration objects like {\"lr\": 0.001}; got " + e);
                }
                list.add(RunConfig.fromJson(e.getAsJsonObject()));
            }
            return List.copyOf(list);
        }
        if (!root.isJsonObject()) {
            throw new FrugalException("the sweep grid must be a JSON object of axes or an array of configurations, got "
                    + root);
        }
        Grid g = new Grid(new LinkedHashMap<>());
        for (Map.Entry<String, JsonElement> axis : root.getAsJsonObject().entrySet()) {
            JsonArray values = axis.getValue().isJsonArray() ? axis.getValue().getAsJsonArray() : single(axis.getValue());
            List<Object> parsed = new ArrayList<>();
            for (JsonElement v : values) {
                if (!v.isJsonPrimitive()) {
                    throw new FrugalException("grid axis '" + axis.getKey() + "' holds " + v
                            + "; values must be numbers, strings or booleans");
                }
                parsed.add(RunConfig.fromJson(v.getAsJsonPrimitive()));
            }
            g = g.and(axis.getKey(), parsed);
        }
        return g.configs();
    }

    private static JsonArray single(JsonElement e) {
        JsonArray a = new JsonArray();
        a.add(e);
        return a;
    }

    @Override
    public String toString() {
        return "Grid" + axes + " (" + size() + " runs)";
    }
}
