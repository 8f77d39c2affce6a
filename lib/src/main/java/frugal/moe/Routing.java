package frugal.moe;

import ai.djl.ndarray.NDArray;
import frugal.core.FrugalException;

/**
 * Where one MoE layer sent the tokens of one forward pass.
 *
 * @param layer the transformer block (0-based)
 * @param probs the router's softmax over experts, B x T x N_E, still attached to the autograd graph (the
 *     load-balancing loss differentiates through it)
 * @param choices the experts picked per token, row-major: token (b, t)'s j-th pick is
 *     {@code choices[(b * T + t) * topK + j]}; plain integers, so nothing differentiates through them
 * @param topK picks per token
 */
public record Routing(int layer, NDArray probs, int[] choices, int topK) {
    public Routing {
        if (probs.getShape().dimension() != 3 || choices.length != probs.getShape().get(0) * probs.getShape().get(1) * topK) {
            throw new FrugalException("Routing: probs must be B x T x N_E and choices hold B * T * topK picks; got "
                    + probs.getShape() + " and " + choices.length + " picks for top-" + topK);
        }
    }

    public int rows() {
        return (int) probs.getShape().get(0);
    }

    public int tokensPerRow() {
        return (int) probs.getShape().get(1);
    }

    public int experts() {
        return (int) probs.getShape().get(2);
    }

    /** How many picks of the tokens in rows [from, to) went to each expert. */
    public long[] counts(int from, int to) {
        long[] counts = new long[experts()];
        int perRow = tokensPerRow() * topK;
        for (int i = from * perRow; i < to * perRow; i++) {
            counts[choices[i]]++;
        }
        return counts;
    }
}
