package frugal.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import frugal.core.HelperThreads;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Updates trainable arrays in place from their gradients, then zeroes the gradients.
 *
 * <p>State (moments, momentum buffers) lives on a long-lived manager the optimiser owns; {@link #close()}
 * frees it.
 */
public interface Optimizer extends AutoCloseable {
    /** Creates an optimiser for the given parameters; the loop calls it once per run. */
    @FunctionalInterface
    interface Factory {
        Optimizer create(TrainableParams params);
    }

    /** What this optimiser updates. */
    TrainableParams params();

    /**
     * One update.
     *
     * @param gradients the gradients of {@link #params()}, in order
     * @param lr the schedule's learning rate; each group multiplies it by its lrMultiplier
     * @param gradScale multiplies every gradient first (gradient clipping passes max / norm here)
     */
    void step(NDList gradients, double lr, double gradScale);

    /**
     * One update with the arrays shared out over {@code threads}, each array updated whole on one of them: the
     * same arithmetic as {@link #step(NDList, double, double)}, which this default runs on the caller alone.
     */
    default void step(NDList gradients, double lr, double gradScale, HelperThreads threads) {
        step(gradients, lr, gradScale);
    }

    /** One update from the current gradients, unscaled. */
    default void step(double lr) {
        try (NDManager scope = params().entries().get(0).array().getManager().newSubManager()) {
            step(params().gradients(scope), lr, 1.0);
        }
    }

    /** Updates applied so far (Adam's bias correction reads it). */
    long stepCount();

    /** A short name written into checkpoints, so state is never loaded into a different optimiser. */
    String kind();

    void saveState(DataOutputStream out) throws IOException;

    /** Restores what {@link #saveState} wrote, checking names and shapes against {@link #params()}. */
    void loadState(DataInputStream in) throws IOException;

    @Override
    void close();
}
