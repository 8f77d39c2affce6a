package frugal.binary;

import frugal.core.HelperThreads;
import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * The plain-Java kernel: for every group of 8 inputs a 256-entry table holds the signed sum of the 8 scaled inputs
 * for each byte of sign bits. A row then costs one table look-up per 8 weights: a 4096-wide row is 512 look-ups
 * instead of 4096 multiply-adds, and its weights are 512 bytes instead of 16 KiB. Building the tables costs 256
 * additions per 8 inputs, once per input vector, shared by all rows. It reads {@link BitPacking}'s row-major words
 * as they are.
 */
final class ByteTableSums extends SignedSums {
    static final String DESCRIPTION = "scalar byte tables (plain Java)";
    private static final int GROUP = 8;
    private static final int TABLE = 1 << GROUP;
    /** Reused look-up tables, one per thread that builds them. */
    private static final ThreadLocal<float[]> TABLES = ThreadLocal.withInitial(() -> new float[0]);
    /**
     * Table reads go through Unsafe: an array read would bounds-check every data-dependent index, which made the
     * kernel ~30% slower here. Every offset is masked to its own 1 KiB table, and {@link #compute} makes the table
     * hold {@code words} x 8 tables before the rows run, so reads stay inside the array.
     */
    private static final Unsafe UNSAFE = unsafe();
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);

    private final long[] bits;
    private final int out;
    private final int in;
    private final int words;

    /** @param bits row-major packed signs, kept (not copied) */
    ByteTableSums(long[] bits, int out, int in) {
        this.bits = bits;
        this.out = out;
        this.in = in;
        this.words = BitPacking.wordsPerRow(in);
    }

    @Override
    String describe() {
        return DESCRIPTION;
    }

    @Override
    long[] bits() {
        return bits.clone();
    }

    @Override
    long signBytes() {
        return 8L * bits.length;
    }

    @Override
    void compute(float[] scaled, float shift, float[] bias, float[] y, HelperThreads threads) {
        float[] table = buffer(TABLES, words * GROUP * TABLE);
        buildTables(scaled, table);
        threads.forRows(out, 1, (from, to) -> rows(table, shift, bias, y, from, to));
    }

    /** One table per group of 8 inputs: the sum of two 16-entry tables (low and high 4 inputs of the byte). */
    private void buildTables(float[] scaled, float[] table) {
        float[] low = new float[16];
        float[] high = new float[16];
        for (int g = 0; g < words * GROUP; g++) {
            nibbleTable(scaled, g * GROUP, in, low, 0);
            nibbleTable(scaled, g * GROUP + 4, in, high, 0);
            int base = g * TABLE;
            for (int h = 0; h < 16; h++) {
                float hv = high[h];
                int row = base + (h << 4);
                for (int l = 0; l < 16; l++) {
                    table[row + l] = hv + low[l];
                }
            }
        }
    }

    private void rows(float[] t, float shift, float[] bias, float[] y, int from, int to) {
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
            y[o] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + shift + (bias == null ? 0f : bias[o]);
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
}
