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

/** The parent's side of one worker JVM ({@link SweepWorker}): start it, send a configuration, read its result. */
final class WorkerProcess implements AutoCloseable {
    private static final String TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4";
    private static final int LOG_TAIL = 15;

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path log;
    private final String name;

    /** The worker died while a configuration was in it (a native crash, killed for memory, System.exit). */
    static final class Died extends IOException {
        private static final long serialVersionUID = 1L;

        Died(String message) {
            super(message);
        }
    }

    private WorkerProcess(Process process, Path log, String name) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.log = log;
        this.name = name;
    }

    /**
     * Starts a worker JVM with this JVM's class path and {@code threads} PyTorch threads, and waits until its run
     * function exists and its engine runs. A worker that cannot get that far is a set-up error of the sweep.
     */
    static WorkerProcess start(String functionClass, int attempts, int threads, Path logDir, String name) {
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                SweepWorker.class.getName(), functionClass, Integer.toString(attempts), name));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("MKL_NUM_THREADS", Integer.toString(threads));
        if (!env.containsKey("LD_PRELOAD") && Files.exists(Path.of(TCMALLOC))) {
            env.put("LD_PRELOAD", TCMALLOC); // design.md: every JVM that trains runs on tcmalloc
        }
        WorkerProcess w;
        try {
            Files.createDirectories(logDir);
            w = new WorkerProcess(pb.start(), log, name);
        } catch (IOException e) {
            throw new FrugalException("could not start a sweep worker JVM (" + e.getMessage() + "); command: "
                    + String.join(" ", command.subList(0, 5)) + " ...", e);
        }
        try {
            String ready = w.nextMessage();
            if (!SweepWorker.READY.equals(ready)) {
                throw new IOException("unexpected first message " + ready);
            }
        } catch (IOException e) {
            w.kill();
            throw new FrugalException("sweep worker " + name + " did not start (" + e.getMessage() + "). Its log "
                    + log + " ends with:\n" + w.logTail(), e);
        }
        return w;
    }

    /** Runs one configuration in the worker and returns its result. */
    RunResult run(RunConfig config) throws Died {
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

    /** Stops the worker at once (the sweep was interrupted or failed). */
    void kill() {
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
