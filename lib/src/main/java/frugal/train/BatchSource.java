package frugal.train;

import frugal.core.StepRandom;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Produces the batch for a given step, as a pure function of the step (and the source's own seed).
 *
 * <p>Because the batch at step {@code s} depends only on {@code s}, a run resumed from a checkpoint sees
 * exactly the batches an uninterrupted run would have seen. Create the batch's arrays on the given
 * manager (or attach them to it): it is closed when the step ends, which keeps memory flat. Use
 * {@link StepRandom#of(long, long)} for per-step randomness.
 */
@FunctionalInterface
public interface BatchSource {
    Batch batch(NDManager manager, long step);

    /**
     * Consecutive row slices of {@code x} and {@code y}, cycling: step s reads rows
     * {@code [(s mod n) * batchSize, ...)}, where n = ceil(rows / batchSize). The last batch may be short.
     * Meant for evaluation sets and tests; the arrays stay owned by the caller.
     */
    static BatchSource slices(NDArray x, NDArray y, int batchSize) {
        long rows = x.getShape().get(0);
        if (y.getShape().get(0) != rows) {
            throw new IllegalArgumentException(
                    "x has " + rows + " rows but y has " + y.getShape().get(0) + "; they must match");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        long batches = batchCount(rows, batchSize);
        return (manager, step) -> {
            long start = Math.floorMod(step, batches) * batchSize;
            NDIndex rowsOfBatch = new NDIndex("{}:{}", start, Math.min(rows, start + batchSize));
            NDArray xb = x.get(rowsOfBatch);
            NDArray yb = y.get(rowsOfBatch);
            xb.attach(manager);
            yb.attach(manager);
            return Batch.of(xb, yb);
        };
    }

    /** How many batches of {@code batchSize} cover {@code rows} rows (the last one may be short). */
    static long batchCount(long rows, int batchSize) {
        return (rows + batchSize - 1) / batchSize;
    }
}
