package frugal.dg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import frugal.data.ImageBatch;
import java.util.List;

/** The training domains' minibatches of one step, concatenated in domain order as DomainBed does. */
final class Minibatches {
    private Minibatches() {}

    static NDArray images(List<ImageBatch> batches) {
        return NDArrays.concat(new NDList(batches.stream().map(ImageBatch::images).toArray(NDArray[]::new)));
    }

    static NDArray labels(List<ImageBatch> batches) {
        return NDArrays.concat(new NDList(batches.stream().map(ImageBatch::labels).toArray(NDArray[]::new)));
    }
}
