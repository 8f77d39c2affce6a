package frugal.kernel.remote;

import java.lang.reflect.Array;
import java.util.Locale;

/** Plain-text forms of values, as JShell writes them: strings quoted, arrays with their contents. */
final class TextFormat {
    /** Longest text/plain a value gets; a huge toString() must not flood the notebook. */
    static final int MAX_CHARS = 20_000;

    private TextFormat() {}

    static String value(Object v) {
        String s;
        if (v instanceof String str) {
            s = quote(str, '"');
        } else if (v instanceof Character c) {
            s = quote(String.valueOf(c), '\'');
        } else if (v != null && v.getClass().isArray()) {
            s = array(v);
        } else {
            s = String.valueOf(v);
        }
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "... (" + s.length() + " characters)";
    }

    /** A table cell: strings as they are, floating numbers with four significant decimals. */
    static String cell(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        if (v instanceof String s) {
            return s;
        }
        return value(v);
    }

    private static String array(Object a) {
        int n = Array.getLength(a);
        StringBuilder out = new StringBuilder(a.getClass().getComponentType().getSimpleName())
                .append('[').append(n).append("] { ");
        int shown = Math.min(n, 1000);
        for (int i = 0; i < shown; i++) {
            out.append(i == 0 ? "" : ", ").append(value(Array.get(a, i)));
        }
        return out.append(n > shown ? ", ... }" : n == 0 ? "}" : " }").toString();
    }

    private static String quote(String s, char q) {
        StringBuilder out = new StringBuilder().append(q);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == q) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
        return out.append(q).toString();
    }
}
