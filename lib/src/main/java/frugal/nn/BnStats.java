package frugal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Captures the input statistics of every {@link BatchNormLayer} of a model during forwards, in layer
 * order: {@code try (BnStats s = BnStats.capture(teacher)) { forward; s.entries() ... }}. Closing it
 * detaches the recorders, so the model goes back to plain batch norm.
 */
public final class BnStats implements AutoCloseable {
    /** One BN layer's input statistics from one forward, with the layer's running statistics. */
    public record Entry(int layerIndex, BatchNormLayer layer, NDArray batchMean, NDArray batchVariance) {
        public NDArray runningMean() {
            return layer.runningMean();
        }

        public NDArray runningVar() {
            return layer.runningVar();
        }
    }

    private final List<BatchNormLayer> layers;
    private final List<Entry> entries = new ArrayList<>();

    private BnStats(List<BatchNormLayer> layers) {
        this.layers = layers;
        for (int i = 0; i < layers.size(); i++) {
            int index = i;
            layers.get(i).setRecorder((layer, mean, var) -> entries.add(new Entry(index, layer, mean, var)));
        }
    }

    /** Starts recording on every BN layer of {@code model}. */
    public static BnStats capture(Block model) {
        return new BnStats(BatchNormLayer.inOrder(model));
    }

    /** The layers observed, in forward order. */
    public List<BatchNormLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Statistics recorded since the last {@link #clear()}, in the order the forwards produced them. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Forgets the recorded entries (the arrays stay with the manager that computed them). */
    public void clear() {
        entries.clear();
    }

    @Override
    public void close() {
        layers.forEach(layer -> layer.setRecorder(null));
        entries.clear();
    }
}
