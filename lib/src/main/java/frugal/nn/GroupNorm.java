package frugal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import frugal.core.FrugalException;
import java.util.Arrays;

/**
 * Group normalisation (Wu and He 2018), which DJL 0.36 lacks: the C channels of an N x C x ... input
 * are split into G groups; each sample's group is normalised to mean 0 and (biased) variance 1, then a
 * per-channel affine {@code gamma, beta} is applied. {@code groups == channels} is instance norm.
 * Parameter names: {@code gamma}, {@code beta}, each of shape C x 1 x ... x 1 (one 1 per spatial axis).
 */
public final class GroupNorm extends AbstractBlock {
    private static final float EPSILON = 1e-5f;

    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    /** @param groups number of groups G; must divide the channel count */
    public GroupNorm(int groups) {
        if (groups <= 0) {
            throw new FrugalException("GroupNorm groups must be > 0, got " + groups);
        }
        this.groups = groups;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long n = shape.get(0);
        long perGroup = shape.size() / (n * groups);
        // torch's fused layer_norm over the last axis of N x G x (C/G * H * W) is exactly the group
        // statistics; its own affine is the identity here, the per-channel one follows
        NDArray grouped = x.reshape(n, groups, perGroup);
        var manager = x.getManager();
        Shape normalised = new Shape(perGroup);
        NDArray y = LayerNorm.layerNorm(grouped, normalised, manager.ones(normalised, x.getDataType()),
                manager.zeros(normalised, x.getDataType()), EPSILON).singletonOrThrow().reshape(shape);
        var device = x.getDevice();
        return new NDList(y.mul(ps.getValue(gamma, device, training)).add(ps.getValue(beta, device, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape s = inputShapes[0];
        if (s.dimension() < 2 || s.get(1) % groups != 0) {
            throw new FrugalException("GroupNorm(" + groups + ") needs an N x C x ... input with C divisible by "
                    + groups + ", got " + s + "; choose a group count that divides the channels");
        }
    }

    /** gamma and beta are C x 1 x ... x 1, so they broadcast over the input without a reshape per step. */
    @Override
    public void prepare(Shape[] inputShapes) {
        long[] channels = new long[inputShapes[0].dimension() - 1];
        Arrays.fill(channels, 1L);
        channels[0] = inputShapes[0].get(1);
        gamma.setShape(new Shape(channels));
        beta.setShape(new Shape(channels));
    }
}
