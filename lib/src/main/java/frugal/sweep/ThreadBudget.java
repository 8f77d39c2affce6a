package frugal.sweep;

import ai.djl.pytorch.jni.JniUtils;
import frugal.core.Engines;
import frugal.core.FrugalException;

/**
 * How many cores PyTorch's intra-op parallelism may use in this JVM.
 *
 * <p>The setting is per process, not per thread: workers that share a JVM share it. A worker JVM gets its budget
 * before the engine starts ({@code ai.djl.pytorch.num_threads}, {@code OMP_NUM_THREADS}); a Spark executor, whose
 * engine may already run, sets it with {@link #apply(int)} before each run.
 */
public final class ThreadBudget {
    private ThreadBudget() {}

    /** Starts the engine if needed and limits PyTorch to {@code threads} intra-op threads. */
    public static void apply(int threads) {
        if (threads < 1) {
            throw new FrugalException("a thread budget must be >= 1, got " + threads);
        }
        Engines.pytorch();
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
    }

    /** PyTorch's intra-op thread count in this JVM. */
    public static int current() {
        Engines.pytorch();
        return JniUtils.getNumThreads();
    }

    /** An even share of this machine's cores for each of {@code workers} processes, at least one. */
    public static int share(int workers) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }
}
