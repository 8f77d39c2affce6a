package frugal.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.VarSnippet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completion, inspection and is_complete for cells, from JShell's source analysis. Each works on
 * the snippet under the cursor: the cell is split into snippets as for execution, and positions are
 * mapped between the cell and that snippet.
 */
final class CodeAssist {
    /** Replacement texts and the cell range [start, end) they replace. */
    record Completions(List<String> matches, int start, int end) {}

    /** The snippet that contains a cursor: its text up to the cursor and where it starts in the cell. */
    record Around(String before, int start) {}

    private final Supplier<JShell> shell;

    CodeAssist(Supplier<JShell> shell) {
        this.shell = shell;
    }

    Completions complete(String cell, int cursor) {
        String line = cell.substring(cell.lastIndexOf('\n', cursor - 1) + 1, cursor);
        String stripped = line.stripLeading();
        if (stripped.startsWith("%") && !stripped.contains(" ")) {
            return magicNames(stripped, cursor);
        }
        JShell s = shell.get();
        Optional<Around> around = around(cell, cursor);
        if (s == null || around.isEmpty()) {
            return new Completions(List.of(), cursor, cursor);
        }
        Around a = around.get();
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                s.sourceCodeAnalysis().completionSuggestions(a.before(), a.before().length(), anchor);
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType).forEach(x -> matches.add(x.continuation()));
        suggestions.forEach(x -> matches.add(x.continuation()));
        return new Completions(new ArrayList<>(matches), a.start() + anchor[0], cursor);
    }

    private static Completions magicNames(String typed, int cursor) {
        boolean cellMagic = typed.startsWith("%%");
        String prefix = typed.substring(cellMagic ? 2 : 1);
        List<String> out = new ArrayList<>();
        for (String m : cellMagic ? Magics.CELL : Magics.LINE) {
            if (m.startsWith(prefix)) {
                out.add((cellMagic ? "%%" : "%") + m);
            }
        }
        return new Completions(out, cursor - typed.length(), cursor);
    }

    /**
     * Signatures and javadoc of what the cursor is on (a method call, a type, a variable);
     * for a variable also its type and current value. Empty when nothing is known.
     */
    String inspect(String cell, int cursor) {
        JShell s = shell.get();
        Optional<Around> around = around(cell, extendIdentifier(cell, cursor));
        if (s == null || around.isEmpty()) {
            return "";
        }
        String before = around.get().before();
        SourceCodeAnalysis analysis = s.sourceCodeAnalysis();
        List<Documentation> docs = analysis.documentation(before, before.length(), true);
        if (docs.isEmpty() && !before.endsWith("(")) {
            docs = analysis.documentation(before + "(", before.length() + 1, true);
        }
        StringBuilder out = new StringBuilder();
        String word = identifierBefore(before);
        s.variables().filter(v -> v.name().equals(word) && s.status(v).isActive()).findFirst()
                .ifPresent(v -> out.append(variable(s, v)));
        for (Documentation d : docs) {
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(d.signature());
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                out.append("\n\n").append(Javadoc.toText(d.javadoc()));
            }
        }
        return out.toString();
    }

    private static String variable(JShell s, VarSnippet v) {
        String value;
        try {
            value = s.varValue(v);
        } catch (RuntimeException e) {
            value = "(unavailable: " + e.getMessage() + ")";
        }
        if (value.length() > 500) {
            value = value.substring(0, 500) + "...";
        }
        return v.name() + " : " + v.typeName() + " = " + value;
    }

    /**
     * "complete", "incomplete" (with the indent for the next line), or "invalid", for a console deciding
     * whether Enter runs the cell; "unknown" while the JVM that analyses code is not up.
     */
    Replies.IsComplete isComplete(String cell) {
        if (cell.isBlank()) {
            return Replies.IsComplete.of("complete");
        }
        JShell s = shell.get();
        if (s == null) {
            return Replies.IsComplete.of("unknown");
        }
        CellSource source = CellSource.parse(cell);
        for (CellSource.Segment seg : source.segments()) {
            if (seg.kind() != CellSource.Kind.CODE) {
                continue;
            }
            String rest = seg.body();
            while (!rest.isBlank()) {
                CompletionInfo ci = s.sourceCodeAnalysis().analyzeCompletion(rest);
                Completeness c = ci.completeness();
                if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                    return Replies.IsComplete.incomplete("    ".repeat(Math.max(1, depth(rest))));
                }
                if (c == Completeness.UNKNOWN) {
                    return Replies.IsComplete.of("invalid");
                }
                if (c == Completeness.EMPTY) {
                    break;
                }
                rest = ci.remaining();
            }
        }
        return Replies.IsComplete.of("complete");
    }

    /**
     * IPython's help syntax: a cell that is only a (qualified) name followed by {@code ?} or {@code ??} asks
     * for that name's documentation. No Java statement ends with {@code ?}, so this never hides code.
     */
    static Optional<String> helpTarget(String cell) {
        Matcher m = HELP.matcher(cell.strip());
        return m.matches() ? Optional.of(m.group(1).replaceAll("\\s+", "")) : Optional.empty();
    }

    private static final String NAME = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final Pattern HELP = Pattern.compile("(" + NAME + "(?:\\s*\\.\\s*" + NAME + ")*)\\s*\\?\\??");

    /** Unclosed braces and parentheses: how deep the next line should be indented. */
    static int depth(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return depth;
    }

    /** The Java text of a segment: code, and what %time / %%time run; null for other magics. */
    private static String java(CellSource.Segment seg) {
        return switch (seg.kind()) {
            case CODE -> seg.body();
            case LINE_MAGIC -> seg.name().equals("time") ? seg.args() : null;
            case CELL_MAGIC -> seg.name().equals("time") ? seg.body() : null;
        };
    }

    /** The Java snippet containing {@code cursor}, cut at the cursor; empty inside other magics. */
    Optional<Around> around(String cell, int cursor) {
        JShell s = shell.get();
        for (CellSource.Segment seg : CellSource.parse(cell).segments()) {
            String java = java(seg);
            if (java != null && cursor >= seg.offset() && cursor <= seg.offset() + java.length()) {
                String rest = java.substring(0, cursor - seg.offset());
                int pos = 0;
                while (s != null) {
                    CompletionInfo ci = s.sourceCodeAnalysis().analyzeCompletion(rest);
                    if (!ci.completeness().isComplete() || ci.remaining().isBlank()) {
                        break;
                    }
                    pos += rest.length() - ci.remaining().length();
                    rest = ci.remaining();
                }
                return Optional.of(new Around(rest, seg.offset() + pos));
            }
        }
        return Optional.empty();
    }

    /** Moves the cursor to the end of the identifier it is in, so "Ma|th.abs" inspects Math. */
    private static int extendIdentifier(String cell, int cursor) {
        int end = cursor;
        while (end < cell.length() && Character.isJavaIdentifierPart(cell.charAt(end))) {
            end++;
        }
        return end;
    }

    private static String identifierBefore(String text) {
        int i = text.length();
        while (i > 0 && Character.isJavaIdentifierPart(text.charAt(i - 1))) {
            i--;
        }
        return text.substring(i);
    }
}
