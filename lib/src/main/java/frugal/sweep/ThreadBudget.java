package frugal.sweep;

import ai.djl.pytorch.jni.JniUtils;
import frugal.core.Engines;

/**
 * How many cores PyTorch's intra-op parallelism may use. The setting belongs to the process, so each worker JVM
 * gets its budget before its engine starts ({@code ai.djl.pytorch.num_threads}, {@code OMP_NUM_THREADS}).
 */
public final class ThreadBudget {
    private ThreadBudget() {}

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
