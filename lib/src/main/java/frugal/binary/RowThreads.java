package frugal.binary;

import frugal.core.FrugalException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed number of threads that share the output rows of a matrix-vector product; {@link #SINGLE} runs
 * on the caller's thread. Close a pool made with {@link #of(int)} when done.
 */
public final class RowThreads implements AutoCloseable {
    /** The caller's thread only. */
    public static final RowThreads SINGLE = new RowThreads(1, null);

    /** Work on the rows {@code [from, to)}. */
    @FunctionalInterface
    public interface RowRange {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    private RowThreads(int threads, ForkJoinPool pool) {
        this.threads = threads;
        this.pool = pool;
    }

    /** {@code threads} workers ({@link #SINGLE} when 1). */
    public static RowThreads of(int threads) {
        if (threads < 1) {
            throw new FrugalException("RowThreads needs at least one thread, got " + threads);
        }
        return threads == 1 ? SINGLE : new RowThreads(threads, new ForkJoinPool(threads));
    }

    public int threads() {
        return threads;
    }

    /** Splits {@code rows} into one contiguous range per thread (multiples of {@code align} rows) and waits. */
    public void forRows(int rows, int align, RowRange work) {
        if (pool == null || rows < 2 * align) {
            work.run(0, rows);
            return;
        }
        int chunk = ((rows + threads - 1) / threads + align - 1) / align * align;
        List<ForkJoinTask<?>> tasks = new ArrayList<>(threads);
        for (int from = chunk; from < rows; from += chunk) {
            int f = from;
            int t = Math.min(rows, from + chunk);
            tasks.add(pool.submit(() -> work.run(f, t)));
        }
        work.run(0, Math.min(rows, chunk));
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
