package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The batch cut into {@code parts} consecutive row slices (axis 0 of every input and target) of near-equal
     * size, for gradient accumulation; tokens are shared out in proportion to rows. The slices live on the
     * arrays' own manager.
     */
    public List<Batch> split(int parts) {
        long rows = inputs.head().getShape().get(0);
        for (NDList list : List.of(inputs, targets)) {
            for (NDArray a : list) {
                if (a.getShape().dimension() == 0 || a.getShape().get(0) != rows) {
                    throw new FrugalException("cannot split a batch into micro-batches: an array has shape "
                            + a.getShape() + " but the first input has " + rows + " rows; every input and target"
                            + " must have the batch on axis 0");
                }
            }
        }
        if (parts < 1 || parts > rows) {
            throw new FrugalException("cannot split a batch of " + rows + " rows into " + parts + " micro-batches;"
                    + " use between 1 and " + rows + " (TrainConfig.withMicroBatches)");
        }
        List<Batch> out = new ArrayList<>(parts);
        long from = 0;
        long tokensGiven = 0;
        for (int p = 0; p < parts; p++) {
            long to = from + rows / parts + (p < rows % parts ? 1 : 0);
            long partTokens = p == parts - 1 ? tokens - tokensGiven : tokens * (to - from) / rows;
            NDIndex slice = new NDIndex("{}:{}", from, to);
            out.add(new Batch(slice(inputs, slice), slice(targets, slice), partTokens));
            tokensGiven += partTokens;
            from = to;
        }
        return out;
    }

    private static NDList slice(NDList arrays, NDIndex rows) {
        NDList out = new NDList(arrays.size());
        for (NDArray a : arrays) {
            out.add(a.get(rows));
        }
        return out;
    }
}
