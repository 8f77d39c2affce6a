package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arrays an optimiser updates, in a fixed order, each with its name and {@link ParamGroup}.
 *
 * <p>Built from a model (its parameters that require gradients) or from bare arrays, such as synthetic
 * images optimised directly.
 */
public final class TrainableParams {
    /** One trainable array: DJL parameter path (or the caller's name), the array itself, its group. */
    public record Entry(String path, NDArray array, ParamGroup group) {
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(array, "array");
            Objects.requireNonNull(group, "group");
        }
    }

    private final List<Entry> entries;

    private TrainableParams(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new FrugalException("nothing to train: the model has no parameters that require gradients");
        }
        this.entries = List.copyOf(entries);
        for (Entry e : this.entries) {
            if (!e.array().hasGradient()) {
                e.array().setRequiresGradient(true);
            }
        }
    }

    /** The model's parameters that require gradients (frozen ones and running statistics are left out). */
    public static TrainableParams of(Block model, ParamGrouping grouping) {
        Objects.requireNonNull(grouping, "grouping");
        List<Entry> list = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            if (!parameter.isInitialized()) {
                throw new FrugalException("parameter " + p.getKey() + " is not initialised: call"
                        + " model.initialize(manager, DataType.FLOAT32, inputShape) before training");
            }
            ParamGroup group = Objects.requireNonNull(grouping.groupOf(p.getKey(), parameter),
                    () -> "the grouping returned no group for " + p.getKey());
            list.add(new Entry(p.getKey(), parameter.getArray(), group));
        }
        return new TrainableParams(list);
    }

    /** Bare arrays (for example synthetic images), all in one group, in the map's iteration order. */
    public static TrainableParams of(Map<String, NDArray> arrays, ParamGroup group) {
        List<Entry> list = new ArrayList<>();
        arrays.forEach((name, array) -> list.add(new Entry(name, array, group)));
        return new TrainableParams(list);
    }

    /** Arrays with their own names and groups, in order (an optimiser that wraps another builds its inner set). */
    public static TrainableParams of(List<Entry> entries) {
        return new TrainableParams(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** Number of trainable scalars. */
    public long count() {
        long n = 0;
        for (Entry e : entries) {
            n += e.array().size();
        }
        return n;
    }

    /**
     * The current gradient of every entry, in order. The handles are attached to {@code manager} (not to the
     * parameters' long-lived manager), so fetching them every step does not pile up.
     */
    public NDList gradients(NDManager manager) {
        NDList grads = new NDList(entries.size());
        for (Entry e : entries) {
            NDArray g = e.array().getGradient();
            g.attach(manager);
            grads.add(g);
        }
        return grads;
    }

    /** Sets every gradient to exactly zero, NaN and infinities included (an in-place multiply would keep NaN). */
    public void zeroGradients() {
        for (Entry e : entries) {
            zeroGradient(e.array());
        }
    }

    /** Sets one array's gradient to exactly zero (for optimisers that do not update it with a fused call). */
    public static void zeroGradient(NDArray array) {
        if (array instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            throw new FrugalException("frugal.train runs on the PyTorch engine; got an array from "
                    + array.getManager().getEngine().getEngineName());
        }
    }
}
