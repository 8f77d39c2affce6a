package frugal.galore;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import frugal.core.FrugalException;
import frugal.nn.LinearFactory;

/**
 * LoRA (Hu et al., 2022): a Linear whose weight is frozen and whose change is a trainable rank-r product,
 * {@code y = x W^T + b + (alpha / r) (x A^T) B^T}, A (r x in), B (out x r). The GaLore paper's low-rank
 * pre-training baseline: W keeps its random initialisation (it is of type WEIGHT, so TinyGpt's init std applies),
 * A starts uniform in +-1/sqrt(in) and B at zero (PEFT's init), so training starts from the plain random model.
 * W and the bias are frozen (no gradient, no optimiser state); only A and B train.
 */
public final class LoraLinear extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int in;
    private final int out;
    private final int rank;
    private final double scale;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter down;
    private final Parameter up;
    /** alpha / r as a 0-d array next to the parameters (a Java number must not enter autograd in DJL 0.36). */
    private NDArray scaleArray;

    /**
     * @param rank r, at most min(in, out)
     * @param alpha the adapter's output is multiplied by alpha / r
     */
    public LoraLinear(int in, int out, boolean hasBias, int rank, double alpha) {
        super(VERSION);
        if (in <= 0 || out <= 0 || rank <= 0 || rank > Math.min(in, out)) {
            throw new FrugalException("LoraLinear needs positive sizes and 1 <= rank <= min(in, out); got in " + in
                    + ", out " + out + ", rank " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new FrugalException("LoRA alpha must be finite and > 0, got " + alpha);
        }
        this.in = in;
        this.out = out;
        this.rank = rank;
        this.scale = alpha / rank;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optRequiresGrad(false).build());
        bias = hasBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(out)).optInitializer(Initializer.ZEROS).optRequiresGrad(false).build())
                : null;
        down = addParameter(Parameter.builder().setName("lora_a").setType(Parameter.Type.OTHER)
                .optShape(new Shape(rank, in)).optInitializer(new UniformInitializer((float) (1 / Math.sqrt(in))))
                .build());
        up = addParameter(Parameter.builder().setName("lora_b").setType(Parameter.Type.OTHER)
                .optShape(new Shape(out, rank)).optInitializer(Initializer.ZEROS).build());
    }

    /** Makes every Linear of TinyGpt's blocks a LoraLinear of rank {@code rank}. */
    public static LinearFactory factory(int rank, double alpha) {
        return (role, inFeatures, outFeatures, hasBias) -> new LoraLinear(inFeatures, outFeatures, hasBias,
                (int) Math.min(rank, Math.min(inFeatures, outFeatures)), alpha);
    }

    public int rank() {
        return rank;
    }

    /** alpha / r. */
    public double scale() {
        return scale;
    }

    /** The frozen base weight (out x in). */
    public NDArray baseWeight() {
        return weight.getArray();
    }

    /** A (r x in). */
    public NDArray adapterA() {
        return down.getArray();
    }

    /** B (out x r). */
    public NDArray adapterB() {
        return up.getArray();
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        scaleArray = manager.create((float) scale);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDArray w = ps.getValue(weight, device, training);
        NDArray b = bias == null ? null : ps.getValue(bias, device, training);
        NDArray a = ps.getValue(down, device, training);
        NDArray bUp = ps.getValue(up, device, training);
        // x first in every op, so results and graph stay on the step's manager
        NDArray base = x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
        NDArray low = x.getNDArrayInternal().linear(x, a, null).singletonOrThrow();
        NDArray delta = low.getNDArrayInternal().linear(low, bUp, null).singletonOrThrow();
        return new NDList(base.add(delta.mul(scaleArray)));
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape s = inputShapes[0];
        if (s.dimension() == 0 || s.get(s.dimension() - 1) != in) {
            throw new FrugalException("LoraLinear(in " + in + ", out " + out + ") got inputs of shape " + s
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
        return "LoraLinear(in " + in + ", out " + out + ", rank " + rank + ")";
    }
}
