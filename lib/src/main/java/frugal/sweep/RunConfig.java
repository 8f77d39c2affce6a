package frugal.sweep;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import frugal.core.FrugalException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One configuration of a sweep: named values (integers, doubles, strings, booleans), immutable, in the order given.
 *
 * <p>Plain values keep a configuration readable as JSON, usable as table columns, and identical on every machine
 * of a cluster. Integers are held as {@code long}, floating point as {@code double} (a {@code float} by its
 * decimal form, so {@code 0.1f} is 0.1), enums by name. Two configurations with the same names and values are
 * equal whatever their order; {@link #key()} names the run in a {@link ResultStore}.
 */
public final class RunConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> values;

    private RunConfig(LinkedHashMap<String, Object> values) {
        this.values = values;
    }

    /** {@code RunConfig.of("lr", 1e-3, "width", 64)}: names and values alternating. */
    public static RunConfig of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new FrugalException("RunConfig.of takes names and values alternating (\"lr\", 1e-3, \"width\", 64);"
                    + " got " + namesAndValues.length + " arguments");
        }
        RunConfig c = new RunConfig(new LinkedHashMap<>());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new FrugalException("RunConfig.of: argument " + i + " must be a parameter name (a String), got "
                        + namesAndValues[i]);
            }
            c = c.with(name, namesAndValues[i + 1]);
        }
        return c;
    }

    /** A configuration with the entries of {@code values}, in its iteration order. */
    public static RunConfig of(Map<String, ?> values) {
        RunConfig c = new RunConfig(new LinkedHashMap<>());
        for (Map.Entry<String, ?> e : values.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    /** A copy with {@code name} set to {@code value} (appended, or replaced in place). */
    public RunConfig with(String name, Object value) {
        if (name == null || name.isBlank()) {
            throw new FrugalException("a configuration parameter needs a non-blank name, got '" + name + "'");
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, normalize(name, value));
        return new RunConfig(copy);
    }

    private static Object normalize(String name, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return normalize(name, Double.parseDouble(f.toString()));
        }
        if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new FrugalException("configuration parameter '" + name + "' is " + d
                        + "; values must be finite (a run that should fail belongs in the run function)");
            }
            return d;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof String || value instanceof Boolean) {
            return value;
        }
        throw new FrugalException("configuration parameter '" + name + "' is "
                + (value == null ? "null" : "a " + value.getClass().getName())
                + "; use an integer, double, string, boolean or enum (name structured choices, e.g. \"schedule\": \"wsd\")");
    }

    /** The parameter names, in the order they were given. */
    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The parameters as an unmodifiable map (Long, Double, String or Boolean values). */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The raw value (Long, Double, String or Boolean). */
    public Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new FrugalException("configuration " + this + " has no parameter '" + name + "'; add it to the grid"
                    + " (Grid.of(\"" + name + "\", ...)) or read it with a default");
        }
        return v;
    }

    public double getDouble(String name) {
        Object v = get(name);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        throw wrongType(name, v, "a number");
    }

    public double getDouble(String name, double orElse) {
        return has(name) ? getDouble(name) : orElse;
    }

    public long getLong(String name) {
        return typed(name, Long.class, "an integer");
    }

    public long getLong(String name, long orElse) {
        return has(name) ? getLong(name) : orElse;
    }

    public int getInt(String name) {
        long v = getLong(name);
        if (v != (int) v) {
            throw new FrugalException("configuration parameter '" + name + "' is " + v + ", beyond the int range");
        }
        return (int) v;
    }

    public int getInt(String name, int orElse) {
        return has(name) ? getInt(name) : orElse;
    }

    public String getString(String name) {
        return typed(name, String.class, "a string");
    }

    public String getString(String name, String orElse) {
        return has(name) ? getString(name) : orElse;
    }

    public boolean getBoolean(String name) {
        return typed(name, Boolean.class, "a boolean");
    }

    public boolean getBoolean(String name, boolean orElse) {
        return has(name) ? getBoolean(name) : orElse;
    }

    private <T> T typed(String name, Class<T> type, String expected) {
        Object v = get(name);
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw wrongType(name, v, expected);
    }

    private FrugalException wrongType(String name, Object v, String expected) {
        String kind = v instanceof Long ? "an integer" : v instanceof Double ? "a double" : v instanceof String
                ? "a string" : "a boolean";
        return new FrugalException("configuration parameter '" + name + "' is " + v + " (" + kind + "), expected "
                + expected + "; fix the grid's values for '" + name + "'");
    }

    /** Canonical text of the configuration: names sorted, values typed ({@code lr=0.001;width=64}). */
    public String key() {
        return new TreeMap<>(values).entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof String s ? new JsonPrimitive(s).toString()
                        : e.getValue().toString()))
                .collect(Collectors.joining(";"));
    }

    /**
     * A file name stem for this configuration: readable parameter values in name order (shortened) plus a hash of
     * {@link #key()}, so different configurations never share a file.
     */
    public String fileStem() {
        String readable = new TreeMap<>(values).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("_")).replaceAll("[^A-Za-z0-9=._+-]", "-");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key().getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** JSON object in parameter order; {@link #fromJson(JsonObject)} restores it with the same types. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        values.forEach((k, v) -> o.add(k, v instanceof Long l ? new JsonPrimitive(l) : v instanceof Double d
                ? new JsonPrimitive(d) : v instanceof Boolean b ? new JsonPrimitive(b) : new JsonPrimitive((String) v)));
        return o;
    }

    public static RunConfig fromJson(JsonObject json) {
        RunConfig c = new RunConfig(new LinkedHashMap<>());
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (!e.getValue().isJsonPrimitive()) {
                throw new FrugalException("configuration parameter '" + e.getKey() + "' is " + e.getValue()
                        + " in JSON; values must be numbers, strings or booleans");
            }
            c = c.with(e.getKey(), fromJson(e.getValue().getAsJsonPrimitive()));
        }
        return c;
    }

    public static RunConfig fromJson(String json) {
        return fromJson(JsonParser.parseString(json).getAsJsonObject());
    }

    /** A JSON number with a decimal point or exponent is a double (Double.toString always writes one), else a long. */
    static Object fromJson(JsonPrimitive p) {
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            String text = p.getAsString();
            return text.matches("-?\\d+") ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
        }
        return p.getAsString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunConfig other && new TreeMap<>(values).equals(new TreeMap<>(other.values));
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    /** {@code lr=0.001, width=64} in parameter order. */
    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
