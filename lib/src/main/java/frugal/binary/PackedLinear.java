package frugal.binary;

import frugal.core.HelperThreads;
import ai.djl.ndarray.NDArray;
import frugal.core.FrugalException;

/**
 * A binarized linear layer packed for inference: the signs of W at 1 bit each ({@link BitPacking}), the
 * per-input-column scale alpha and shift beta, and an optional bias. It computes
 * {@code y = x W~^T + b} with {@code W~ = alpha (.) sign(W) + beta} through the identity
 * {@code x W~^T = (x (.) alpha) sign(W)^T + (x . beta) 1}, so the matrix part needs only sign-selected sums.
 *
 * <p>Kernels ({@link #kernel}): signed sums looked up in tables, one look-up per 8 weights in plain Java or one
 * permute per 4 weights of 16 rows with the Vector API where the JVM compiles it well (JDK 25 on AVX-512); see
 * {@code SignedSums}. Both give the same sums up to float rounding order.
 */
public final class PackedLinear extends MatVec {
    /** x (.) alpha, reused per thread. */
    private static final ThreadLocal<float[]> SCALED = ThreadLocal.withInitial(() -> new float[0]);

    private final float[] alpha;
    private final float[] beta;
    private final SignedSums sums;

    /**
     * @param out rows of W
     * @param in columns of W
     * @param bits the packed signs, {@code out x wordsPerRow(in)} (copied)
     * @param alpha per-column scale, length {@code in} (copied)
     * @param beta per-column shift, length {@code in} (copied)
     * @param bias length {@code out}, or null (copied)
     */
    public PackedLinear(int out, int in, long[] bits, float[] alpha, float[] beta, float[] bias) {
        this(out, in, bits, alpha, beta, bias, SignedSums.askedKind());
    }

    private PackedLinear(int out, int in, long[] bits, float[] alpha, float[] beta, float[] bias, String kernel) {
        super(out, in, bias);
        requireLength("bits", bits, (long) out * BitPacking.wordsPerRow(in));
        requireLength("alpha", alpha, in);
        requireLength("beta", beta, in);
        this.alpha = alpha.clone();
        this.beta = beta.clone();
        this.sums = SignedSums.forBits(kernel, bits.clone(), out, in);
    }

    /** Packs the signs of a latent weight (row-major {@code out x in}) with its scales. */
    public static PackedLinear of(float[] latentWeight, int out, int in, float[] alpha, float[] beta, float[] bias) {
        BitPacking.requireShape(latentWeight.length, out, in);
        return new PackedLinear(out, in, BitPacking.pack(latentWeight, out, in), alpha, beta, bias);
    }

    /** Packs a trained (initialised) {@link FbiLinear}. */
    public static PackedLinear of(FbiLinear layer) {
        NDArray bias = layer.bias();
        return of(layer.latentWeight().toFloatArray(), layer.out(), layer.in(), layer.alpha().toFloatArray(),
                layer.beta().toFloatArray(), bias == null ? null : bias.toFloatArray());
    }

    /** A copy of the packed signs. */
    public long[] bits() {
        return sums.bits();
    }

    public float[] alpha() {
        return alpha.clone();
    }

    public float[] beta() {
        return beta.clone();
    }

    /** The effective weight {@code alpha (.) sign(W) + beta}, row-major {@code out x in} (for checks). */
    public float[] unpacked() {
        float[] w = BitPacking.unpack(sums.bits(), out, in);
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < in; j++) {
                w[r * in + j] = alpha[j] * w[r * in + j] + beta[j];
            }
        }
        return w;
    }

    @Override
    public long weightBytes() {
        return sums.signBytes() + 4L * (alpha.length + beta.length) + (bias == null ? 0 : 4L * bias.length);
    }

    /**
     * The same layer on the kernel named: {@code auto} (what {@link #defaultKernel} says), {@code scalar} (plain Java)
     * or {@code vector} (Vector API; slow before JDK 25, refused without the module). For comparing kernels.
     */
    public PackedLinear onKernel(String kernel) {
        return new PackedLinear(out, in, sums.bits(), alpha, beta, bias, kernel);
    }

    /** The kernel this layer runs (chosen when it is built; see {@link #defaultKernel}). */
    public String kernel() {
        return sums.describe();
    }

    /**
     * The kernel a layer built now gets, and why: the Vector API one on JDK 25+ with AVX-512 when the JVM has
     * {@code --add-modules jdk.incubator.vector}, else the plain-Java one; {@code -Dfrugal.packed.kernel=scalar}
     * or {@code vector} forces one.
     */
    public static String defaultKernel() {
        String asked = SignedSums.askedKind();
        return "auto".equals(asked) ? SignedSums.autoChoice() : asked + " (-D" + SignedSums.PROPERTY + ")";
    }

    @Override
    void compute(float[] x, float[] y, HelperThreads threads) {
        float[] scaled = SignedSums.buffer(SCALED, in);
        float shift = 0; // x . beta, the part shared by every row
        for (int j = 0; j < in; j++) {
            scaled[j] = x[j] * alpha[j];
            shift += x[j] * beta[j];
        }
        sums.compute(scaled, shift, bias, y, threads);
    }

    private static void requireLength(String what, Object array, long expected) {
        if (array == null) {
            throw new FrugalException("PackedLinear: " + what + " is null");
        }
        int length = java.lang.reflect.Array.getLength(array);
        if (length != expected) {
            throw new FrugalException("PackedLinear: " + what + " has " + length + " values, expected " + expected);
        }
    }

    @Override
    public String toString() {
        return "PackedLinear(" + out + " x " + in + ", " + weightBytes() + " bytes)";
    }
}
