package frugal.core;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent engine tasks side by side, one per core, each with one PyTorch thread. Small models use
 * two PyTorch threads badly (a distillation student at batch 32 keeps 1.3 of 2 cores busy), so two of them at
 * one thread each finish sooner. PyTorch's intra-op thread count is global and a new thread takes the count
 * set when it first runs an op: the count is lowered to 1 for the call, the tasks run on fresh threads, and
 * the count is put back. Tasks must not share mutable engine state without a lock (see
 * {@link Seeds#ENGINE_GENERATOR}); results come back in task order, whatever order the tasks finish in.
 */
public final class OneThreadEach {
    private OneThreadEach() {}

    /** {@code tasks} on {@link #defaultWorkers()} threads. */
    public static <T> List<T> run(List<? extends Callable<T>> tasks) {
        return run(tasks, defaultWorkers());
    }

    /** One worker per core, at most the engine's own thread count (what a single run would have used). */
    public static int defaultWorkers() {
        Engines.pytorch();
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads()));
    }

    /**
     * Runs {@code tasks} on {@code workers} new threads, each task with one PyTorch thread, and returns their
     * results in task order. The first task that throws stops the others from starting; its exception is
     * rethrown (unchecked ones as they are) after every running task has ended.
     */
    public static <T> List<T> run(List<? extends Callable<T>> tasks, int workers) {
        if (workers < 1) {
            throw new FrugalException("OneThreadEach needs at least one worker, got " + workers);
        }
        Engines.pytorch();
        List<T> results = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            results.add(null);
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[1];
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < Math.min(workers, tasks.size()); w++) {
                Thread t = new Thread(() -> {
                    for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                        synchronized (failure) {
                            if (failure[0] != null) {
                                return;
                            }
                        }
                        try {
                            T r = tasks.get(i).call();
                            synchronized (results) {
                                results.set(i, r);
                            }
                        } catch (Throwable e) {
                            synchronized (failure) {
                                if (failure[0] == null) {
                                    failure[0] = e;
                                }
                            }
                            return;
                        }
                    }
                }, "one-thread-each-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrugalException("interrupted while waiting for " + tasks.size() + " tasks", e);
        } finally {
            JniUtils.setNumThreads(before);
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new FrugalException("a task failed: " + failure[0], failure[0]);
        }
        synchronized (results) {
            return Collections.unmodifiableList(new ArrayList<>(results));
        }
    }
}
