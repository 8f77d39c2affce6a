package frugal.nn;

import ai.djl.nn.Block;

/**
 * Makes the MLP branch of each of {@link TinyGpt}'s transformer blocks, so another block (e.g. a mixture of
 * experts) can replace the dense up -> GELU -> down. Without a factory TinyGpt builds the dense MLP from its
 * {@link LinearFactory}.
 *
 * <p>Contract: the block maps the normed hidden state (B x T x d) to B x T x d; TinyGpt adds it to the
 * residual stream (times muP's residual multiplier). The block sets its own initializers; its parameters of
 * type {@link ai.djl.nn.Parameter.Type#WEIGHT} count as hidden matrices for muP, the others as vectors.
 */
@FunctionalInterface
public interface MlpFactory {
    /** The MLP of block {@code layer} (0-based) of a model with {@code config}. */
    Block create(TinyGpt.Config config, int layer);
}
