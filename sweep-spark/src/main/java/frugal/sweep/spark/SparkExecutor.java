package frugal.sweep.spark;

import frugal.core.FrugalException;
import frugal.sweep.RunConfig;
import frugal.sweep.RunFunction;
import frugal.sweep.RunResult;
import frugal.sweep.SweepExecutor;
import frugal.sweep.SweepPlan;
import frugal.sweep.WorkerJvm;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.TaskFailureListener;

/**
 * Runs a sweep on Apache Spark: each configuration is one single-task Spark job, submitted all at once, so the
 * cluster runs as many at a time as it has task slots, and the driver stores each result the moment its job ends
 * (a driver killed halfway keeps every finished run, like the local executor).
 *
 * <p>A task runs its configuration in a worker JVM on the executor's machine, the same {@link WorkerJvm} the local
 * executor uses, with {@code spark.task.cpus} PyTorch threads and the job jar (library, DJL, natives, run
 * functions) as class path; workers stay up between tasks. Runs never share a JVM: DJL records one gradient
 * collector at a time per JVM, and PyTorch's generator and thread count belong to the process. A run that throws
 * is tried up to the sweep's attempts inside its worker, a worker that dies is replaced, and a run that still
 * fails comes back as a failed result with its error; the sweep itself never fails for a run. An executor lost
 * is Spark's business ({@code spark.task.maxFailures}); a job that fails anyway is recorded as a failed run.
 */
public final class SparkExecutor implements SweepExecutor {
    private static final long POLL_MS = 50;

    private final JavaSparkContext spark;

    private SparkExecutor(JavaSparkContext spark) {
        this.spark = Objects.requireNonNull(spark, "spark");
    }

    /** Runs sweeps on {@code spark}; the caller owns the context (creates and stops it). */
    public static SparkExecutor on(JavaSparkContext spark) {
        return new SparkExecutor(spark);
    }

    /**
     * A Spark inside this JVM for trials and tests: {@code local[cores]}, no web UI, loopback only, one task
     * slot per core.
     */
    public static SparkConf localConf(int cores) {
        return new SparkConf().setMaster("local[" + cores + "]").setAppName("frugal sweep (local)")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.default.parallelism", Integer.toString(cores))
                .set("spark.sql.shuffle.partitions", Integer.toString(cores));
    }

    @Override
    public void execute(SweepPlan plan, Consumer<RunResult> finished) throws InterruptedException {
        RunTask task = new RunTask(RunFunction.className(plan.function()), plan.attempts());
        Map<JavaFutureAction<List<String>>, RunConfig> jobs = new LinkedHashMap<>();
        try {
            for (RunConfig c : plan.configs()) {
                spark.setJobDescription("frugal sweep: " + c);
                jobs.put(spark.parallelize(List.of(c.toJson().toString()), 1).map(task).collectAsync(), c);
            }
            while (!jobs.isEmpty()) {
                boolean any = false;
                for (Iterator<Map.Entry<JavaFutureAction<List<String>>, RunConfig>> it = jobs.entrySet().iterator();
                        it.hasNext();) {
                    Map.Entry<JavaFutureAction<List<String>>, RunConfig> job = it.next();
                    if (job.getKey().isDone()) {
                        it.remove();
                        any = true;
                        finished.accept(result(job.getKey(), job.getValue(), plan.attempts()));
                    }
                }
                if (!any) {
                    Thread.sleep(POLL_MS);
                }
            }
        } finally {
            // interrupted, or the store could not be written: stop the cluster's work for this sweep
            new ArrayList<>(jobs.keySet()).forEach(j -> j.cancel(true));
            spark.setJobDescription(null);
        }
    }

    private static RunResult result(JavaFutureAction<List<String>> job, RunConfig config, int attempts)
            throws InterruptedException {
        try {
            return RunResult.fromJson(job.get().get(0));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return RunResult.failed(config, "the Spark job of this run failed (an executor lost, or a task killed): "
                    + cause, attempts, "spark");
        } catch (CancellationException e) {
            throw new FrugalException("the Spark job of " + config + " was cancelled (the Spark context stopped?)", e);
        }
    }

    /** What one Spark task does: one configuration in (JSON), one result out (JSON), computed in a worker JVM. */
    static final class RunTask implements Function<String, String> {
        private static final long serialVersionUID = 1L;

        private final String functionClass;
        private final int attempts;

        RunTask(String functionClass, int attempts) {
            this.functionClass = functionClass;
            this.attempts = attempts;
        }

        @Override
        public String call(String json) throws Exception {
            TaskContext task = TaskContext.get();
            ExecutorWorkers.Kind kind = new ExecutorWorkers.Kind(functionClass, attempts, task == null ? 1 : task.cpus(),
                    ExecutorWorkers.classPath());
            SparkEnv env = SparkEnv.get();
            String executor = "spark executor " + env.executorId() + " on " + env.blockManager().blockManagerId().host();
            RunConfig config = RunConfig.fromJson(json);
            for (int deaths = 1;; deaths++) {
                WorkerJvm worker = ExecutorWorkers.borrow(kind);
                if (task != null) {
                    TaskFailureListener stop = (context, error) -> worker.kill(); // cancelled: stop the run too
                    task.addTaskFailureListener(stop);
                }
                try {
                    RunResult r = worker.run(config);
                    ExecutorWorkers.giveBack(kind, worker);
                    return new RunResult(r.config(), r.status(), r.metrics(), r.error(), r.attempts(), r.seconds(),
                            executor + ", " + r.where()).toJson();
                } catch (WorkerJvm.Died e) {
                    worker.kill();
                    if (deaths >= attempts) {
                        return RunResult.failed(config, e.getMessage(), deaths, executor).toJson();
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Spark " + spark.master() + " (" + spark.defaultParallelism() + " task slots)";
    }
}
