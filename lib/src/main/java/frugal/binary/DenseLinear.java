package frugal.binary;

import frugal.core.HelperThreads;

/** A dense fp32 linear layer in plain Java, {@code y = W x + b}: the baseline for {@link PackedLinear}. */
public final class DenseLinear extends MatVec {
    /** Row-major {@code out x in}. */
    private final float[] weight;

    /**
     * @param weight row-major {@code out x in} (copied)
     * @param bias length {@code out}, or null (copied)
     */
    public DenseLinear(int out, int in, float[] weight, float[] bias) {
        super(out, in, bias);
        BitPacking.requireShape(weight.length, out, in);
        this.weight = weight.clone();
    }

    /** The weights, row-major {@code out x in} (a copy). */
    public float[] weights() {
        return weight.clone();
    }

    @Override
    public long weightBytes() {
        return fp32Bytes();
    }

    @Override
    void compute(float[] x, float[] y, HelperThreads threads) {
        threads.forRows(out, 1, (from, to) -> rows(x, y, from, to));
    }

    /**
     * One dot product per row with eight accumulators (independent adds in flight). JDK 17's JIT vectorizes
     * neither this float reduction nor the column-wise {@code y += x_j W[:, j]} form (it cannot rule out that y
     * and W alias), so this is scalar code.
     */
    private void rows(float[] x, float[] y, int from, int to) {
        int blocked = in & ~7;
        for (int o = from; o < to; o++) {
            int base = o * in;
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            float a4 = 0;
            float a5 = 0;
            float a6 = 0;
            float a7 = 0;
            int j = 0;
            for (; j < blocked; j += 8) {
                a0 += weight[base + j] * x[j];
                a1 += weight[base + j + 1] * x[j + 1];
                a2 += weight[base + j + 2] * x[j + 2];
                a3 += weight[base + j + 3] * x[j + 3];
                a4 += weight[base + j + 4] * x[j + 4];
                a5 += weight[base + j + 5] * x[j + 5];
                a6 += weight[base + j + 6] * x[j + 6];
                a7 += weight[base + j + 7] * x[j + 7];
            }
            for (; j < in; j++) {
                a0 += weight[base + j] * x[j];
            }
            y[o] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + biasAt(o);
        }
    }
}
