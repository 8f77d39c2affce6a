package frugal.sweep;

import frugal.core.Engines;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The main class of a worker JVM started by {@link LocalExecutor#workers(int)}; not for direct use.
 *
 * <p>Arguments: run function class, attempts, worker name. Reads one configuration (JSON) per line on stdin,
 * answers each with one result line on stdout, and exits at the end of stdin or when its parent process dies,
 * so a killed sweep leaves no orphan workers behind. Everything else the run prints goes to stderr (the log).
 */
public final class SweepWorker {
    /** Starts every protocol line, so stray output on stdout (native libraries) is never mistaken for one. */
    static final String MARK = "@@frugal-sweep ";
    static final String READY = "ready";

    private SweepWorker() {}

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        if (args.length != 3) {
            System.err.println("usage: SweepWorker RUN_FUNCTION_CLASS ATTEMPTS WORKER_NAME");
            System.exit(2);
        }
        RunFunction fn = RunFunction.byName(args[0]);
        int attempts = Integer.parseInt(args[1]);
        String where = args[2] + " pid " + ProcessHandle.current().pid();
        Engines.pytorch();
        protocol.println(MARK + READY);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            RunResult r = RunResult.attempt(fn, RunConfig.fromJson(line), attempts, where);
            protocol.println(MARK + r.toJson());
        }
    }
}
