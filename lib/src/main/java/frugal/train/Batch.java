package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * One training or evaluation batch.
 *
 * @param inputs what the model reads
 * @param targets what the loss compares the model's output with
 * @param tokens how many tokens (language models) or samples (classifiers) the batch holds; token-based
 *     learning-rate schedules count these
 */
public record Batch(NDList inputs, NDList targets, long tokens) {
    public Batch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
    }

    /** A batch of one input and one target array; tokens = number of target elements (B, or B x T). */
    public static Batch of(NDArray input, NDArray target) {
        return new Batch(new NDList(input), new NDList(target), target.size());
    }
}
