package frugal.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import java.util.Random;

/**
 * Random contiguous windows of a token array, for training a language model: each call to
 * {@link #next} draws {@code B} start positions uniformly, and the same seed draws the same windows
 * in the same order.
 */
public final class TokenBatches {
    private final int[] tokens;
    private final int contextLength;
    private final Random random;

    /**
     * @param tokens the token stream (copied)
     * @param contextLength {@code T}, tokens per window; the stream needs at least {@code T + 1}
     */
    public TokenBatches(int[] tokens, int contextLength, long seed) {
        if (contextLength <= 0) {
            throw new FrugalException("context length must be positive, got " + contextLength);
        }
        if (tokens.length < contextLength + 1) {
            throw new FrugalException("the text has " + tokens.length + " tokens, too short for context length "
                    + contextLength + ": a window needs " + (contextLength + 1) + " (input plus the next token);"
                    + " use more text or a shorter context");
        }
        this.tokens = tokens.clone();
        this.contextLength = contextLength;
        this.random = new Random(seed);
    }

    public int contextLength() {
        return contextLength;
    }

    /** Length of the token stream. */
    public int tokenCount() {
        return tokens.length;
    }

    /** The next {@code batchSize} windows, as int64 arrays on {@code manager}. */
    public TokenBatch next(NDManager manager, int batchSize) {
        if (batchSize <= 0) {
            throw new FrugalException("batch size must be positive, got " + batchSize);
        }
        int t = contextLength;
        long[] input = new long[batchSize * t];
        long[] target = new long[batchSize * t];
        for (int b = 0; b < batchSize; b++) {
            // start + t is the last target position, so it must stay inside the stream
            int start = random.nextInt(tokens.length - t);
            for (int i = 0; i < t; i++) {
                input[b * t + i] = tokens[start + i];
                target[b * t + i] = tokens[start + i + 1];
            }
        }
        Shape shape = new Shape(batchSize, t);
        return new TokenBatch(manager.create(input, shape), manager.create(target, shape));
    }
}
