package frugal.train;

import ai.djl.ndarray.NDManager;
import frugal.data.ImageBatch;
import frugal.data.ImageSet;
import frugal.data.TokenBatch;
import frugal.data.TokenBatches;
import java.util.Arrays;

/** Batch sources over Frugal's data sets, so a notebook goes from a data set to {@link Trainer} in one call. */
public final class Batches {
    private Batches() {}

    /** Shuffled full batches, a new order each epoch, a pure function of (seed, step). */
    public static BatchSource shuffled(ImageSet set, int batchSize, long seed) {
        set.batchCount(batchSize, true); // validates the batch size against the set now, not at step one
        return (manager, step) -> toBatch(set.batchAt(manager, step, batchSize, seed));
    }

    /**
     * The set in order: step {@code i} is the i-th batch (the last one may be short), cycling. For
     * evaluation; {@link #count(ImageSet, int)} batches cover the set once.
     */
    public static BatchSource inOrder(ImageSet set, int batchSize) {
        int count = count(set, batchSize);
        return (manager, step) -> {
            int from = (int) Math.floorMod(step, (long) count) * batchSize;
            int[] rows = new int[Math.min(batchSize, set.size() - from)];
            Arrays.setAll(rows, i -> from + i);
            return Batch.of(set.images(manager, rows), set.labels(manager, rows));
        };
    }

    /** How many {@link #inOrder} batches cover the set once. */
    public static int count(ImageSet set, int batchSize) {
        return set.batchCount(batchSize, false);
    }

    /** Random (input, target) windows of a token stream; the token count is B x T. */
    public static BatchSource tokens(TokenBatches windows) {
        return (manager, step) -> {
            TokenBatch b = windows.batch(manager, step);
            return Batch.of(b.input(), b.target());
        };
    }

    private static Batch toBatch(ImageBatch b) {
        // the batch's own manager is a child of the step scope, so it is freed with the step
        return Batch.of(b.images(), b.labels());
    }
}
