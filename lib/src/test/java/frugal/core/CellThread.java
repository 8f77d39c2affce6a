package frugal.core;

import org.junit.jupiter.api.function.Executable;

/**
 * Runs test code in a new thread, as a notebook runs a cell in a thread other than the one that started the
 * engine: there PyTorch's grad mode starts on. Returns the result or rethrows the failure as an AssertionError.
 */
public final class CellThread {
    private CellThread() {}

    /** Test code that returns a value and may throw anything. */
    @FunctionalInterface
    public interface Work<T> {
        T get() throws Throwable;
    }

    public static <T> T call(Work<T> work) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread cell = new Thread(() -> {
            try {
                result[0] = work.get();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        cell.start();
        try {
            cell.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) {
            throw new AssertionError("failed in a fresh thread: " + failure[0], failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    public static void run(Executable work) {
        call(() -> {
            work.execute();
            return null;
        });
    }
}
