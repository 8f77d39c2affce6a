package frugal.nn;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

/**
 * Makes every Linear inside {@link TinyGpt}'s transformer blocks, so another layer (e.g. a binarized
 * FBI-Linear) can replace them; embeddings, norms and the head stay plain.
 *
 * <p>Contract: the block maps an input of shape (..., in) to (..., out) along the last axis. After
 * creating it, TinyGpt sets a normal initializer with the muP / GPT-2 std of its role on the block's
 * parameters of type {@link ai.djl.nn.Parameter.Type#WEIGHT} (which muP then treats as hidden matrices);
 * other parameters keep their own initializers and count as vectors (lr multiplier 1, no decay).
 */
@FunctionalInterface
public interface LinearFactory {

    /** Which Linear of a transformer block is made; the name is also the child block's name. */
    enum Role {
        /** Fused query, key and value projection: d -> 3d. */
        ATTN_QKV("attn_qkv"),
        /** Attention output projection: d -> d. */
        ATTN_PROJ("attn_proj"),
        /** MLP expansion: d -> mlpRatio * d. */
        MLP_UP("mlp_up"),
        /** MLP contraction: mlpRatio * d -> d. */
        MLP_DOWN("mlp_down");

        private final String childName;

        Role(String childName) {
            this.childName = childName;
        }

        /** The child block name, part of the parameter path (e.g. {@code 02attn_qkv_weight}). */
        public String childName() {
            return childName;
        }

        /** Output projections get the extra 1/sqrt(2 * layers) in their init std. */
        public boolean isOutputProjection() {
            return this == ATTN_PROJ || this == MLP_DOWN;
        }
    }

    Block create(Role role, int in, int out, boolean bias);

    /** DJL's dense {@link Linear}: parameters {@code weight} (out x in) and, if asked, {@code bias}. */
    static LinearFactory dense() {
        return (role, in, out, bias) -> Linear.builder().setUnits(out).optBias(bias).build();
    }
}
