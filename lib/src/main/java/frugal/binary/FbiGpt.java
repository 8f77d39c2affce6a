package frugal.binary;

import frugal.core.GradMode;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import java.util.ArrayList;
import java.util.List;

/**
 * Binarized tiny GPTs: the FBI-LLM student (every Linear in the transformer blocks an {@link FbiLinear};
 * embeddings, norms and head full precision), and the post-training binarization baseline.
 */
public final class FbiGpt {
    private FbiGpt() {}

    /** A binarized TinyGpt (not initialised): block Linears from {@link FbiLinear#factory()}. */
    public static TinyGpt binarized(TinyGpt.Config config) {
        return new TinyGpt(config, FbiLinear.factory());
    }

    /**
     * Post-training binarization: a binarized copy of a trained full-precision TinyGpt, no training. The latent
     * weights are the trained weights (so the signs are theirs) and alpha / beta are computed from them with the
     * paper's formulas; embeddings, norms, biases and head are copied. The copy lives on {@code manager}.
     */
    public static TinyGpt postTraining(TinyGpt trained, NDManager manager) {
        if (!trained.isInitialized()) {
            throw new FrugalException("postTraining needs a trained TinyGpt; this one has no weights yet");
        }
        for (Block l : trained.blockLinears()) {
            if (l instanceof FbiLinear) {
                throw new FrugalException("postTraining takes a full-precision TinyGpt; this one is binarized already");
            }
        }
        TinyGpt binary = binarized(trained.config());
        binary.initialize(manager);
        var target = binary.getParameters();
        for (Pair<String, Parameter> p : trained.getParameters()) {
            Parameter to = target.get(p.getKey());
            if (to == null) {
                throw new FrugalException("postTraining: parameter " + p.getKey() + " has no twin in the binarized model");
            }
            // an index put, not set(float[]): DJL's buffer set makes libtorch print a deprecation warning
            GradMode.noGrad(() -> to.getArray().set(new NDIndex(":"), p.getValue().getArray()));
        }
        for (FbiLinear l : layers(binary)) {
            l.resetScales();
        }
        return binary;
    }

    /** Every {@link FbiLinear} inside {@code model}, depth first in block order. */
    public static List<FbiLinear> layers(Block model) {
        List<FbiLinear> found = new ArrayList<>();
        collect(model, found);
        return found;
    }

    private static void collect(Block block, List<FbiLinear> found) {
        if (block instanceof FbiLinear f) {
            found.add(f);
            return;
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found);
        }
    }
}
