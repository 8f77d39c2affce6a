package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Common losses and a forward pass that needs no DJL Trainer. */
public final class Losses {
    private Losses() {}

    /** Runs the model on the inputs; parameters are used in place (no copies). */
    public static NDList forward(Block model, NDList inputs, boolean training) {
        return model.forward(new ParameterStore(inputs.head().getManager(), false), inputs, training);
    }

    /**
     * Mean cross-entropy of logits (..., classes) against integer class targets (...): classifiers
     * (B, C) vs (B) and language models (B, T, V) vs (B, T).
     */
    public static OutputLoss softmaxCrossEntropy() {
        return (outputs, targets) -> {
            NDArray logits = outputs.head();
            NDArray labels = targets.head();
            if (labels.getShape().dimension() != logits.getShape().dimension() - 1) {
                throw new IllegalArgumentException("cross-entropy expects targets of shape "
                        + logits.getShape().slice(0, logits.getShape().dimension() - 1) + " (class indices) for logits "
                        + logits.getShape() + ", got " + labels.getShape());
            }
            NDArray index = labels.toType(DataType.INT64, false).expandDims(-1);
            return logits.logSoftmax(-1).gather(index, -1).mean().neg();
        };
    }

    /** Mean squared error between the first output and the first target. */
    public static OutputLoss meanSquaredError() {
        return (outputs, targets) -> outputs.head().sub(targets.head()).square().mean();
    }
}
