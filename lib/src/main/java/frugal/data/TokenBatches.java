package frugal.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import java.util.Random;

/**
 * Random contiguous windows of a token array, for training a language model: the batch of step
 * {@code s} holds {@code B} windows whose starts are drawn uniformly by {@link StepRandom#of
 * StepRandom.of(seed, s)}. So a batch depends only on the seed and the step, and a resumed run sees
 * the batches an uninterrupted one would. The shape fits {@code frugal.train.BatchSource}:
 * {@code (m, s) -> { var b = windows.batch(m, s); return Batch.of(b.input(), b.target()); }}.
 */
public final class TokenBatches {
    private final int[] tokens;
    private final int contextLength;
    private final int batchSize;
    private final long seed;

    /**
     * @param tokens the token stream (copied)
     * @param contextLength {@code T}, tokens per window; the stream needs at least {@code T + 1}
     * @param batchSize {@code B}, windows per batch
     */
    public TokenBatches(int[] tokens, int contextLength, int batchSize, long seed) {
        if (contextLength <= 0) {
            throw new FrugalException("context length must be positive, got " + contextLength);
        }
        if (batchSize <= 0) {
            throw new FrugalException("batch size must be positive, got " + batchSize);
        }
        if (tokens.length < contextLength + 1) {
            throw new FrugalException("the text has " + tokens.length + " tokens, too short for context length "
                    + contextLength + ": a window needs " + (contextLength + 1) + " (input plus the next token);"
                    + " use more text or a shorter context");
        }
        this.tokens = tokens.clone();
        this.contextLength = contextLength;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int contextLength() {
        return contextLength;
    }

    /** Length of the token stream. */
    public int tokenCount() {
        return tokens.length;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The windows of {@code step}, as int64 {@code B x T} arrays on {@code manager}. */
    public TokenBatch batch(NDManager manager, long step) {
        Random random = StepRandom.of(seed, step);
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
