package frugal.sweep.spark;

import frugal.sweep.WorkerJvm;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker JVMs of one Spark executor JVM, kept between tasks: a run pays the JVM and engine start once per task
 * slot, not once per run. Idle workers exit after a minute, and with the executor (their parent) at any time.
 */
final class ExecutorWorkers {
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Path LOG_DIR = Path.of(System.getProperty("java.io.tmpdir"), "frugal-sweep-logs");
    private static final Map<String, Deque<Idle>> IDLE = new HashMap<>();
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frugal-sweep-idle-workers");
        t.setDaemon(true);
        return t;
    });

    static {
        REAPER.scheduleWithFixedDelay(ExecutorWorkers::closeIdle, 15, 15, TimeUnit.SECONDS);
    }

    private record Idle(WorkerJvm worker, long since) {}

    /** What makes workers interchangeable: the same run function, attempts, threads and class path. */
    record Kind(String functionClass, int attempts, int threads, String classPath) {
        String key() {
            return functionClass + "|" + attempts + "|" + threads + "|" + classPath;
        }
    }

    private ExecutorWorkers() {}

    /** An idle worker of this kind, or a fresh one. */
    static WorkerJvm borrow(Kind kind) {
        synchronized (IDLE) {
            Deque<Idle> idle = IDLE.get(kind.key());
            if (idle != null && !idle.isEmpty()) {
                return idle.pop().worker();
            }
        }
        return WorkerJvm.start(kind.functionClass(), kind.attempts(), kind.threads(), kind.classPath(), LOG_DIR,
                "spark-worker-" + STARTED.incrementAndGet());
    }

    /** Returns a worker that answered its run, for the next task. */
    static void giveBack(Kind kind, WorkerJvm worker) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(kind.key(), k -> new ArrayDeque<>()).push(new Idle(worker, System.nanoTime()));
        }
    }

    private static void closeIdle() {
        List<WorkerJvm> stale = new ArrayList<>();
        synchronized (IDLE) {
            long now = System.nanoTime();
            for (Deque<Idle> idle : IDLE.values()) {
                idle.removeIf(i -> now - i.since() > IDLE_NANOS && stale.add(i.worker()));
            }
        }
        stale.forEach(WorkerJvm::close);
    }

    /**
     * The class path of a worker: the jars Spark added for this application (the job jar: library, DJL, natives,
     * run functions) ahead of this JVM's own class path (everything, in tests and local trials).
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            entries.add(url.getPath());
                        }
                    }
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }
}
