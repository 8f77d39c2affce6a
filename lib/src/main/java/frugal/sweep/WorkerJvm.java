package frugal.sweep;

import frugal.core.FrugalException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM ({@link SweepWorker}) seen from the JVM that started it: start it, send it configurations one at a
 * time, read their results. Every run of a sweep happens in one, except with {@link LocalExecutor#inProcess()}:
 * DJL lets only one gradient collector record at a time in a JVM, and PyTorch's random generator and thread count
 * belong to the process, so concurrent runs need separate JVMs.
 */
public final class WorkerJvm implements AutoCloseable {
    private static final String TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
    private static final int LOG_TAIL = 15;

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path log;
    private final String name;

    /** The worker died while a configuration was in it (a native crash, killed for memory, System.exit). */
    public static final class Died extends IOException {
        private static final long serialVersionUID = 1L;

        Died(String message) {
            super(message);
        }
    }

    private WorkerJvm(Process process, Path log, String name) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.log = log;
        this.name = name;
    }

    /**
     * Starts a worker JVM and waits until its run function exists and its engine runs; a worker that cannot get
     * that far is a set-up error of the sweep (a FrugalException with the end of its log).
     *
     * @param functionClass the run function's class name
     * @param attempts how often the worker tries a run that throws before answering with a failed result
     * @param threads PyTorch intra-op threads of the worker
     * @param classPath the worker's class path: the library, its natives and the run function's class
     * @param logDir the worker's stderr goes to {@code logDir/name.log}
     * @param name the worker's name in logs and results
     */
    public static WorkerJvm start(String functionClass, int attempts, int threads, String classPath, Path logDir,
            String name) {
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", classPath,
                SweepWorker.class.getName(), functionClass, Integer.toString(attempts), name));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("MKL_NUM_THREADS", Integer.toString(threads));
        // OpenMP threads that spin while they wait crawl when the cores are shared: on 2 busy cores (load 7) a
        // tiny-GPT sweep with 2 threads took 55 s spinning, 3.5 s sleeping (SweepSpeedupBench, 30 steps)
        env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        if (!env.containsKey("LD_PRELOAD") && Files.exists(Path.of(TCMALLOC))) {
            env.put("LD_PRELOAD", TCMALLOC); // design.md: every JVM that trains runs on tcmalloc
        }
        WorkerJvm w;
        try {
            Files.createDirectories(logDir);
            w = new WorkerJvm(pb.start(), log, name);
        } catch (IOException e) {
            throw new FrugalException("could not start a sweep worker JVM (" + e.getMessage() + "); command: "
                    + String.join(" ", command.subList(0, 5)) + " ...", e);
        }
        try {
            String ready = w.nextMessage();
            if (!SweepWorker.READY.equals(ready)) {
                throw new IOException(ready == null ? "it exited before it was ready" : "its first message was " + ready);
            }
        } catch (IOException e) {
            w.kill();
            throw new FrugalException("sweep worker " + name + " did not start (" + e.getMessage() + "). Its log "
                    + log + " ends with:\n" + w.logTail(), e);
        }
        return w;
    }

    /** Runs one configuration in the worker and returns its result; {@link Died} when the worker died doing so. */
    public RunResult run(RunConfig config) throws Died {
        String message;
        try {
            in.write(config.toJson().toString());
            in.newLine();
            in.flush();
            message = nextMessage();
        } catch (IOException e) {
            message = null;
        }
        if (message == null) {
            throw new Died(diedMessage(config));
        }
        return RunResult.fromJson(message);
    }

    /** The next protocol line without its mark; null at the end of the stream (the worker exited). */
    private String nextMessage() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(SweepWorker.MARK)) {
                return line.substring(SweepWorker.MARK.length());
            }
        }
        return null;
    }

    private String diedMessage(RunConfig config) {
        String code;
        try {
            code = process.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = "unknown";
        }
        return "sweep worker " + name + " (pid " + process.pid() + ") exited with code " + code + " while running "
                + config + " (a native crash, killed for memory, or System.exit in the run). Its log " + log
                + " ends with:\n" + logTail();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    public String name() {
        return name;
    }

    /** Stops the worker at once (the sweep was interrupted or failed). */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Ends the worker's input so it exits by itself; kills it if it does not within a few seconds. */
    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (IOException e) {
            kill();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }
}
