package frugal.nn;

import ai.djl.ndarray.NDArray;

/**
 * Observes the input of a {@link BatchNormLayer}: called once per forward with the per-channel batch
 * mean and biased variance (both shape C, still attached to the autograd graph).
 */
@FunctionalInterface
public interface BnRecorder {
    void record(BatchNormLayer layer, NDArray batchMean, NDArray batchVariance);
}
