package frugal.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell's text split into what the kernel runs in order: Java code, line magics ({@code %name args}
 * on a line of its own) and at most one cell magic ({@code %%name args} on the first line, the rest
 * of the cell its body). Every piece keeps its offset in the cell, so errors point at the cell's own
 * line and column.
 *
 * @param text     the whole cell
 * @param segments the pieces, in order
 */
record CellSource(String text, List<Segment> segments) {
    /** What a piece of a cell is. */
    enum Kind { CODE, LINE_MAGIC, CELL_MAGIC }

    /**
     * One piece of a cell.
     *
     * @param kind   code or magic
     * @param name   the magic's name (without % or %%), null for code
     * @param args   the magic's arguments (rest of its line), null for code
     * @param body   the code, or the cell magic's body; null for a line magic
     * @param offset where {@code body} (code, cell magic) or {@code args} (line magic) starts in the cell
     */
    record Segment(Kind kind, String name, String args, String body, int offset) {}

    /** A 1-based line and column in the cell. */
    record Position(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    CellSource {
        segments = List.copyOf(segments);
    }

    static CellSource parse(String text) {
        List<Segment> out = new ArrayList<>();
        int firstLine = firstNonBlankLine(text);
        if (firstLine >= 0 && text.startsWith("%%", firstLine)) {
            int eol = lineEnd(text, firstLine);
            String head = text.substring(firstLine + 2, eol);
            String name = head.strip().split("\\s+", 2)[0];
            int nameAt = firstLine + 2 + head.indexOf(name);
            int argsAt = nameAt + name.length();
            int bodyAt = Math.min(text.length(), eol + 1);
            out.add(new Segment(Kind.CELL_MAGIC, name, text.substring(argsAt, eol).strip(), text.substring(bodyAt), bodyAt));
            return new CellSource(text, out);
        }
        int codeStart = -1;
        int at = 0;
        while (at < text.length()) {
            int eol = lineEnd(text, at);
            String line = text.substring(at, eol);
            String stripped = line.stripLeading();
            if (isLineMagic(stripped)) {
                if (codeStart >= 0) {
                    out.add(code(text, codeStart, at));
                    codeStart = -1;
                }
                int magicAt = at + (line.length() - stripped.length()) + 1;
                String rest = text.substring(magicAt, eol);
                String name = rest.split("\\s", 2)[0];
                int argsAt = magicAt + name.length();
                while (argsAt < eol && Character.isWhitespace(text.charAt(argsAt))) {
                    argsAt++;
                }
                out.add(new Segment(Kind.LINE_MAGIC, name, text.substring(argsAt, eol).stripTrailing(), null, argsAt));
            } else if (codeStart < 0) {
                codeStart = at;
            }
            at = eol + 1;
        }
        if (codeStart >= 0) {
            out.add(code(text, codeStart, text.length()));
        }
        return new CellSource(text, out);
    }

    /** {@code %name...} where name starts with a letter: Java never starts a line that way. */
    private static boolean isLineMagic(String stripped) {
        return stripped.length() > 1 && stripped.charAt(0) == '%' && Character.isLetter(stripped.charAt(1));
    }

    private static Segment code(String text, int from, int to) {
        return new Segment(Kind.CODE, null, null, text.substring(from, Math.min(to, text.length())), from);
    }

    private static int lineEnd(String text, int from) {
        int eol = text.indexOf('\n', from);
        return eol < 0 ? text.length() : eol;
    }

    private static int firstNonBlankLine(String text) {
        int at = 0;
        while (at < text.length()) {
            int eol = lineEnd(text, at);
            if (!text.substring(at, eol).isBlank()) {
                return at + (text.substring(at, eol).length() - text.substring(at, eol).stripLeading().length());
            }
            at = eol + 1;
        }
        return -1;
    }

    /** The line and column of {@code offset} in the cell. */
    Position position(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, offset - lineStart + 1);
    }

    /** The cell's line {@code line} (1-based), without its newline; empty past the end. */
    String line(int line) {
        String[] lines = text.split("\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }
}
