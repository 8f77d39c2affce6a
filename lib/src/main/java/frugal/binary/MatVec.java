package frugal.binary;

/**
 * A linear layer for batch-1 inference in plain Java: {@code y = W x + b} for one input vector, where W is
 * {@code out x in}. {@link PackedLinear} (1-bit signs with per-column scales) and {@link DenseLinear} (fp32)
 * implement it, so the same decoder runs either.
 */
public interface MatVec {
    int in();

    int out();

    /** Writes {@code out()} outputs into {@code y} for the {@code in()} inputs of {@code x}. */
    default void apply(float[] x, float[] y) {
        apply(x, y, RowThreads.SINGLE);
    }

    /** The same, with the output rows split over {@code threads}. */
    void apply(float[] x, float[] y, RowThreads threads);

    /** Bytes the layer's weights (and scales, bias) take in memory as stored here. */
    long weightBytes();

    /** Bytes the same layer takes as a dense fp32 matrix plus bias. */
    default long fp32Bytes() {
        return 4L * in() * out() + (hasBias() ? 4L * out() : 0);
    }

    boolean hasBias();
}
