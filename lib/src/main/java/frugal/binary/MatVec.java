package frugal.binary;

import frugal.core.HelperThreads;
import frugal.core.FrugalException;

/**
 * A linear layer for batch-1 inference in plain Java: {@code y = W x + b} for one input vector, where W is
 * {@code out x in}. {@link PackedLinear} (1-bit signs with per-column scales) and {@link DenseLinear} (fp32)
 * are the two kinds, so the same decoder runs either; this class holds what they share (sizes, bias, checks).
 */
public abstract sealed class MatVec permits DenseLinear, PackedLinear {
    protected final int in;
    protected final int out;
    /** Length {@code out}, or null. */
    protected final float[] bias;

    /** @param bias length {@code out}, or null (copied) */
    MatVec(int out, int in, float[] bias) {
        if (in <= 0 || out <= 0) {
            throw new FrugalException(getClass().getSimpleName() + " needs positive sizes, got out " + out + ", in " + in);
        }
        if (bias != null && bias.length != out) {
            throw new FrugalException(getClass().getSimpleName() + ": bias has " + bias.length + " values for " + out
                    + " outputs");
        }
        this.in = in;
        this.out = out;
        this.bias = bias == null ? null : bias.clone();
    }

    public final int in() {
        return in;
    }

    public final int out() {
        return out;
    }

    public final boolean hasBias() {
        return bias != null;
    }

    /** A copy of the bias, or null. */
    public final float[] bias() {
        return bias == null ? null : bias.clone();
    }

    /** Writes {@code out()} outputs into {@code y} for the {@code in()} inputs of {@code x}. */
    public final void apply(float[] x, float[] y) {
        apply(x, y, HelperThreads.SINGLE);
    }

    /** The same, with the output rows split over {@code threads}. */
    public final void apply(float[] x, float[] y, HelperThreads threads) {
        if (x.length < in || y.length < out) {
            throw new FrugalException(getClass().getSimpleName() + "(" + out + " x " + in + ") needs x of length >= "
                    + in + " and y of length >= " + out + ", got " + x.length + " and " + y.length);
        }
        compute(x, y, threads);
    }

    /** {@link #apply} after its checks. */
    abstract void compute(float[] x, float[] y, HelperThreads threads);

    /** Bytes the layer's weights (and scales, bias) take in memory as stored here. */
    public abstract long weightBytes();

    /** Bytes the same layer takes as a dense fp32 matrix plus bias. */
    public final long fp32Bytes() {
        return 4L * in * out + (bias != null ? 4L * out : 0);
    }

    /** The bias of output {@code o}, 0 without one. */
    final float biasAt(int o) {
        return bias == null ? 0f : bias[o];
    }
}
