package frugal.growth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import frugal.core.FrugalException;
import frugal.core.GradMode;
import frugal.nn.LinearFactory;
import frugal.nn.TinyGpt;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parts of a {@link TinyGpt} a growth operator moves, reached from outside through DJL's block tree: the
 * transformer blocks are the children named {@code NNblockI}, then {@code ln_f} and {@code head}; the two
 * embeddings are the model's own parameters. Copies are in place, with autograd recording off.
 */
final class TinyGptParts {
    private static final Pattern BLOCK = Pattern.compile("\\d+block\\d+");
    private static final List<String> EMBEDDINGS = List.of("tok_emb", "pos_emb");
    private static final List<String> RESIDUAL_OUTPUTS = List.of(LinearFactory.Role.ATTN_PROJ.childName(),
            LinearFactory.Role.MLP_DOWN.childName());

    private TinyGptParts() {}

    /** The transformer blocks, bottom to top. */
    static List<Block> blocks(TinyGpt model) {
        List<Block> blocks = model.getChildren().stream().filter(c -> BLOCK.matcher(c.getKey()).matches())
                .map(Pair::getValue).toList();
        if (blocks.size() != model.config().layers()) {
            throw new FrugalException("found " + blocks.size() + " transformer blocks in a TinyGpt of "
                    + model.config().layers() + " layers: TinyGpt's child names changed (expected NNblockI)");
        }
        return blocks;
    }

    /** Embeddings, final LayerNorm and head: everything outside the blocks. */
    static void copyOuter(TinyGpt from, TinyGpt to) {
        for (String name : EMBEDDINGS) {
            copy(name, from.getDirectParameters().get(name), to.getDirectParameters().get(name));
        }
        for (String child : List.of("ln_f", "head")) {
            copy(child(from, child), child(to, child));
        }
    }

    /** Every parameter of {@code from} into its twin in {@code to} (the same block type and width). */
    static void copy(Block from, Block to) {
        PairList<String, Parameter> source = from.getParameters();
        PairList<String, Parameter> target = to.getParameters();
        if (!source.keys().equals(target.keys())) {
            throw new FrugalException("cannot copy a block with parameters " + source.keys() + " into one with "
                    + target.keys() + ": grow a model built with the same LinearFactory");
        }
        for (int i = 0; i < source.size(); i++) {
            copy(source.get(i).getKey(), source.get(i).getValue(), target.get(i).getValue());
        }
    }

    /**
     * Zeroes the block's residual branches: the attention output projection and the MLP down projection
     * (weights and biases), so the block passes its input through unchanged (exact for dense Linears).
     */
    static void zeroResidualBranches(Block block) {
        for (Pair<String, Block> child : block.getChildren()) {
            if (RESIDUAL_OUTPUTS.stream().anyMatch(child.getKey()::endsWith)) {
                for (Parameter p : child.getValue().getParameters().values()) {
                    GradMode.noGrad(() -> p.getArray().set(new NDIndex(":"), 0f));
                }
            }
        }
    }

    private static Block child(TinyGpt model, String suffix) {
        return model.getChildren().stream().filter(c -> c.getKey().endsWith(suffix)).map(Pair::getValue)
                .findFirst().orElseThrow(() -> new FrugalException("TinyGpt has no child block '" + suffix + "'"));
    }

    private static void copy(String name, Parameter from, Parameter to) {
        if (from == null || to == null || !from.isInitialized() || !to.isInitialized()) {
            throw new FrugalException("parameter " + name + " is missing or not initialised on one side of a copy:"
                    + " initialise both models (model.initialize(manager)) first");
        }
        NDArray source = from.getArray();
        NDArray target = to.getArray();
        if (!source.getShape().equals(target.getShape())) {
            throw new FrugalException("parameter " + name + " is " + source.getShape() + " in the source but "
                    + target.getShape() + " in the target: depth growth keeps the width, vocabulary and context");
        }
        GradMode.noGrad(() -> target.set(new NDIndex(":"), source));
    }
}
