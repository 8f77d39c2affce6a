package frugal.sweep;

import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs a sweep on this machine: in parallel worker JVMs (the default), or one run at a time in this JVM.
 *
 * <p>Why worker JVMs and not threads: DJL lets one gradient collector record at a time per JVM (a second
 * concurrent training step fails), and PyTorch's random generator and intra-op thread count belong to the process.
 * In separate JVMs each run is exactly what it would be alone, each worker gets {@code cores / workers} PyTorch
 * threads, and a native crash costs one run, not the notebook. A worker JVM starts once per sweep (a second or two)
 * and then takes runs one after another.
 */
public final class LocalExecutor implements SweepExecutor {
    private final int workers;
    private final int threadsPerWorker;

    private LocalExecutor(int workers, int threadsPerWorker) {
        this.workers = workers;
        this.threadsPerWorker = threadsPerWorker;
    }

    /**
     * {@code n} worker JVMs, each with an even share of the cores as PyTorch threads. The run function must be a
     * class the workers can create by name ({@link RunFunction}); workers use this JVM's class path.
     */
    public static LocalExecutor workers(int n) {
        if (n < 1) {
            throw new FrugalException("a local sweep needs at least 1 worker, got " + n);
        }
        return new LocalExecutor(n, ThreadBudget.share(n));
    }

    /**
     * One run at a time in this JVM, with the engine's threads as they are. Any run function works, lambdas
     * included (notebook cells), at the price of no parallelism.
     */
    public static LocalExecutor inProcess() {
        return new LocalExecutor(0, 0);
    }

    /** The same workers with {@code threads} PyTorch threads each (the default is cores / workers). */
    public LocalExecutor threadsPerWorker(int threads) {
        if (workers == 0) {
            throw new FrugalException("threadsPerWorker applies to worker JVMs (LocalExecutor.workers(n)); in process"
                    + " the engine's own setting stays");
        }
        if (threads < 1) {
            throw new FrugalException("threadsPerWorker must be >= 1, got " + threads);
        }
        return new LocalExecutor(workers, threads);
    }

    /** Number of worker JVMs; 0 runs in this JVM. */
    public int workers() {
        return workers;
    }

    public int threadsPerWorker() {
        return threadsPerWorker;
    }

    @Override
    public void execute(SweepPlan plan, Consumer<RunResult> finished) throws InterruptedException {
        if (workers == 0) {
            String where = "this JVM pid " + ProcessHandle.current().pid();
            for (RunConfig c : plan.configs()) {
                finished.accept(RunResult.attempt(plan.function(), c, plan.attempts(), where));
            }
            return;
        }
        if (plan.configs().isEmpty()) {
            return;
        }
        new Pool(plan, finished).run();
    }

    /** One driver thread per worker JVM, all taking configurations from one queue. */
    private final class Pool {
        private final SweepPlan plan;
        private final Consumer<RunResult> finished;
        private final String functionClass;
        private final Queue<RunConfig> queue;
        private final Map<RunConfig, Integer> deaths = new ConcurrentHashMap<>();
        private final List<WorkerJvm> live = new CopyOnWriteArrayList<>();
        private volatile boolean stopping;

        Pool(SweepPlan plan, Consumer<RunResult> finished) {
            this.plan = plan;
            this.finished = finished;
            this.functionClass = RunFunction.className(plan.function());
            this.queue = new ConcurrentLinkedQueue<>(plan.configs());
        }

        void run() throws InterruptedException {
            int n = Math.min(workers, plan.configs().size());
            ExecutorService threads = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "frugal-sweep-driver");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> drivers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "worker-" + (i + 1);
                drivers.add(threads.submit(() -> drive(name)));
            }
            try {
                for (Future<?> d : drivers) {
                    d.get();
                }
            } catch (InterruptedException e) {
                stop();
                throw e;
            } catch (ExecutionException e) {
                stop();
                throw e.getCause() instanceof RuntimeException r ? r
                        : new FrugalException("a sweep driver thread failed: " + e.getCause(), e.getCause());
            } finally {
                threads.shutdownNow();
            }
        }

        private void stop() {
            stopping = true;
            live.forEach(WorkerJvm::kill);
        }

        private Void drive(String name) {
            WorkerJvm w = null;
            try {
                for (RunConfig c = queue.poll(); c != null && !stopping; c = queue.poll()) {
                    if (w == null) {
                        w = WorkerJvm.start(functionClass, plan.attempts(), threadsPerWorker,
                                System.getProperty("java.class.path"), plan.logDir(), name);
                        live.add(w);
                    }
                    try {
                        finished.accept(w.run(c));
                    } catch (WorkerJvm.Died e) {
                        live.remove(w);
                        w.kill();
                        w = null;
                        if (stopping) {
                            break;
                        }
                        int d = deaths.merge(c, 1, Integer::sum);
                        if (d < plan.attempts()) {
                            queue.add(c); // a fresh worker tries again
                        } else {
                            finished.accept(RunResult.failed(c, e.getMessage(), d, name));
                        }
                    }
                }
            } finally {
                if (w != null) {
                    live.remove(w);
                    w.close();
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return workers == 0 ? "this JVM, one run at a time"
                : workers + " worker JVM" + (workers > 1 ? "s" : "") + " x " + threadsPerWorker + " PyTorch thread"
                        + (threadsPerWorker > 1 ? "s" : "");
    }
}
