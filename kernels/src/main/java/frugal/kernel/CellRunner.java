package frugal.kernel;

import frugal.kernel.remote.MimeBundle;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Runs one cell: its magics in order, and its Java code split into JShell snippets with
 * {@link SourceCodeAnalysis#analyzeCompletion}, each remembered with the cell line it starts on so
 * errors and stack frames point into the cell. The last snippet's value, when it is an expression,
 * is rendered in the user's JVM and becomes the cell's result, unless a semicolon ends it (as in IPython:
 * {@code x} shows x, {@code System.out.printf(...);} does not show the PrintStream it returns).
 *
 * <p>An interrupt stops the running snippet through JDI at once; a cell that still runs after
 * {@link #KILL_AFTER_MILLIS} (user code that swallows the stop) gets its JVM killed and restarted.
 */
final class CellRunner implements Magics.Context {
    /** When an interrupt has not stopped user code by then, the user's JVM is killed. */
    static final long KILL_AFTER_MILLIS = 3_000;

    /** A finished cell: its value to show (may be null), or its error. */
    record Outcome(MimeBundle result, CellError error) {}

    private final Session session;
    private final OutputRouter output;
    private final Magics magics;
    private final Map<String, CellError.Origin> origins = new ConcurrentHashMap<>();
    private final AtomicLong cellSequence = new AtomicLong();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frugal-interrupt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;
    private volatile boolean interruptRequested;
    private volatile boolean killedByInterrupt;
    private CellSource cell;
    private int cellNumber;

    CellRunner(Session session, OutputRouter output, Magics magics) {
        this.session = session;
        this.output = output;
        this.magics = magics;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public OutputRouter output() {
        return output;
    }

    Outcome run(String code, int number) {
        cellSequence.incrementAndGet();
        interruptRequested = false;
        killedByInterrupt = false;
        running = true;
        try {
            if (!session.alive()) {
                String how = session.exitDescription();
                restart();
                output.print(true, "The Java process running your code " + how
                        + " after the last cell; state was lost, this cell runs in a fresh one.\n");
            }
            cell = CellSource.parse(code);
            cellNumber = number;
            MimeBundle result = null;
            for (CellSource.Segment s : cell.segments()) {
                checkInterrupt();
                result = switch (s.kind()) {
                    case CODE -> runCode(s.offset(), s.body());
                    case LINE_MAGIC -> magics.line(s.name(), s.args(), s.offset(), this);
                    case CELL_MAGIC -> magics.cell(s.name(), s.args(), s.body(), s.offset(), this);
                };
            }
            return new Outcome(result, null);
        } catch (CellError.Failure f) {
            return new Outcome(null, f.error());
        } finally {
            running = false;
        }
    }

    /** Stops the running cell: JDI stop now and after a second, kill after {@link #KILL_AFTER_MILLIS}. */
    void interrupt() {
        if (!running) {
            return;
        }
        long seq = cellSequence.get();
        interruptRequested = true;
        magics.interrupt();
        session.stop();
        watchdog.schedule(() -> {
            if (running && cellSequence.get() == seq) {
                session.stop();
            }
        }, 1, TimeUnit.SECONDS);
        watchdog.schedule(() -> {
            if (running && cellSequence.get() == seq && session.userCodeRunning()) {
                killedByInterrupt = true;
                session.kill();
            }
        }, KILL_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Forgets the snippet origins of a JVM that is gone (snippet ids restart with a new JShell). */
    void restart() {
        origins.clear();
        session.restart();
    }

    @Override
    public MimeBundle runCode(int offset, String text) throws CellError.Failure {
        SourceCodeAnalysis analysis = session.analysis();
        String rest = text;
        int pos = 0;
        boolean value = false;
        while (!rest.isBlank()) {
            checkInterrupt();
            SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(rest);
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            boolean complete = ci.completeness().isComplete();
            // an unfinished snippet is compiled anyway: the compiler says what is missing, and where
            String source = complete ? ci.source() : rest;
            int consumed = complete ? rest.length() - ci.remaining().length() : rest.length();
            int lead = source.length() - source.stripLeading().length();
            int start = offset + pos + lead;
            List<SnippetEvent> events = session.eval(source.substring(lead));
            // as in IPython, a value shows only when the expression does not end with a semicolon
            boolean unterminated = !rest.substring(0, consumed).strip().endsWith(";");
            if (!events.isEmpty()) {
                value = check(events.get(0), start) && unterminated;
            }
            pos += consumed;
            rest = complete ? ci.remaining() : "";
        }
        return value ? renderLast() : null;
    }

    /** Reports what went wrong with a snippet; true when its value is the cell's result candidate. */
    private boolean check(SnippetEvent main, int start) throws CellError.Failure {
        Snippet snippet = main.snippet();
        origins.put(snippet.id(), new CellError.Origin(cellNumber, cell.position(start).line()));
        checkAlive();
        checkInterrupt();
        JShell shell = session.shell();
        if (main.status() == Snippet.Status.REJECTED) {
            throw CellError.compile(cell, cellNumber, start, shell.diagnostics(snippet).toList()).toFailure();
        }
        if (main.exception() != null) {
            throw CellError.runtime(main.exception(), origins::get, this::unresolved).toFailure();
        }
        if (main.status() == Snippet.Status.RECOVERABLE_DEFINED || main.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            DeclarationSnippet d = (DeclarationSnippet) snippet;
            output.print(true, "note: " + d.name() + " can be used once "
                    + shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) + " is defined\n");
        }
        return (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)
                || (snippet instanceof ExpressionSnippet e && e.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND);
    }

    private String unresolved(UnresolvedReferenceException e) {
        DeclarationSnippet d = e.getSnippet();
        JShell shell = session.shell();
        String deps = shell == null ? "?" : shell.unresolvedDependencies(d).collect(Collectors.joining(", "));
        return d.name() + " cannot be used until " + deps + " is defined";
    }

    private MimeBundle renderLast() throws CellError.Failure {
        try {
            session.renderLast();
        } catch (ExecutionControl.StoppedException e) {
            throw interrupted();
        } catch (ExecutionControl.UserException e) {
            throw CellError.simple(e.causeExceptionClass(), "showing the cell's value failed: " + e.getMessage()).toFailure();
        } catch (ExecutionControl.EngineTerminationException e) {
            checkAlive();
        } catch (ExecutionControl.ExecutionControlException e) {
            throw CellError.simple("DisplayError", "showing the cell's value failed: " + e.getMessage()).toFailure();
        }
        checkAlive();
        checkInterrupt();
        return output.takeResult();
    }

    private void checkInterrupt() throws CellError.Failure {
        if (interruptRequested && session.alive()) {
            throw interrupted();
        }
    }

    private static CellError.Failure interrupted() {
        return CellError.simple("Interrupted", "the cell was interrupted").toFailure();
    }

    /** When the user's JVM died in this cell: report how, and start a fresh one. */
    private void checkAlive() throws CellError.Failure {
        if (session.alive()) {
            return;
        }
        String how = killedByInterrupt
                ? "was killed because the cell did not stop within " + KILL_AFTER_MILLIS / 1000 + " s of the interrupt"
                : session.exitDescription();
        // let the process's last words (a crash report, "Terminating due to ...") reach the cell first
        sleepQuietly(300);
        output.flush();
        String value = "the Java process running your code " + how + "; state was lost, starting a fresh one";
        restart();
        throw CellError.simple("JvmExited", value,
                "Variables, methods and classes from earlier cells are gone: rerun the cells they come from.",
                "Class path entries from %classpath / %maven are back on the class path.").toFailure();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
