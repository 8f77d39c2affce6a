package frugal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Pooling helpers the DJL blocks lack. */
final class Pooling {
    private Pooling() {}

    /** N x C x H x W to N x C, the mean over the pixels (one reduction: PyTorch-DJL reduces one axis per call). */
    static NDArray globalAverage(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }
}
