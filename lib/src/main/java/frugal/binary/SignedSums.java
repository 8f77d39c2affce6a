package frugal.binary;

import frugal.core.HelperThreads;
import frugal.core.FrugalException;
import java.util.Locale;

/**
 * The row loop of {@link PackedLinear}: for every output row, the sum over inputs of {@code +s_j} where the row's
 * sign bit j is 1 and {@code -s_j} where it is 0, with {@code s = x (.) alpha} (the scaled input). Two kernels,
 * both built from look-up tables of signed sums so a row costs one look-up per group of inputs, not one
 * multiply-add per weight: {@link ByteTableSums} (plain Java, any JDK) and {@link NibbleVectorSums} (Vector API,
 * 16-entry tables held in AVX-512 registers, 16 rows per instruction). {@link #forBits} picks the fast one where it
 * is fast; the system property {@code frugal.packed.kernel} ({@code auto}, {@code scalar}, {@code vector}) overrides.
 */
abstract sealed class SignedSums permits ByteTableSums, NibbleVectorSums {
    static final String PROPERTY = "frugal.packed.kernel";

    /** What this kernel is, for benchmark and notebook output. */
    abstract String describe();

    /** The signs in {@link BitPacking}'s row-major layout (a fresh array). */
    abstract long[] bits();

    /** Bytes the signs take as this kernel stores them. */
    abstract long signBytes();

    /**
     * Writes {@code y[o] = sum_j (bit ? +1 : -1) s_j + shift + bias[o]} for every row. {@code scaled} has at least
     * {@code in} entries; entries past {@code in} are ignored. {@code bias} may be null.
     */
    abstract void compute(float[] scaled, float shift, float[] bias, float[] y, HelperThreads threads);

    /** The kernel the system property asks for (default auto). */
    static String askedKind() {
        return System.getProperty(PROPERTY, "auto");
    }

    /** The kernel {@code kind} (auto, scalar, vector) over row-major packed signs, which it keeps. */
    static SignedSums forBits(String kind, long[] bits, int out, int in) {
        String asked = kind.trim().toLowerCase(Locale.ROOT);
        boolean vector = switch (asked) {
            case "scalar" -> false;
            case "vector" -> {
                if (!VECTOR_MODULE) {
                    throw new FrugalException("the vector kernel (" + PROPERTY + "=vector) needs the Vector API: start"
                            + " the JVM with --add-modules jdk.incubator.vector");
                }
                yield true;
            }
            case "auto" -> whyNotVector() == null;
            default -> throw new FrugalException("packed kernel \"" + kind + "\" (" + PROPERTY + "): use auto, scalar"
                    + " or vector");
        };
        return vector ? new NibbleVectorSums(bits, out, in) : new ByteTableSums(bits, out, in);
    }

    /** What {@code auto} picks on this JVM and CPU, and why. */
    static String autoChoice() {
        String why = whyNotVector();
        return why == null ? NibbleVectorSums.DESCRIPTION : ByteTableSums.DESCRIPTION + " (" + why + ")";
    }

    /** {@code out[v]} = sum over k < 4 of (bit k of v ? +1 : -1) x {@code s[from + k]}, 0 past {@code n}. */
    static void nibbleTable(float[] s, int from, int n, float[] out, int at) {
        float a = from < n ? s[from] : 0f;
        float b = from + 1 < n ? s[from + 1] : 0f;
        float c = from + 2 < n ? s[from + 2] : 0f;
        float d = from + 3 < n ? s[from + 3] : 0f;
        out[at] = -a - b - c - d;
        out[at + 1] = out[at] + 2 * a;
        out[at + 2] = out[at] + 2 * b;
        out[at + 3] = out[at + 1] + 2 * b;
        for (int v = 0; v < 4; v++) {
            out[at + 4 + v] = out[at + v] + 2 * c;
        }
        for (int v = 0; v < 8; v++) {
            out[at + 8 + v] = out[at + v] + 2 * d;
        }
    }

    /** Grows a per-thread buffer to at least {@code size} floats. */
    static float[] buffer(ThreadLocal<float[]> local, int size) {
        float[] b = local.get();
        if (b.length < size) {
            b = new float[size];
            local.set(b);
        }
        return b;
    }

    /**
     * JDK 17 builds a shuffle object for every {@code selectFrom} (boxed: 11 ms at 4096^2 against the scalar
     * kernel's 0.84 ms, measured here); Temurin 25 compiles it to one permute. Versions between: not measured.
     */
    private static final int FIRST_FAST_JDK = 25;
    private static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Why {@code auto} picks the scalar kernel on this JVM and CPU, or null when it picks the vector one. */
    private static String whyNotVector() {
        if (!VECTOR_MODULE) {
            return "no Vector API: the JVM was started without --add-modules jdk.incubator.vector";
        }
        if (Runtime.version().feature() < FIRST_FAST_JDK) {
            return "JDK " + Runtime.version().feature() + " does not compile Vector API shuffles to one instruction;"
                    + " JDK " + FIRST_FAST_JDK + "+ does";
        }
        return NibbleVectorSums.wideEnough() ? null : "this CPU's vectors hold fewer than 16 floats";
    }
}
