package frugal.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import frugal.nn.BatchNormLayer;
import frugal.nn.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A trained, frozen classifier that distillation reads: its logits with batch norm from the running
 * statistics (eval mode, as recover and SRe2L's relabel use it) or from the batch's own statistics
 * (train mode, SRe2L++'s batch-specific soft labels), and its features.
 *
 * @param architecture what was built
 * @param model the trained network; its parameters are frozen (no gradients)
 * @param testAccuracy top-1 accuracy on the real test set, in [0, 1]
 * @param trainSeconds wall time of the training run (0 when loaded from the cache)
 * @param fromCache whether the weights came from the teacher cache
 */
public record Teacher(Architecture architecture, Classifier model, double testAccuracy, double trainSeconds,
        boolean fromCache) {
    public Teacher {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(model, "model");
    }

    public String name() {
        return architecture.name();
    }

    /** Logits (N x classes) with batch norm from the running statistics; outputs attach to the images' manager. */
    public NDArray logits(NDArray images) {
        synchronized (model) {
            return model.forward(new ParameterStore(images.getManager(), false), new NDList(images), false).head();
        }
    }

    /**
     * Logits with every batch norm normalising by this batch's own statistics (train mode). A train-mode
     * forward also moves the running statistics, so they are saved before and put back after: the teacher
     * that recover and evaluation use stays the same.
     */
    public NDArray batchStatisticsLogits(NDArray images) {
        synchronized (model) { // the running statistics are moved and put back: no other forward in between
            NDManager scope = images.getManager();
            List<BatchNormLayer> layers = BatchNormLayer.inOrder(model);
            List<NDArray> saved = new ArrayList<>(2 * layers.size());
            for (BatchNormLayer layer : layers) {
                for (NDArray running : List.of(layer.runningMean(), layer.runningVar())) {
                    NDArray copy = running.duplicate();
                    copy.attach(scope);
                    saved.add(copy);
                }
            }
            NDArray logits = model.forward(new ParameterStore(scope, false), new NDList(images), true).head();
            for (int i = 0; i < layers.size(); i++) {
                // in-place and exact (the statistics are finite); NDArray.set would go through a host buffer
                layers.get(i).runningMean().muli(0).addi(saved.get(2 * i));
                layers.get(i).runningVar().muli(0).addi(saved.get(2 * i + 1));
            }
            return logits;
        }
    }

    /** Penultimate features (N x F), eval mode. */
    public NDArray features(NDArray images) {
        synchronized (model) {
            return model.features(new ParameterStore(images.getManager(), false), images, false);
        }
    }

    /** Number of trainable scalars of the network. */
    public long parameterCount() {
        long n = 0;
        for (var p : model.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }
}
