package frugal.kernel.remote;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A DJL {@link NDArray} as a compact HTML table and a numpy-like text repr: shape, dtype, device,
 * and the values with the middle of every long axis elided. Only the shown corners are copied out
 * of the array, so a huge tensor costs a few slices, never a full download.
 */
final class NdArrayFormat {
    /** An axis longer than this is elided ... */
    static final int LIMIT = 8;
    /** ... to this many items at each end (leading axes of a 3-D+ array keep one at each end). */
    static final int EDGE = 3;

    private NdArrayFormat() {}

    static MimeBundle render(NDArray array) {
        if (array.isReleased()) {
            return MimeBundle.text("NDArray (closed: its NDManager was closed; keep it in a live manager to show it)");
        }
        Preview p = Preview.of(array);
        return MimeBundle.html(html(p), text(p));
    }

    /** The shown part of an array: original indices per axis (-1 marks the elision) and the values. */
    record Preview(String header, String stats, long[][] shown, String[] values) {
        static Preview of(NDArray array) {
            Shape shape = array.getShape();
            int ndim = shape.dimension();
            long[][] shown = new long[ndim][];
            DataType type = array.getDataType();
            String[] values;
            try (NDManager scope = array.getManager().newSubManager()) {
                NDArray cur = array;
                for (int axis = 0; axis < ndim; axis++) {
                    long len = shape.get(axis);
                    int edge = axis < ndim - 2 ? 1 : EDGE;
                    if (len > Math.max(LIMIT, 2 * edge + 1) || (edge == 1 && len > 3)) {
                        String pre = ":,".repeat(axis);
                        NDArray head = cur.get(scope, new NDIndex(pre + "0:" + edge));
                        NDArray tail = cur.get(scope, new NDIndex(pre + (len - edge) + ":"));
                        cur = head.concat(tail, axis);
                        shown[axis] = new long[2 * edge + 1];
                        for (int i = 0; i < edge; i++) {
                            shown[axis][i] = i;
                            shown[axis][edge + 1 + i] = len - edge + i;
                        }
                        shown[axis][edge] = -1;
                    } else {
                        shown[axis] = new long[(int) len];
                        for (int i = 0; i < len; i++) {
                            shown[axis][i] = i;
                        }
                    }
                }
                if (cur == array) {
                    // nothing was elided, so the array is small: copy it into the scope so that
                    // conversions below never attach to the caller's manager
                    cur = array.duplicate();
                    cur.attach(scope);
                }
                values = readValues(cur, type);
            }
            String header = "NDArray " + (array.getName() == null ? "" : "'" + array.getName() + "' ")
                    + shape + " " + type + " " + array.getDevice();
            return new Preview(header, summary(array, type), shown, values);
        }
    }

    private static String[] readValues(NDArray a, DataType type) {
        int n = (int) a.size();
        String[] out = new String[n];
        if (type.isFloating()) {
            double[] v = a.toType(DataType.FLOAT64, false).toDoubleArray();
            for (int i = 0; i < n; i++) {
                out[i] = number(v[i]);
            }
        } else if (type.isInteger()) {
            long[] v = a.toType(DataType.INT64, false).toLongArray();
            for (int i = 0; i < n; i++) {
                out[i] = Long.toString(v[i]);
            }
        } else if (type.isBoolean()) {
            boolean[] v = a.toBooleanArray();
            for (int i = 0; i < n; i++) {
                out[i] = Boolean.toString(v[i]);
            }
        } else {
            java.util.Arrays.fill(out, "?");
        }
        return out;
    }

    /** min / max / mean for floating arrays larger than what is shown; NaN is called out. */
    private static String summary(NDArray array, DataType type) {
        if (!type.isFloating() || array.size() <= 1 || array.size() > 100_000_000L) {
            return "";
        }
        List<NDArray> temps = new ArrayList<>();
        try {
            NDArray nan = array.isNaN().any();
            temps.add(nan);
            if (nan.getBoolean()) {
                return "contains NaN";
            }
            NDArray min = array.min();
            NDArray max = array.max();
            NDArray mean = array.toType(DataType.FLOAT32, false).mean();
            temps.add(min);
            temps.add(max);
            temps.add(mean);
            return "min " + number(scalar(min)) + ", max " + number(scalar(max)) + ", mean " + number(scalar(mean));
        } catch (RuntimeException e) {
            return "";
        } finally {
            temps.forEach(NDArray::close);
        }
    }

    private static double scalar(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    /** numpy-like: integers as {@code 2.}, others with four decimals, tiny or huge ones in e-notation. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v).replace("Infinity", "inf").replace("NaN", "nan");
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-4)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (v == Math.rint(v)) {
            return (long) v + ".";
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "");
    }

    static String text(Preview p) {
        StringBuilder out = new StringBuilder(p.header());
        if (!p.stats().isEmpty()) {
            out.append(" (").append(p.stats()).append(')');
        }
        out.append('\n');
        if (p.shown().length == 0) {
            return out.append(p.values()[0]).toString();
        }
        int width = 0;
        for (String v : p.values()) {
            width = Math.max(width, v.length());
        }
        textBlock(out, p, 0, 0, width);
        return out.toString();
    }

    private static int textBlock(StringBuilder out, Preview p, int axis, int offset, int width) {
        long[] idx = p.shown()[axis];
        out.append('[');
        boolean begin = true;
        for (long i : idx) {
            if (!begin) {
                out.append(axis == p.shown().length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
            }
            begin = false;
            if (i < 0) {
                out.append("...");
                continue;
            }
            if (axis == p.shown().length - 1) {
                String v = p.values()[offset++];
                out.append(" ".repeat(width - v.length())).append(v);
            } else {
                offset = textBlock(out, p, axis + 1, offset, width);
            }
        }
        out.append(']');
        return offset;
    }

    static String html(Preview p) {
        StringBuilder out = new StringBuilder("<div class=\"frugal-ndarray\"><div style=\"font-family:monospace\">")
                .append(Tables.escape(p.header()));
        if (!p.stats().isEmpty()) {
            out.append(" <span style=\"color:#666\">(").append(Tables.escape(p.stats())).append(")</span>");
        }
        out.append("</div>");
        int ndim = p.shown().length;
        if (ndim == 0) {
            out.append("<pre>").append(p.values()[0]).append("</pre>");
        } else if (ndim == 1) {
            table(out, p, new long[] {0}, p.shown()[0], 0);
        } else {
            int cells = real(p.shown()[ndim - 2]) * real(p.shown()[ndim - 1]);
            int slice = 0;
            for (long[] lead : leadingIndices(p, ndim - 2)) {
                if (lead == null) {
                    out.append("<div style=\"font-family:monospace\">...</div>");
                    continue;
                }
                if (ndim > 2) {
                    StringBuilder label = new StringBuilder("[");
                    for (long l : lead) {
                        label.append(l).append(", ");
                    }
                    out.append("<div style=\"font-family:monospace\">").append(label).append(":, :]</div>");
                }
                table(out, p, p.shown()[ndim - 2], p.shown()[ndim - 1], slice * cells);
                slice++;
            }
        }
        return out.append("</div>").toString();
    }

    /** How many of the shown indices are real (not the elision mark). */
    private static int real(long[] shown) {
        int n = 0;
        for (long i : shown) {
            n += i < 0 ? 0 : 1;
        }
        return n;
    }

    /** Every combination of shown leading indices in row-major order; null where an axis is elided. */
    private static List<long[]> leadingIndices(Preview p, int lead) {
        List<long[]> out = new ArrayList<>();
        out.add(new long[0]);
        for (int axis = 0; axis < lead; axis++) {
            List<long[]> next = new ArrayList<>();
            for (long[] prefix : out) {
                for (long i : p.shown()[axis]) {
                    if (prefix == null || i < 0) {
                        if (next.isEmpty() || next.get(next.size() - 1) != null) {
                            next.add(null);
                        }
                        continue;
                    }
                    long[] more = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                    more[prefix.length] = i;
                    next.add(more);
                }
            }
            out = next;
        }
        return out;
    }

    private static void table(StringBuilder out, Preview p, long[] rows, long[] cols, int offset) {
        out.append("<table style=\"font-family:monospace;text-align:right\"><tr><th></th>");
        for (long c : cols) {
            out.append("<th>").append(c < 0 ? "&hellip;" : Long.toString(c)).append("</th>");
        }
        out.append("</tr>");
        boolean oneRow = p.shown().length == 1;
        int v = offset;
        for (long r : rows) {
            out.append("<tr><th>").append(oneRow ? "" : r < 0 ? "&vellip;" : Long.toString(r)).append("</th>");
            for (long c : cols) {
                if (r < 0 || c < 0) {
                    out.append("<td>").append(r < 0 && c < 0 ? "&dtdot;" : r < 0 ? "&vellip;" : "&hellip;").append("</td>");
                } else {
                    out.append("<td>").append(p.values()[v++]).append("</td>");
                }
            }
            out.append("</tr>");
        }
        out.append("</table>");
    }
}
