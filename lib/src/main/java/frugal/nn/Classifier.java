package frugal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An image classifier split as DomainBed splits it: a featurizer (images to an N x F feature matrix)
 * and a head (features to N x classes logits). LFME trains experts and target of this shape; dataset
 * distillation reads teacher features. Parameter paths: {@code 01featurizer_...} and {@code 02head_...}.
 */
public final class Classifier extends AbstractBlock {
    private final Block featurizer;
    private final Block head;

    public Classifier(Block featurizer, Block head) {
        this.featurizer = addChildBlock("featurizer", featurizer);
        this.head = addChildBlock("head", head);
    }

    public Block featurizer() {
        return featurizer;
    }

    public Block head() {
        return head;
    }

    /** Features of {@code images} (N x F), without the head. */
    public NDArray features(ParameterStore ps, NDArray images, boolean training) {
        return featurizer.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList features = featurizer.forward(ps, inputs, training, params);
        return head.forward(ps, features, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(featurizer.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        featurizer.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, featurizer.getOutputShapes(inputShapes));
    }
}
