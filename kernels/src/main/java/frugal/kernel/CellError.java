package frugal.kernel;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A cell's failure as Jupyter shows it: a name, a one-line value and the traceback lines. Compile
 * errors point at the cell's own line and column; stack frames of user code name the cell they were
 * defined in; the kernel's and JShell's own frames never show.
 *
 * @param name      what failed, e.g. the exception class
 * @param value     one line saying what happened
 * @param traceback the lines a notebook shows (ANSI colours allowed)
 */
record CellError(String name, String value, List<String> traceback) {
    static final String RED = "\u001b[31m";
    static final String BOLD = "\u001b[1m";
    static final String RESET = "\u001b[0m";
    /** Consecutive library frames beyond this are summarised. */
    static final int MAX_LIBRARY_FRAMES = 25;

    CellError {
        traceback = List.copyOf(traceback);
    }

    /** Where a snippet's source came from: cell number and the cell line it starts on. */
    record Origin(int cell, int firstLine) {}

    /** Thrown inside the kernel to end a cell with this error. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient CellError error;

        Failure(CellError error) {
            super(error.value(), null, false, false);
            this.error = error;
        }

        CellError error() {
            return error;
        }
    }

    Failure toFailure() {
        return new Failure(this);
    }

    static CellError simple(String name, String value, String... details) {
        List<String> lines = new ArrayList<>();
        lines.add(RED + name + ": " + value + RESET);
        lines.addAll(List.of(details));
        return new CellError(name, value, lines);
    }

    /** Compile errors of one snippet that starts at {@code start} in the cell. */
    static CellError compile(CellSource cell, int cellNumber, int start, List<Diag> diags) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!d.isError()) {
                continue;
            }
            long at = d.getPosition() >= 0 ? d.getPosition() : Math.max(0, d.getStartPosition());
            CellSource.Position p = cell.position(start + (int) at);
            String message = message(d);
            if (first == null) {
                first = p + ": " + message.lines().findFirst().orElse("") ;
            }
            lines.add(RED + "Compile error in cell [" + cellNumber + "], " + p + ":" + RESET);
            message.lines().forEach(l -> lines.add("  " + l));
            String source = cell.line(p.line());
            String gutter = String.format(Locale.ROOT, "%4d | ", p.line());
            lines.add(gutter + source);
            lines.add(" ".repeat(gutter.length() - 2) + "| " + caretPrefix(source, p.column()) + BOLD + "^" + RESET);
        }
        if (first == null) {
            first = "the code was rejected without a diagnostic";
            lines.add(first);
        }
        return new CellError("CompileError", first, lines);
    }

    /** JShell's message without the empty "location: class" line its wrapper classes produce. */
    static String message(Diag d) {
        StringBuilder out = new StringBuilder();
        for (String l : d.getMessage(Locale.ROOT).split("\n")) {
            if (l.strip().equals("location: class") || l.strip().isEmpty()) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "\n").append(l);
        }
        return out.toString();
    }

    /** Spaces (and the line's own tabs) up to {@code column}, so the caret lines up. */
    private static String caretPrefix(String line, int column) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < column - 1; i++) {
            out.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return out.toString();
    }

    /** An exception thrown by user code, with frames mapped back to cells. */
    static CellError runtime(JShellException e, Function<String, Origin> origins, Function<UnresolvedReferenceException, String> unresolved) {
        List<String> lines = new ArrayList<>();
        String name;
        String value;
        if (e instanceof EvalException ee) {
            name = ee.getExceptionClassName();
            value = ee.getMessage() == null ? "" : ee.getMessage();
        } else if (e instanceof UnresolvedReferenceException ure) {
            name = "UnresolvedReference";
            value = unresolved.apply(ure);
        } else {
            name = e.getClass().getSimpleName();
            value = String.valueOf(e.getMessage());
        }
        lines.add(RED + name + (value.isEmpty() ? "" : ": " + value) + RESET);
        frames(lines, e.getStackTrace(), origins);
        hint(name).ifPresent(lines::add);
        Throwable cause = e.getCause();
        while (cause instanceof JShellException c) {
            String cname = c instanceof EvalException ce ? ce.getExceptionClassName() : c.getClass().getSimpleName();
            lines.add("Caused by: " + cname + (c.getMessage() == null ? "" : ": " + c.getMessage()));
            frames(lines, c.getStackTrace(), origins);
            cause = c.getCause();
        }
        return new CellError(name, value, lines);
    }

    /** What to do about errors that come from the JVM's limits rather than the code. */
    static java.util.Optional<String> hint(String exceptionClass) {
        return switch (exceptionClass) {
            case "java.lang.OutOfMemoryError" -> java.util.Optional.of("The Java process running your code is out of"
                    + " memory. Its heap limit is -Xmx in FRUGAL_JAVA_OPTS (default: a quarter of RAM); variables of"
                    + " earlier cells keep their data until set to null, or until the kernel restarts.");
            case "java.lang.StackOverflowError" -> java.util.Optional.of("Recursion too deep for the thread stack;"
                    + " -Xss in FRUGAL_JAVA_OPTS sets it (default 4m).");
            default -> java.util.Optional.empty();
        };
    }

    private static void frames(List<String> lines, StackTraceElement[] stack, Function<String, Origin> origins) {
        int library = 0;
        List<String> held = new ArrayList<>();
        for (StackTraceElement f : stack) {
            String file = f.getFileName();
            if (file != null && file.startsWith("#")) {
                flushLibrary(lines, held, library);
                held.clear();
                library = 0;
                lines.add(BOLD + "    at " + userFrame(f, origins.apply(file.substring(1))) + RESET);
            } else {
                library++;
                held.add("    at " + f);
            }
        }
        flushLibrary(lines, held, library);
    }

    private static void flushLibrary(List<String> lines, List<String> held, int count) {
        if (count <= MAX_LIBRARY_FRAMES) {
            lines.addAll(held);
        } else {
            lines.addAll(held.subList(0, MAX_LIBRARY_FRAMES - 5));
            lines.add("    ... " + (count - MAX_LIBRARY_FRAMES) + " more frames ...");
            lines.addAll(held.subList(held.size() - 5, held.size()));
        }
    }

    private static String userFrame(StackTraceElement f, Origin origin) {
        String cls = f.getClassName() == null ? "" : f.getClassName();
        String method = f.getMethodName() == null ? "" : f.getMethodName();
        String who = cls.isEmpty() ? method : method.isEmpty() ? cls : cls + "." + method;
        String where = origin == null
                ? "snippet " + f.getFileName()
                : "cell [" + origin.cell() + "], line " + (origin.firstLine() + Math.max(1, f.getLineNumber()) - 1);
        return who.isEmpty() || who.equals(".") ? where : who.replaceFirst("^\\.", "") + " (" + where + ")";
    }
}
