package frugal.binary;

import frugal.core.GradMode;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import frugal.core.FrugalException;
import frugal.nn.LinearFactory;

/**
 * FBI-Linear (FBI-LLM, Ma et al. 2024): a Linear whose forward uses the signs of a latent fp32 weight,
 * scaled and shifted per input column, {@code y = x W~^T + b} with {@code W~ = alpha (.) sign(W) + beta}.
 *
 * <p>Parameters: {@code weight} (out x in, the latent weight; type WEIGHT, so TinyGpt's init std applies),
 * {@code alpha} and {@code beta} (one per input column), and {@code bias} (out) when asked for. alpha and beta
 * are kept as vectors of length {@code in} (the paper's 1 x in, broadcast the same way) so that groupings
 * that decay only matrices, such as {@code ParamGrouping.decayMatricesOnly}, leave them undecayed like other
 * gains. When the block is initialised they are set from the initial latent weight as in the paper:
 * {@code beta_j = mean_i W_ij}, {@code alpha_j = mean_i |W_ij - beta_j|}; {@link #resetScales()} does it
 * again for weights loaded later (post-training binarization).
 *
 * <p>sign maps 0 to +1 (so every weight is exactly +-1, as in the packed form). The gradient reaches the
 * latent weight through a straight-through estimator, {@code w + stopGradient(sign(w) - w)}: identity
 * backward, no clipping, as in the paper's code.
 */
public final class FbiLinear extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter alpha;
    private final Parameter beta;
    private final Parameter bias;

    /**
     * @param in input features (columns of the weight)
     * @param out output features (rows of the weight)
     * @param hasBias whether to add a bias
     */
    public FbiLinear(int in, int out, boolean hasBias) {
        super(VERSION);
        if (in <= 0 || out <= 0) {
            throw new FrugalException("FbiLinear needs positive sizes, got in " + in + ", out " + out);
        }
        this.in = in;
        this.out = out;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).build());
        // placeholders until initialize() computes them from the initial weight
        alpha = addParameter(Parameter.builder().setName("alpha").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(in)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(in)).optInitializer(Initializer.ZEROS).build());
        bias = hasBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(out)).optInitializer(Initializer.ZEROS).build())
                : null;
    }

    /** A {@link LinearFactory} that makes every Linear of TinyGpt's blocks an FbiLinear. */
    public static LinearFactory factory() {
        return (role, inFeatures, outFeatures, hasBias) -> new FbiLinear(inFeatures, outFeatures, hasBias);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public boolean hasBias() {
        return bias != null;
    }

    /** The latent fp32 weight (out x in); its signs are the binary weight. */
    public NDArray latentWeight() {
        return array(weight);
    }

    /** Per-input-column scale (length in). */
    public NDArray alpha() {
        return array(alpha);
    }

    /** Per-input-column shift (length in). */
    public NDArray beta() {
        return array(beta);
    }

    /** The bias, or null when the layer has none. */
    public NDArray bias() {
        return bias == null ? null : array(bias);
    }

    private static NDArray array(Parameter p) {
        if (!p.isInitialized()) {
            throw new FrugalException("FbiLinear parameter " + p.getName() + " is not initialised: initialise the"
                    + " model (model.initialize(manager)) first");
        }
        return p.getArray();
    }

    /** Initialises the parameters, then alpha and beta from the initial latent weight. */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        resetScales();
    }

    /** Sets alpha and beta from the current latent weight (the paper's init), outside autograd. */
    public void resetScales() {
        NDArray latent = latentWeight();
        GradMode.noGrad(() -> {
            try (NDManager scope = latent.getManager().newSubManager()) {
                NDArray w = latent.get(scope, new NDIndex(":"));
                NDArray columnMean = w.mean(new int[] {0});
                NDArray meanAbsDeviation = w.sub(columnMean).abs().mean(new int[] {0});
                // an index put, not set(float[]): DJL's buffer set makes libtorch print a deprecation warning
                beta().set(new NDIndex(":"), columnMean);
                alpha().set(new NDIndex(":"), meanAbsDeviation);
            }
        });
    }

    /**
     * {@code sign(w)} in the forward pass and the identity in the backward pass: {@code w + stopGradient(sign(w) - w)}.
     * Works inside a gradient collector (no Java numbers enter the graph).
     */
    public static NDArray signSte(NDArray w) {
        return w.add(signs(w).sub(w).stopGradient());
    }

    /** +1 where {@code w >= 0}, -1 elsewhere (float32, no gradient). */
    public static NDArray signs(NDArray w) {
        return w.gte(0f).toType(DataType.FLOAT32, false).mul(2f).sub(1f);
    }

    /** The weight the forward pass uses, {@code alpha (.) sign(W) + beta}, as a detached out x in array. */
    public NDArray binarizedWeight(NDManager manager) {
        NDArray w = latentWeight().get(manager, new NDIndex(":"));
        return signs(w).mul(alpha()).add(beta()).stopGradient();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        // a view on the step's manager: ops on the parameter itself would put their outputs (and the graph)
        // on the model's manager, which lives for the whole run
        NDArray w = ps.getValue(weight, device, training).get(x.getManager(), new NDIndex(":"));
        NDArray a = ps.getValue(alpha, device, training);
        NDArray b = ps.getValue(beta, device, training);
        NDArray effective = signSte(w).mul(a).add(b);
        NDArray bi = bias == null ? null : ps.getValue(bias, device, training);
        return x.getNDArrayInternal().linear(x, effective, bi);
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape s = inputShapes[0];
        if (s.dimension() == 0 || s.get(s.dimension() - 1) != in) {
            throw new FrugalException("FbiLinear(in " + in + ", out " + out + ") got inputs of shape " + s
                    + "; the last axis must have " + in + " features");
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    @Override
    public String toString() {
        return "FbiLinear(in " + in + ", out " + out + (bias == null ? ", no bias)" : ", bias)");
    }
}
