package frugal.core;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed number of threads that share work: the output rows of a matrix-vector product ({@link #forRows}), or
 * the slices of a training batch ({@link #forParts}, one slice per thread). The caller's thread takes part 0;
 * {@link #SINGLE} runs everything on it. Close a pool made with {@link #of(int)} when done.
 *
 * <p>A packed matvec takes 10-700 microseconds, about what waking a parked thread costs on a virtual machine
 * (a fork-join pool measured no faster on 2 threads than on 1 at 4096 x 4096). So the helpers spin for a short
 * while after each product before they park: back-to-back products (decoding, a benchmark) find them awake.
 */
public final class HelperThreads implements AutoCloseable {
    /** The caller's thread only. */
    public static final HelperThreads SINGLE = new HelperThreads(1);

    /** How long an idle helper spins before it parks. */
    private static final long SPIN_NANOS = 200_000;

    /** Work on the rows {@code [from, to)}. */
    @FunctionalInterface
    public interface RowRange {
        void run(int from, int to);
    }

    private final int threads;
    /** Helpers for parts 1 .. threads - 1; the caller runs part 0. */
    private final Helper[] helpers;
    private volatile boolean closed;

    private HelperThreads(int threads) {
        this.threads = threads;
        this.helpers = new Helper[threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper("frugal-helper-" + (i + 1));
            helpers[i].start();
        }
    }

    /** {@code threads} workers ({@link #SINGLE} when 1). */
    public static HelperThreads of(int threads) {
        if (threads < 1) {
            throw new FrugalException("HelperThreads needs at least one thread, got " + threads);
        }
        return threads == 1 ? SINGLE : new HelperThreads(threads);
    }

    public int threads() {
        return threads;
    }

    /** Splits {@code rows} into one contiguous range per thread (multiples of {@code align} rows) and waits. */
    public void forRows(int rows, int align, RowRange work) {
        if (helpers.length == 0 || rows < 2 * align) {
            work.run(0, rows);
            return;
        }
        int chunk = ((rows + threads - 1) / threads + align - 1) / align * align;
        forParts((rows + chunk - 1) / chunk, part -> work.run(part * chunk, Math.min(rows, (part + 1) * chunk)));
    }

    /**
     * Runs {@code work} for parts 0 .. {@code parts - 1} at once, part 0 on the caller's thread and part i on
     * helper i (the same helper every call, so its thread-local state stays warm), and waits for all of them.
     */
    public void forParts(int parts, IntConsumer work) {
        if (parts < 1 || parts > threads) {
            throw new FrugalException("HelperThreads of " + threads + " threads runs 1 to " + threads + " parts at once, asked for "
                    + parts);
        }
        if (parts == 1) {
            work.accept(0);
            return;
        }
        if (closed) {
            throw new FrugalException("HelperThreads was closed; make a new one with HelperThreads.of(" + threads + ")");
        }
        for (int i = 1; i < parts; i++) {
            int part = i;
            helpers[i - 1].give(() -> work.accept(part));
        }
        Throwable failure = null;
        try {
            work.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int i = 1; i < parts; i++) {
            Throwable e = helpers[i - 1].await();
            if (failure == null) {
                failure = e;
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Helper h : helpers) {
            LockSupport.unpark(h);
        }
    }

    /** One helper thread: runs the task it is given, then spins, then parks. */
    private final class Helper extends Thread {
        private volatile Runnable task;
        private volatile boolean parked;
        private volatile Throwable failure;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        void give(Runnable work) {
            failure = null;
            task = work;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Waits for the task given last; returns what it threw, or null. */
        Throwable await() {
            while (task != null) {
                Thread.onSpinWait();
            }
            return failure;
        }

        @Override
        public void run() {
            while (!closed) {
                Runnable work = next();
                if (work == null) {
                    continue;
                }
                try {
                    work.run();
                } catch (Throwable e) {
                    failure = e;
                }
                task = null;
            }
        }

        private Runnable next() {
            long until = System.nanoTime() + SPIN_NANOS;
            Runnable work;
            while ((work = task) == null && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (work == null) {
                parked = true;
                // the giver sets the task before it reads parked: one of the two sees the other
                if ((work = task) == null && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
            }
            return work;
        }
    }
}
