package frugal.growth;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import java.util.List;

/**
 * Depthwise growth operators of Du et al. (2024): a trained small {@link TinyGpt} of L blocks becomes a model
 * of g L blocks of the same width, whose embeddings, final LayerNorm and head are the small model's.
 * They differ in what fills the blocks:
 * <ul>
 *   <li>{@link #STACK} (G_stack, the paper's winner): block i is a copy of the small model's block i mod L, so
 *       the grown model is the small layer stack repeated g times. It does not preserve the small model's
 *       function (the input of copy k is the output of copy k - 1).
 *   <li>{@link #ZERO} (G_zero): the small model's blocks at the bottom, then (g - 1) L new blocks whose residual
 *       outputs (attention and MLP output projections) are zero, so each new block starts as the identity and
 *       the grown model computes exactly the small model's function.
 *   <li>{@link #RANDOM} (G_random): the small model's blocks at the bottom, new blocks on top freshly initialised
 *       as in a model trained from scratch.
 * </ul>
 * Only models built with dense block Linears (TinyGpt's default factory) are grown.
 */
public enum GrowthOperator {
    STACK("G_stack") {
        @Override
        void fill(List<Block> small, List<Block> grown) {
            for (int i = 0; i < grown.size(); i++) {
                TinyGptParts.copy(small.get(i % small.size()), grown.get(i));
            }
        }
    },
    ZERO("G_zero") {
        @Override
        void fill(List<Block> small, List<Block> grown) {
            RANDOM.fill(small, grown);
            for (Block added : grown.subList(small.size(), grown.size())) {
                TinyGptParts.zeroResidualBranches(added);
            }
        }
    },
    RANDOM("G_random") {
        @Override
        void fill(List<Block> small, List<Block> grown) {
            for (int i = 0; i < small.size(); i++) {
                TinyGptParts.copy(small.get(i), grown.get(i));
            }
        }
    };

    private final String label;

    GrowthOperator(String label) {
        this.label = label;
    }

    /** The paper's name, e.g. "G_stack". */
    public String label() {
        return label;
    }

    /**
     * The grown model: {@code factor} times as deep as {@code small}, on {@code manager}; the small model is left
     * as it was.
     *
     * @param seed initialises the grown model before the small model's parameters are copied in (the new blocks of
     *     {@link #RANDOM} keep that initialisation)
     */
    public TinyGpt grow(TinyGpt small, int factor, NDManager manager, long seed) {
        if (factor < 2) {
            throw new FrugalException(label + ": the growth factor must be >= 2 (the paper's g; 4 works well), got "
                    + factor);
        }
        if (!small.isInitialized()) {
            throw new FrugalException(label + " grows a trained small model; this one has no parameters yet");
        }
        TinyGpt grown = new TinyGpt(deeper(small.config(), factor));
        synchronized (Seeds.ENGINE_GENERATOR) { // the initialisation draws from the process's one generator
            Seeds.set(seed);
            grown.initialize(manager);
        }
        TinyGptParts.copyOuter(small, grown);
        fill(TinyGptParts.blocks(small), TinyGptParts.blocks(grown));
        return grown;
    }

    /** The configuration of the grown model: {@code factor} times the layers, everything else the same. */
    public static TinyGpt.Config deeper(TinyGpt.Config small, int factor) {
        return new TinyGpt.Config(small.vocab(), small.context(), small.layers() * factor, small.dModel(),
                small.heads(), small.mlpRatio(), small.dropout(), small.bias(), small.mup());
    }

    /** Puts the small model's blocks into the grown model's freshly initialised ones. */
    abstract void fill(List<Block> small, List<Block> grown);
}
