package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;

/**
 * The training objective: runs the model itself, so distillation or auxiliary losses fit the same shape.
 *
 * <p>Returns a scalar. {@code training} is true inside the training step (dropout on, batch norm updating).
 */
@FunctionalInterface
public interface LossFunction {
    NDArray loss(Block model, NDList inputs, NDList targets, boolean training);

    /** The usual case: a forward pass, then a loss on the outputs. */
    static LossFunction of(OutputLoss outputLoss) {
        return (model, inputs, targets, training) ->
                outputLoss.loss(Losses.forward(model, inputs, training), targets);
    }
}
