package frugal.binary;

import frugal.core.HelperThreads;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel (the T-MAC / bitnet.cpp idea in fp32): for every group of 4 inputs a 16-entry table holds the
 * signed sum of the 4 scaled inputs for each nibble of sign bits, and 16 floats are exactly one AVX-512 register. The
 * signs are stored 16 rows interleaved, so one 512-bit load holds 32 signs of 16 rows; each nibble of it, shifted and
 * masked, is a vector of 16 table indexes, and one permute ({@code selectFrom}) looks up 16 rows' sums at once. A
 * 4096 x 4096 product is then 262,144 permutes (of 16 lanes) instead of 2 M scalar look-ups (the byte-table kernel). The
 * tables of every input (64 KiB at 4096) stay in L2; the signs (2 MiB) stream once.
 *
 * <p>Loaded only when the JVM has the module {@code jdk.incubator.vector} ({@link SignedSums#forBits} checks).
 */
final class NibbleVectorSums extends SignedSums {
    static final String DESCRIPTION = "vector nibble tables (Vector API, 16 floats per register)";
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
    private static final int ROWS = 16;
    private static final ThreadLocal<float[]> TABLES = ThreadLocal.withInitial(() -> new float[0]);

    /** Block b, word w (32 inputs): the 16 ints at {@code (b * words + w) * 16}, one per row of the block. */
    private final int[] lanes;
    private final int out;
    private final int in;
    private final int words;
    private final int blocks;

    NibbleVectorSums(long[] bits, int out, int in) {
        this.out = out;
        this.in = in;
        this.words = (in + 31) >>> 5;
        this.blocks = (out + ROWS - 1) / ROWS;
        int rowWords = BitPacking.wordsPerRow(in);
        this.lanes = new int[blocks * words * ROWS];
        for (int o = 0; o < out; o++) {
            for (int w = 0; w < words; w++) {
                long word = bits[o * rowWords + (w >>> 1)];
                lanes[((o / ROWS) * words + w) * ROWS + o % ROWS] = (int) (word >>> ((w & 1) << 5));
            }
        }
    }

    /** Whether this CPU's preferred vectors hold a whole 16-entry table (AVX-512). */
    static boolean wideEnough() {
        return FloatVector.SPECIES_PREFERRED.length() >= ROWS;
    }

    @Override
    String describe() {
        return DESCRIPTION;
    }

    @Override
    long[] bits() {
        int rowWords = BitPacking.wordsPerRow(in);
        long[] bits = new long[out * rowWords];
        for (int o = 0; o < out; o++) {
            for (int w = 0; w < words; w++) {
                long word = lanes[((o / ROWS) * words + w) * ROWS + o % ROWS] & 0xFFFFFFFFL;
                bits[o * rowWords + (w >>> 1)] |= word << ((w & 1) << 5);
            }
        }
        return bits;
    }

    @Override
    long signBytes() {
        return 4L * lanes.length;
    }

    @Override
    void compute(float[] scaled, float shift, float[] bias, float[] y, HelperThreads threads) {
        float[] tables = buffer(TABLES, words * 8 * ROWS);
        for (int g = 0; g < words * 8; g++) {
            nibbleTable(scaled, g * 4, in, tables, g * ROWS);
        }
        // ranges of whole pairs of blocks, so every thread runs the paired loop
        threads.forRows(out, 2 * ROWS, (from, to) -> rows(tables, shift, bias, y, from / ROWS,
                (to + ROWS - 1) / ROWS));
    }

    private void rows(float[] tables, float rowShift, float[] bias, float[] y, int fromBlock, int toBlock) {
        int b = fromBlock;
        for (; b + 1 < toBlock; b += 2) {
            pair(tables, rowShift, bias, y, b);
        }
        if (b < toBlock) {
            single(tables, rowShift, bias, y, b);
        }
    }

    /**
     * Two blocks (32 rows) at once: each table register is loaded once for two permutes, and the eight accumulators
     * keep eight permute-add chains in flight.
     */
    private void pair(float[] tables, float rowShift, float[] bias, float[] y, int b) {
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector c3 = a0;
        int base = b * words * ROWS;
        int next = base + words * ROWS;
        for (int w = 0; w < words; w++) {
            IntVector v = IntVector.fromArray(INTS, lanes, base + w * ROWS);
            IntVector u = IntVector.fromArray(INTS, lanes, next + w * ROWS);
            int t = w * 8 * ROWS;
            // a loop over the two halves, not eight written-out look-ups: C2 then inlines every vector call
            for (int shift = 0; shift < 32; shift += 16, t += 4 * ROWS) {
                IntVector t0 = table(tables, t);
                IntVector t1 = table(tables, t + ROWS);
                IntVector t2 = table(tables, t + 2 * ROWS);
                IntVector t3 = table(tables, t + 3 * ROWS);
                a0 = a0.add(pick(t0, v, shift));
                c0 = c0.add(pick(t0, u, shift));
                a1 = a1.add(pick(t1, v, shift + 4));
                c1 = c1.add(pick(t1, u, shift + 4));
                a2 = a2.add(pick(t2, v, shift + 8));
                c2 = c2.add(pick(t2, u, shift + 8));
                a3 = a3.add(pick(t3, v, shift + 12));
                c3 = c3.add(pick(t3, u, shift + 12));
            }
        }
        store(a0.add(a1).add(a2.add(a3)), rowShift, bias, y, b);
        store(c0.add(c1).add(c2.add(c3)), rowShift, bias, y, b + 1);
    }

    private void single(float[] tables, float rowShift, float[] bias, float[] y, int b) {
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int base = b * words * ROWS;
        for (int w = 0; w < words; w++) {
            IntVector v = IntVector.fromArray(INTS, lanes, base + w * ROWS);
            int t = w * 8 * ROWS;
            for (int shift = 0; shift < 32; shift += 16, t += 4 * ROWS) {
                a0 = a0.add(pick(table(tables, t), v, shift));
                a1 = a1.add(pick(table(tables, t + ROWS), v, shift + 4));
                a2 = a2.add(pick(table(tables, t + 2 * ROWS), v, shift + 8));
                a3 = a3.add(pick(table(tables, t + 3 * ROWS), v, shift + 12));
            }
        }
        store(a0.add(a1).add(a2.add(a3)), rowShift, bias, y, b);
    }

    private static IntVector table(float[] tables, int at) {
        return FloatVector.fromArray(FLOATS, tables, at).reinterpretAsInts();
    }

    /** The entries of {@code table} that the nibbles at {@code shift} of the sign lanes pick (one permute). */
    private static FloatVector pick(IntVector table, IntVector signs, int shift) {
        return signs.lanewise(VectorOperators.LSHR, shift).and(15).selectFrom(table).reinterpretAsFloats();
    }

    private void store(FloatVector sums, float rowShift, float[] bias, float[] y, int b) {
        FloatVector sum = sums.add(rowShift);
        int first = b * ROWS;
        VectorMask<Float> live = FLOATS.indexInRange(first, out);
        if (bias != null) {
            sum = sum.add(FloatVector.fromArray(FLOATS, bias, first, live));
        }
        sum.intoArray(y, first, live);
    }
}
