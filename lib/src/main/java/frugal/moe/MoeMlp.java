package frugal.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import frugal.mup.MupConfig;
import frugal.nn.MlpFactory;
import frugal.nn.TinyGpt;
import java.util.ArrayList;
import java.util.List;

/**
 * A mixture-of-experts MLP for {@link TinyGpt} (plug it in with {@link #factory}): a linear router (d -> N_E,
 * no bias) and a softmax over the experts; each token goes to its {@code topK} most probable experts, and its
 * output is the sum of their GELU MLPs weighted by the picked probabilities renormalised to sum to 1 (as in
 * Mixtral). Dispatch is capacity-free: every expert takes every token sent to it, none is dropped, so the
 * block acts on each token independently of the others in the batch.
 *
 * <p>Each expert runs on its own tokens only: they are gathered by index, the outputs concatenated and put
 * back in token order by one more gather, so the cost is topK expert MLPs per token, not N_E. The picks are
 * plain integers (made in Java from the probabilities); gradients reach the router through the gate weights
 * and, via the load-balancing loss, through the probabilities the block records in its {@link RoutingTrace}.
 */
public final class MoeMlp extends AbstractBlock {
    private final MoeConfig moe;
    private final int layer;
    private final RoutingTrace trace;
    private final int dModel;
    private final Block router;
    private final List<Block> ups = new ArrayList<>();
    private final List<Block> downs = new ArrayList<>();

    /**
     * @param model the TinyGpt it belongs to (width, biases, muP init stds)
     * @param layer its transformer block, the index it records its routing under
     * @param trace where its routing goes after each forward
     */
    public MoeMlp(MoeConfig moe, TinyGpt.Config model, int layer, RoutingTrace trace) {
        this.moe = moe;
        this.layer = layer;
        this.trace = trace;
        this.dModel = model.dModel();
        MupConfig mup = model.mup();
        float hiddenStd = (float) mup.hiddenInitStd(dModel);
        router = addChildBlock("router", Linear.builder().setUnits(moe.experts()).optBias(false).build());
        router.setInitializer(new NormalInitializer(hiddenStd), Parameter.Type.WEIGHT);
        for (int e = 0; e < moe.experts(); e++) {
            Block up = addChildBlock("expert" + e + "_up", Linear.builder().setUnits(moe.expertHidden())
                    .optBias(model.bias()).build());
            up.setInitializer(new NormalInitializer(hiddenStd), Parameter.Type.WEIGHT);
            Block down = addChildBlock("expert" + e + "_down", Linear.builder().setUnits(dModel)
                    .optBias(model.bias()).build());
            down.setInitializer(new NormalInitializer((float) mup.outputProjectionInitStd(dModel, model.layers())),
                    Parameter.Type.WEIGHT);
            ups.add(up);
            downs.add(down);
        }
    }

    /** TinyGpt's MLP hook: one MoE block per transformer block, all recording into {@code trace}. */
    public static MlpFactory factory(MoeConfig moe, RoutingTrace trace) {
        return (model, layer) -> new MoeMlp(moe, model, layer, trace);
    }

    public MoeConfig moe() {
        return moe;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        int tokens = (int) (shape.get(0) * shape.get(1));
        NDArray flat = x.reshape(tokens, dModel);
        NDArray probs = router.forward(ps, new NDList(flat), training, params).singletonOrThrow().softmax(-1);
        int k = moe.topK();
        int[] choices = topK(probs.toFloatArray(), moe.experts(), k);
        NDManager manager = x.getManager();
        NDArray picks = manager.create(toLong(choices), new Shape(tokens, k));
        NDArray gates = probs.gather(picks, 1);
        gates = gates.div(gates.sum(new int[] {1}, true));

        // slots (token, j) grouped by expert; position[slot] says where its output lands in the concatenation
        List<NDArray> outputs = new ArrayList<>();
        long[] position = new long[tokens * k];
        int filled = 0;
        for (int e = 0; e < moe.experts(); e++) {
            List<Integer> slots = new ArrayList<>();
            for (int slot = 0; slot < choices.length; slot++) {
                if (choices[slot] == e) {
                    slots.add(slot);
                }
            }
            if (slots.isEmpty()) {
                continue;
            }
            long[] rows = new long[slots.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = slots.get(i) / k;
                position[slots.get(i)] = filled + i;
            }
            filled += rows.length;
            outputs.add(expert(e, ps, flat.get(manager.create(rows)), training, params));
        }
        NDArray combined = NDArrays.concat(new NDList(outputs), 0).get(manager.create(position))
                .reshape(tokens, k, dModel).mul(gates.expandDims(-1)).sum(new int[] {1});
        if (trace != null) {
            trace.record(new Routing(layer, probs.reshape(shape.get(0), shape.get(1), moe.experts()), choices, k));
        }
        return new NDList(combined.reshape(shape));
    }

    /** Expert {@code e}'s MLP on rows x (n x d): down(GELU(up(x))). */
    NDArray expert(int e, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        NDArray h = Activation.gelu(ups.get(e).forward(ps, new NDList(x), training, params).singletonOrThrow());
        return downs.get(e).forward(ps, new NDList(h), training, params).singletonOrThrow();
    }

    Block router() {
        return router;
    }

    /**
     * The {@code k} largest of each row of {@code probs} (rows of {@code n}), largest first; ties go to the
     * lower expert index.
     */
    static int[] topK(float[] probs, int n, int k) {
        int rows = probs.length / n;
        int[] out = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            boolean[] taken = new boolean[n];
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int e = 0; e < n; e++) {
                    if (!taken[e] && (best < 0 || probs[r * n + e] > probs[r * n + best])) {
                        best = e;
                    }
                }
                taken[best] = true;
                out[r * k + j] = best;
            }
        }
        return out;
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, dModel);
        router.initialize(manager, dataType, row);
        for (int e = 0; e < moe.experts(); e++) {
            ups.get(e).initialize(manager, dataType, row);
            downs.get(e).initialize(manager, dataType, new Shape(1, moe.expertHidden()));
        }
    }
}
