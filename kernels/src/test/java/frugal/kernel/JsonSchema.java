package frugal.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small JSON Schema (draft-07) validator for the protocol test: the keywords the message schema uses, and
 * no others. A schema that uses a keyword this class does not know fails loudly instead of passing silently.
 * Supported: type, enum, const, properties, required, additionalProperties, patternProperties, propertyNames,
 * maxProperties, items (one schema, or an array for tuples), minItems, maxItems, minimum, minLength, pattern,
 * $ref (local "#/a/b" pointers), allOf, anyOf, oneOf, not.
 */
final class JsonSchema {
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title", "description",
            "definitions", "messages");
    private static final Set<String> KEYWORDS = Set.of("type", "enum", "const", "properties", "required",
            "additionalProperties", "patternProperties", "propertyNames", "maxProperties", "items", "minItems",
            "maxItems", "minimum", "minLength", "pattern", "$ref", "allOf", "anyOf", "oneOf", "not");

    private final JsonObject root;

    private JsonSchema(JsonObject root) {
        this.root = root;
        checkKeywords(root, "#");
    }

    static JsonSchema load(String resource) {
        try (InputStream in = JsonSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new JsonSchema(new Gson().fromJson(new InputStreamReader(in, StandardCharsets.UTF_8), JsonObject.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schema at a local pointer such as {@code #/messages/complete_reply}, or null. */
    JsonObject at(String pointer) {
        JsonElement e = root;
        for (String part : pointer.substring(2).split("/")) {
            if (e == null || !e.isJsonObject()) {
                return null;
            }
            e = e.getAsJsonObject().get(part);
        }
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    /** Every violation of {@code schema} by {@code value}, each as "path: what"; empty when valid. */
    List<String> validate(JsonObject schema, JsonElement value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    private void check(JsonObject s, JsonElement v, String path, List<String> errors) {
        for (Map.Entry<String, JsonElement> k : s.entrySet()) {
            JsonElement arg = k.getValue();
            switch (k.getKey()) {
                case "$ref" -> {
                    JsonObject target = at(arg.getAsString());
                    if (target == null) {
                        throw new IllegalStateException("schema: unresolved $ref " + arg);
                    }
                    check(target, v, path, errors);
                }
                case "type" -> {
                    boolean ok = false;
                    for (JsonElement t : arg.isJsonArray() ? arg.getAsJsonArray() : single(arg)) {
                        ok |= hasType(v, t.getAsString());
                    }
                    if (!ok) {
                        errors.add(path + ": expected " + arg + ", got " + brief(v));
                    }
                }
                case "enum" -> {
                    if (!arg.getAsJsonArray().contains(v)) {
                        errors.add(path + ": " + brief(v) + " is not one of " + arg);
                    }
                }
                case "const" -> {
                    if (!arg.equals(v)) {
                        errors.add(path + ": expected " + arg + ", got " + brief(v));
                    }
                }
                case "required" -> {
                    if (v.isJsonObject()) {
                        for (JsonElement name : arg.getAsJsonArray()) {
                            if (!v.getAsJsonObject().has(name.getAsString())) {
                                errors.add(path + ": missing required field \"" + name.getAsString() + "\"");
                            }
                        }
                    }
                }
                case "properties" -> {
                    if (v.isJsonObject()) {
                        for (Map.Entry<String, JsonElement> p : arg.getAsJsonObject().entrySet()) {
                            JsonElement field = v.getAsJsonObject().get(p.getKey());
                            if (field != null) {
                                check(p.getValue().getAsJsonObject(), field, path + "." + p.getKey(), errors);
                            }
                        }
                    }
                }
                case "patternProperties" -> {
                    if (v.isJsonObject()) {
                        for (Map.Entry<String, JsonElement> p : arg.getAsJsonObject().entrySet()) {
                            Pattern pattern = Pattern.compile(p.getKey());
                            for (Map.Entry<String, JsonElement> f : v.getAsJsonObject().entrySet()) {
                                if (pattern.matcher(f.getKey()).find()) {
                                    check(p.getValue().getAsJsonObject(), f.getValue(), path + "." + f.getKey(), errors);
                                }
                            }
                        }
                    }
                }
                case "additionalProperties" -> {
                    if (v.isJsonObject()) {
                        for (Map.Entry<String, JsonElement> f : v.getAsJsonObject().entrySet()) {
                            if (declared(s, f.getKey())) {
                                continue;
                            }
                            if (arg.isJsonPrimitive() && !arg.getAsBoolean()) {
                                errors.add(path + ": unexpected field \"" + f.getKey() + "\"");
                            } else if (arg.isJsonObject()) {
                                check(arg.getAsJsonObject(), f.getValue(), path + "." + f.getKey(), errors);
                            }
                        }
                    }
                }
                case "propertyNames" -> {
                    if (v.isJsonObject()) {
                        for (String name : v.getAsJsonObject().keySet()) {
                            check(arg.getAsJsonObject(), new JsonPrimitive(name), path + " key \"" + name + "\"", errors);
                        }
                    }
                }
                case "maxProperties" -> {
                    if (v.isJsonObject() && v.getAsJsonObject().size() > arg.getAsInt()) {
                        errors.add(path + ": more than " + arg + " fields");
                    }
                }
                case "items" -> {
                    if (v.isJsonArray()) {
                        JsonArray a = v.getAsJsonArray();
                        for (int i = 0; i < a.size(); i++) {
                            JsonElement item = arg.isJsonArray()
                                    ? (i < arg.getAsJsonArray().size() ? arg.getAsJsonArray().get(i) : null) : arg;
                            if (item != null) {
                                check(item.getAsJsonObject(), a.get(i), path + "[" + i + "]", errors);
                            }
                        }
                    }
                }
                case "minItems" -> {
                    if (v.isJsonArray() && v.getAsJsonArray().size() < arg.getAsInt()) {
                        errors.add(path + ": fewer than " + arg + " items");
                    }
                }
                case "maxItems" -> {
                    if (v.isJsonArray() && v.getAsJsonArray().size() > arg.getAsInt()) {
                        errors.add(path + ": more than " + arg + " items");
                    }
                }
                case "minimum" -> {
                    if (isNumber(v) && v.getAsDouble() < arg.getAsDouble()) {
                        errors.add(path + ": " + v + " is below " + arg);
                    }
                }
                case "minLength" -> {
                    if (isString(v) && v.getAsString().codePointCount(0, v.getAsString().length()) < arg.getAsInt()) {
                        errors.add(path + ": shorter than " + arg);
                    }
                }
                case "pattern" -> {
                    if (isString(v) && !Pattern.compile(arg.getAsString()).matcher(v.getAsString()).find()) {
                        errors.add(path + ": " + brief(v) + " does not match " + arg.getAsString());
                    }
                }
                case "allOf" -> arg.getAsJsonArray().forEach(sub -> check(sub.getAsJsonObject(), v, path, errors));
                case "anyOf", "oneOf" -> {
                    List<List<String>> failures = new ArrayList<>();
                    int passed = 0;
                    for (JsonElement sub : arg.getAsJsonArray()) {
                        List<String> e = validate(sub.getAsJsonObject(), v);
                        failures.add(e);
                        passed += e.isEmpty() ? 1 : 0;
                    }
                    if (passed == 0) {
                        errors.add(path + ": matches none of " + k.getKey() + " " + failures);
                    } else if (k.getKey().equals("oneOf") && passed > 1) {
                        errors.add(path + ": matches " + passed + " alternatives of oneOf, not exactly one");
                    }
                }
                case "not" -> {
                    if (validate(arg.getAsJsonObject(), v).isEmpty()) {
                        errors.add(path + ": must not match " + arg);
                    }
                }
                default -> {
                    // annotations (title, description, ...) say nothing about the value
                }
            }
        }
    }

    private static boolean declared(JsonObject s, String field) {
        if (s.has("properties") && s.getAsJsonObject("properties").has(field)) {
            return true;
        }
        if (s.has("patternProperties")) {
            for (String p : s.getAsJsonObject("patternProperties").keySet()) {
                if (Pattern.compile(p).matcher(field).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasType(JsonElement v, String type) {
        return switch (type) {
            case "object" -> v.isJsonObject();
            case "array" -> v.isJsonArray();
            case "string" -> isString(v);
            case "boolean" -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean();
            case "number" -> isNumber(v);
            case "integer" -> isNumber(v) && v.getAsDouble() == Math.rint(v.getAsDouble());
            case "null" -> v.isJsonNull();
            default -> throw new IllegalStateException("schema: unknown type " + type);
        };
    }

    private static boolean isString(JsonElement v) {
        return v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
    }

    private static boolean isNumber(JsonElement v) {
        return v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber();
    }

    private static JsonArray single(JsonElement e) {
        JsonArray a = new JsonArray();
        a.add(e);
        return a;
    }

    private static String brief(JsonElement v) {
        String s = String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** Rejects keywords the validator would ignore, anywhere a schema can be. */
    private static void checkKeywords(JsonElement e, String path) {
        if (!e.isJsonObject()) {
            if (e.isJsonArray()) {
                e.getAsJsonArray().forEach(x -> checkKeywords(x, path + "[]"));
            }
            return;
        }
        for (Map.Entry<String, JsonElement> k : e.getAsJsonObject().entrySet()) {
            String key = k.getKey();
            if (!KEYWORDS.contains(key) && !ANNOTATIONS.contains(key)) {
                throw new IllegalStateException("schema " + path + ": keyword \"" + key + "\" is not supported by JsonSchema");
            }
            JsonElement arg = k.getValue();
            switch (key) {
                case "properties", "patternProperties", "definitions", "messages" ->
                        arg.getAsJsonObject().entrySet().forEach(p -> checkKeywords(p.getValue(), path + "/" + key + "/" + p.getKey()));
                case "additionalProperties", "propertyNames", "items", "not", "allOf", "anyOf", "oneOf" ->
                        checkKeywords(arg, path + "/" + key);
                default -> {
                    // values, not schemas
                }
            }
        }
    }
}
