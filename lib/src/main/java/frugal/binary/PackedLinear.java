package frugal.binary;

import ai.djl.ndarray.NDArray;
import frugal.core.FrugalException;
import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * A binarized linear layer packed for inference: the signs of W at 1 bit each ({@link BitPacking}), the
 * per-input-column scale alpha and shift beta, and an optional bias. It computes
 * {@code y = x W~^T + b} with {@code W~ = alpha (.) sign(W) + beta} through the identity
 * {@code x W~^T = (x (.) alpha) sign(W)^T + (x . beta) 1}, so the matrix part needs only sign-selected sums.
 *
 * <p>Kernel: for every group of 8 inputs a 256-entry table holds the signed sum of the 8 scaled inputs for
 * each byte of sign bits ({@code +x_k alpha_k} where the bit is 1, {@code -x_k alpha_k} where it is 0). A row
 * then costs one table look-up per 8 weights: a 4096-wide row is 512 look-ups instead of 4096 multiply-adds,
 * and its weights are 512 bytes instead of 16 KiB. Building the tables costs 256 additions per 8 inputs, once
 * per input vector, shared by all rows. (The Vector API of JDK 17 was tried: its mask-from-bits and shuffle
 * operations are not compiled to single instructions there, and an XOR-the-sign-bit variant was no faster than
 * these tables, so the kernel stays in plain Java and needs no incubator module.)
 */
public final class PackedLinear extends MatVec {
    private static final int GROUP = 8;
    private static final int TABLE = 1 << GROUP;
    /** Reused look-up tables, one per thread that builds them. */
    private static final ThreadLocal<float[]> TABLES = ThreadLocal.withInitial(() -> new float[0]);
    /**
     * Table reads go through Unsafe: an array read would bounds-check every data-dependent index, which made the
     * kernel ~30% slower here. Every offset is masked to its own 1 KiB table, and {@link #apply} checks the table
     * holds {@code words} x 8 tables before the rows run, so reads stay inside the array.
     */
    private static final Unsafe UNSAFE = unsafe();
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);

    private final int words;
    private final long[] bits;
    private final float[] alpha;
    private final float[] beta;

    /**
     * @param out rows of W
     * @param in columns of W
     * @param bits the packed signs, {@code out x wordsPerRow(in)} (copied)
     * @param alpha per-column scale, length {@code in} (copied)
     * @param beta per-column shift, length {@code in} (copied)
     * @param bias length {@code out}, or null (copied)
     */
    public PackedLinear(int out, int in, long[] bits, float[] alpha, float[] beta, float[] bias) {
        super(out, in, bias);
        this.words = BitPacking.wordsPerRow(in);
        requireLength("bits", bits, (long) out * words);
        requireLength("alpha", alpha, in);
        requireLength("beta", beta, in);
        this.bits = bits.clone();
        this.alpha = alpha.clone();
        this.beta = beta.clone();
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
        return bits.clone();
    }

    public float[] alpha() {
        return alpha.clone();
    }

    public float[] beta() {
        return beta.clone();
    }

    /** The effective weight {@code alpha (.) sign(W) + beta}, row-major {@code out x in} (for checks). */
    public float[] unpacked() {
        float[] w = BitPacking.unpack(bits, out, in);
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < in; j++) {
                w[r * in + j] = alpha[j] * w[r * in + j] + beta[j];
            }
        }
        return w;
    }

    @Override
    public long weightBytes() {
        return 8L * bits.length + 4L * (alpha.length + beta.length) + (bias == null ? 0 : 4L * bias.length);
    }

    @Override
    void compute(float[] x, float[] y, RowThreads threads) {
        int size = words * GROUP * TABLE;
        float[] table = TABLES.get();
        if (table.length < size) { // rows() reads it without bounds checks: it must hold every word's tables
            table = new float[size];
            TABLES.set(table);
        }
        float shift = buildTables(x, table);
        float[] t = table;
        threads.forRows(out, 1, (from, to) -> rows(t, shift, y, from, to));
    }

    /**
     * Fills one table per group of 8 inputs; returns {@code x . beta}, the part shared by every row. Each table is
     * the sum of two 16-entry tables (low and high 4 inputs of the byte), a loop the JIT vectorizes.
     */
    private float buildTables(float[] x, float[] table) {
        float shift = 0;
        float[] low = new float[16];
        float[] high = new float[16];
        float[] scaled = new float[GROUP];
        for (int g = 0; g < words * GROUP; g++) {
            int first = g * GROUP;
            for (int k = 0; k < GROUP; k++) {
                int j = first + k;
                scaled[k] = j < in ? x[j] * alpha[j] : 0f;
                shift += j < in ? x[j] * beta[j] : 0f;
            }
            nibbleTable(scaled, 0, low);
            nibbleTable(scaled, 4, high);
            int base = g * TABLE;
            for (int h = 0; h < 16; h++) {
                float hv = high[h];
                int row = base + (h << 4);
                for (int l = 0; l < 16; l++) {
                    table[row + l] = hv + low[l];
                }
            }
        }
        return shift;
    }

    /** {@code out[v]} = sum over k < 4 of (bit k of v ? +1 : -1) x {@code s[from + k]}. */
    private static void nibbleTable(float[] s, int from, float[] out) {
        float a = s[from];
        float b = s[from + 1];
        float c = s[from + 2];
        float d = s[from + 3];
        out[0] = -a - b - c - d;
        out[1] = out[0] + 2 * a;
        out[2] = out[0] + 2 * b;
        out[3] = out[1] + 2 * b;
        for (int v = 0; v < 4; v++) {
            out[4 + v] = out[v] + 2 * c;
        }
        for (int v = 0; v < 8; v++) {
            out[8 + v] = out[v] + 2 * d;
        }
    }

    private void rows(float[] t, float shift, float[] y, int from, int to) {
        for (int o = from; o < to; o++) {
            int base = o * words;
            // eight accumulators keep eight independent look-ups in flight
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            float a4 = 0;
            float a5 = 0;
            float a6 = 0;
            float a7 = 0;
            for (int w = 0; w < words; w++) {
                long v = bits[base + w];
                // byte offset of word w's 8 tables; each byte of v, times 4, is an offset inside its 1 KiB table
                long tb = FLOAT_BASE + ((long) w << 13);
                a0 += UNSAFE.getFloat(t, tb + (v << 2 & 0x3FC));
                a1 += UNSAFE.getFloat(t, tb + 0x0400 + (v >>> 6 & 0x3FC));
                a2 += UNSAFE.getFloat(t, tb + 0x0800 + (v >>> 14 & 0x3FC));
                a3 += UNSAFE.getFloat(t, tb + 0x0C00 + (v >>> 22 & 0x3FC));
                a4 += UNSAFE.getFloat(t, tb + 0x1000 + (v >>> 30 & 0x3FC));
                a5 += UNSAFE.getFloat(t, tb + 0x1400 + (v >>> 38 & 0x3FC));
                a6 += UNSAFE.getFloat(t, tb + 0x1800 + (v >>> 46 & 0x3FC));
                a7 += UNSAFE.getFloat(t, tb + 0x1C00 + (v >>> 54 & 0x3FC));
            }
            y[o] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + shift + biasAt(o);
        }
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Unsafe u = (Unsafe) f.get(null);
            if (u.arrayIndexScale(float[].class) != Float.BYTES) {
                throw new IllegalStateException("float arrays with " + u.arrayIndexScale(float[].class) + "-byte slots");
            }
            return u;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("PackedLinear needs sun.misc.Unsafe (module jdk.unsupported) for its"
                    + " table look-ups: " + e);
        }
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
