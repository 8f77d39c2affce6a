package frugal.sweep;

import java.util.function.Consumer;

/**
 * Runs the configurations of a sweep somewhere: {@link LocalExecutor} on this machine, {@code SparkExecutor}
 * (module frugal-sweep-spark) on a cluster.
 */
public interface SweepExecutor {
    /**
     * Runs every configuration of {@code plan} and hands each result to {@code finished} as soon as it exists
     * (from any thread; the caller stores it), so a sweep stopped halfway keeps every finished run. A run that
     * fails is a {@link RunResult.Status#FAILED} result, never an exception; an exception means the executor
     * itself could not work (no worker JVM would start, the cluster is gone).
     *
     * @throws InterruptedException when the calling thread is interrupted; runs in flight are abandoned
     */
    void execute(SweepPlan plan, Consumer<RunResult> finished) throws InterruptedException;
}
