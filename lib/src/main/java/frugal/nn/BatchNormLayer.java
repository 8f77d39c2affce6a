package frugal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch normalisation over axis 1 (channels) of an N x C or N x C x H x W input, PyTorch semantics
 * (momentum 0.1 for the running averages, eps 1e-5), whose input statistics can be observed.
 *
 * <p>When a {@link BnRecorder} is set, every forward first hands it the per-channel batch mean and biased
 * variance of the input, computed with differentiable ops so a loss on them reaches the input (SRe2L's
 * BN matching). Without a recorder the forward is the plain fused batch norm. Parameter names:
 * {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}.
 */
public final class BatchNormLayer extends AbstractBlock {
    private static final float EPSILON = 1e-5f;
    /** DJL's convention: the kept fraction of the running average; PyTorch's momentum is 1 - this. */
    private static final float KEEP = 0.9f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private BnRecorder recorder;

    public BatchNormLayer() {
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean")
                .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar")
                .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false).build());
    }

    /** Every {@code BatchNormLayer} inside {@code model}, in the order their forward runs them. */
    public static List<BatchNormLayer> inOrder(Block model) {
        List<BatchNormLayer> found = new ArrayList<>();
        collect(model, found);
        return found;
    }

    private static void collect(Block block, List<BatchNormLayer> found) {
        if (block instanceof BatchNormLayer bn) {
            found.add(bn);
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found);
        }
    }

    /** Sets (or with {@code null} removes) the observer of this layer's input statistics. */
    public void setRecorder(BnRecorder recorder) {
        this.recorder = recorder;
    }

    /** Running mean of the channels (C), updated by training-mode forwards. */
    public NDArray runningMean() {
        return initialized(runningMean).getArray();
    }

    /** Running (unbiased, as PyTorch) variance of the channels (C). */
    public NDArray runningVar() {
        return initialized(runningVar).getArray();
    }

    /** Number of channels; known once initialised. */
    public long channels() {
        return initialized(gamma).getShape().get(0);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (recorder != null) {
            NDArray mean = meanOverAllButChannels(x);
            NDArray var = meanOverAllButChannels(x.sub(mean).square());
            recorder.record(this, mean.reshape(-1), var.reshape(-1));
        }
        var device = x.getDevice();
        // axis -1 is DJL's direct path into torch.batch_norm, which normalises axis 1
        return BatchNorm.batchNorm(x,
                ps.getValue(runningMean, device, training), ps.getValue(runningVar, device, training),
                ps.getValue(gamma, device, training), ps.getValue(beta, device, training),
                -1, KEEP, EPSILON, training);
    }

    /** Mean over every axis but 1, keeping dimensions; PyTorch-DJL reduces one axis per call. */
    private static NDArray meanOverAllButChannels(NDArray x) {
        NDArray m = x;
        for (int axis = x.getShape().dimension() - 1; axis >= 0; axis--) {
            if (axis != 1) {
                m = m.mean(new int[] {axis}, true);
            }
        }
        return m;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        int dims = inputShapes[0].dimension();
        if (dims != 2 && dims != 4) {
            throw new FrugalException("BatchNormLayer expects N x C or N x C x H x W input, got "
                    + inputShapes[0]);
        }
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        Shape channels = new Shape(inputShapes[0].get(1));
        for (Parameter p : List.of(gamma, beta, runningMean, runningVar)) {
            p.setShape(channels);
        }
    }

    private static Parameter initialized(Parameter p) {
        if (!p.isInitialized()) {
            throw new FrugalException("BatchNormLayer is not initialised yet: call model.initialize(manager,"
                    + " DataType.FLOAT32, inputShape) or run one forward first");
        }
        return p;
    }
}
