package frugal.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One batch of images and labels, held by its own NDManager: closing the batch frees its arrays, so a
 * training loop that closes each batch holds flat memory.
 *
 * @param manager owns {@code images} and {@code labels}; a child of the manager passed to the batcher
 * @param images float32 {@code B x 1 x rows x cols}, normalized
 * @param labels int64 {@code B}
 * @param indices which images of the set, in batch order
 */
public record ImageBatch(NDManager manager, NDArray images, NDArray labels, int[] indices)
        implements AutoCloseable {
    public int size() {
        return indices.length;
    }

    @Override
    public void close() {
        manager.close();
    }
}
