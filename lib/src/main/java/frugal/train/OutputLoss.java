package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** A loss computed from the model's outputs and the targets: a scalar to minimise. */
@FunctionalInterface
public interface OutputLoss {
    NDArray loss(NDList outputs, NDList targets);
}
