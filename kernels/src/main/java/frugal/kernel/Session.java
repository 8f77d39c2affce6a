package frugal.kernel;

import frugal.kernel.remote.Agent;
import frugal.kernel.remote.Frames;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.spi.ExecutionControl;

import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One JShell and the JVM that runs its code. When that JVM dies (System.exit, a native crash, an
 * interrupt that had to kill it), {@link #restart()} starts a fresh one with the startup imports and
 * every class path entry added so far, so %maven dependencies survive a restart.
 */
final class Session implements AutoCloseable {
    private final KernelConfig config;
    private final OutputRouter output;
    private final InputStream userIn;
    private final PrintStream kernelErr;
    private final List<String> addedClassPath = new CopyOnWriteArrayList<>();
    private volatile JShell shell;
    private volatile RemoteJvm jvm;
    private volatile boolean engineClosed;

    Session(KernelConfig config, OutputRouter output, InputStream userIn, PrintStream kernelErr) {
        this.config = config;
        this.output = output;
        this.userIn = userIn;
        this.kernelErr = kernelErr;
    }

    /** Starts the user's JVM and runs the startup imports; a failing import is reported, not fatal. */
    synchronized void start() {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        List<String> command = new ArrayList<>();
        command.add(config.java().toString());
        command.add("-cp");
        command.add(config.userClassPathString());
        command.addAll(config.jvmOptions());
        command.add("-D" + Frames.TOKEN_PROPERTY + "=" + token);
        RemoteJvm engine = new RemoteJvm(command, new FrameDecoder(token, output), output.stderr(), userIn);
        // JShell compiles against java.class.path: make that the user's class path, not the kernel's
        System.setProperty("java.class.path", config.userClassPathString());
        engineClosed = false;
        JShell s = JShell.builder()
                .executionEngine(engine, java.util.Map.of())
                .out(kernelErr)
                .err(kernelErr)
                .build();
        s.onShutdown(closed -> {
            if (closed == shell) {
                engineClosed = true;
            }
        });
        jvm = engine;
        shell = s;
        if (!engine.control().process().isAlive()) {
            engineClosed = true;
        }
        for (String path : addedClassPath) {
            s.addToClasspath(path);
        }
        for (String line : config.startup()) {
            for (SnippetEvent e : s.eval(line)) {
                if (e.causeSnippet() == null && e.status() == Snippet.Status.REJECTED) {
                    kernelErr.println("[frugal-kernel] startup line failed: " + line + ": "
                            + s.diagnostics(e.snippet()).map(d -> d.getMessage(java.util.Locale.ROOT)).toList());
                }
            }
        }
    }

    JShell shell() {
        return shell;
    }

    SourceCodeAnalysis analysis() {
        return shell.sourceCodeAnalysis();
    }

    List<SnippetEvent> eval(String snippet) {
        return shell.eval(snippet);
    }

    /** False once the user's JVM is gone; the session must then be restarted. */
    boolean alive() {
        return shell != null && !engineClosed;
    }

    /** Asks the running snippet to stop (JDI: reaches busy loops). */
    void stop() {
        JShell s = shell;
        if (s != null && !engineClosed) {
            s.stop();
        }
    }

    /** Ends the user's JVM at once. */
    void kill() {
        RemoteJvm j = jvm;
        if (j != null && j.control() != null) {
            j.control().kill();
        }
    }

    /** Whether user code (not the compiler) is running in the user's JVM right now. */
    boolean userCodeRunning() {
        RemoteJvm j = jvm;
        return j != null && j.control() != null && j.control().userCodeRunning();
    }

    /** CPU time used so far by the user's JVM (all threads), or null where the system does not say. */
    Duration cpuTime() {
        RemoteJvm j = jvm;
        return j == null || j.control() == null ? null
                : j.control().process().toHandle().info().totalCpuDuration().orElse(null);
    }

    /** How the user's JVM ended, for the message that says state was lost. */
    String exitDescription() {
        RemoteJvm j = jvm;
        if (j == null || j.control() == null) {
            return "is gone";
        }
        Process p = j.control().process();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                return "stopped answering";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "is gone";
        }
        return describeExit(p.exitValue());
    }

    static String describeExit(int status) {
        if (status > 128 && status < 160) {
            int signal = status - 128;
            String name = switch (signal) {
                case 6 -> "SIGABRT: the JVM or native code aborted, a crash report hs_err_pid*.log may be in the"
                        + " notebook's folder";
                case 9 -> "SIGKILL: killed, often by the system's out-of-memory killer";
                case 11 -> "SIGSEGV: a crash in native code";
                case 15 -> "SIGTERM";
                default -> "signal " + signal;
            };
            return "was killed by signal " + signal + " (" + name + ")";
        }
        return "exited (System.exit(" + status + "))";
    }

    /** Renders the last expression's value in the user's JVM; the bundle arrives as a RESULT frame. */
    void renderLast() throws ExecutionControl.ExecutionControlException {
        jvm.control().invoke(Agent.class.getName(), Agent.RENDER_LAST);
    }

    void addToClasspath(String path) {
        addedClassPath.add(path);
        shell.addToClasspath(path);
    }

    /** Class path entries added by magics, in order. */
    List<String> addedClassPath() {
        return List.copyOf(addedClassPath);
    }

    /** Everything on the user's class path: the build's and the magics'. */
    List<String> classPath() {
        List<String> all = new ArrayList<>(config.userClassPath());
        all.addAll(addedClassPath);
        return all;
    }

    synchronized void restart() {
        closeShell();
        start();
    }

    private void closeShell() {
        JShell s = shell;
        shell = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // the engine is already gone
            }
        }
        kill();
    }

    @Override
    public synchronized void close() {
        closeShell();
    }
}
