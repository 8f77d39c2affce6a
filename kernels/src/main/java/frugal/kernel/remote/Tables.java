package frugal.kernel.remote;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tables as HTML: a list of records (one column per component), a list of maps (one column per key)
 * or a map (key and value columns). Long tables show their head and tail.
 */
final class Tables {
    /** Rows shown at the head of a long table ... */
    static final int HEAD = 20;
    /** ... and at its tail. */
    static final int TAIL = 5;

    private Tables() {}

    /** True when {@code rows} is non-empty and every row is a record of one class, or every row a map. */
    static boolean isTable(Collection<?> rows) {
        if (rows.isEmpty()) {
            return false;
        }
        Object first = rows.iterator().next();
        if (first instanceof Record) {
            return rows.stream().allMatch(r -> r != null && r.getClass() == first.getClass());
        }
        return first instanceof Map && rows.stream().allMatch(r -> r instanceof Map);
    }

    static MimeBundle rows(Collection<?> rows) {
        List<Object> list = new ArrayList<>(rows);
        List<String> columns = new ArrayList<>();
        if (list.get(0) instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                columns.add(c.getName());
            }
        } else {
            Set<String> keys = new LinkedHashSet<>();
            list.forEach(m -> ((Map<?, ?>) m).keySet().forEach(k -> keys.add(String.valueOf(k))));
            columns.addAll(keys);
        }
        List<List<Object>> cells = new ArrayList<>();
        for (Object row : shownRows(list)) {
            cells.add(row == null ? null : cells(row, columns));
        }
        String summary = list.size() + " rows of " + describe(list.get(0));
        return MimeBundle.html(html(columns, cells, summary), summary + "\n" + TextFormat.value(rows));
    }

    static MimeBundle map(Map<?, ?> map) {
        List<List<Object>> cells = new ArrayList<>();
        List<Object> entries = new ArrayList<>(map.entrySet());
        for (Object e : shownRows(entries)) {
            cells.add(e == null ? null : java.util.Arrays.asList(((Map.Entry<?, ?>) e).getKey(), ((Map.Entry<?, ?>) e).getValue()));
        }
        String summary = map.size() + " entries";
        return MimeBundle.html(html(List.of("key", "value"), cells, summary), TextFormat.value(map));
    }

    /** Head and tail of a long list, with null where rows are left out. */
    private static List<Object> shownRows(List<Object> all) {
        if (all.size() <= HEAD + TAIL + 1) {
            return all;
        }
        List<Object> out = new ArrayList<>(all.subList(0, HEAD));
        out.add(null);
        out.addAll(all.subList(all.size() - TAIL, all.size()));
        return out;
    }

    private static List<Object> cells(Object row, List<String> columns) {
        List<Object> out = new ArrayList<>();
        if (row instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    out.add(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    out.add("(" + e.getClass().getSimpleName() + ")");
                }
            }
        } else {
            Map<?, ?> m = (Map<?, ?>) row;
            Map<String, Object> byName = new java.util.HashMap<>();
            m.forEach((k, v) -> byName.put(String.valueOf(k), v));
            for (String c : columns) {
                out.add(byName.getOrDefault(c, ""));
            }
        }
        return out;
    }

    private static String describe(Object row) {
        return row instanceof Record ? row.getClass().getSimpleName() : "maps";
    }

    private static String html(List<String> columns, List<List<Object>> rows, String summary) {
        StringBuilder out = new StringBuilder("<table class=\"frugal-table\"><thead><tr>");
        for (String c : columns) {
            out.append("<th>").append(escape(c)).append("</th>");
        }
        out.append("</tr></thead><tbody>");
        for (List<Object> row : rows) {
            out.append("<tr>");
            if (row == null) {
                out.append("<td colspan=\"").append(columns.size()).append("\">&vellip;</td>");
            } else {
                for (Object cell : row) {
                    out.append(cell instanceof Number ? "<td style=\"text-align:right\">" : "<td>")
                            .append(escape(TextFormat.cell(cell))).append("</td>");
                }
            }
            out.append("</tr>");
        }
        return out.append("</tbody><caption style=\"caption-side:bottom\">").append(escape(summary))
                .append("</caption></table>").toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
