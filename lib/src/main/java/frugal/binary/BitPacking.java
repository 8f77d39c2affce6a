package frugal.binary;

import frugal.core.FrugalException;

/**
 * Signs packed 64 to a {@code long}: row-major, each row padded to whole words. Bit {@code j % 64} of word
 * {@code j / 64} of a row is 1 when the weight in column {@code j} is {@code >= 0} (sign +1), 0 when it is
 * negative (sign -1); padding bits are 0.
 */
public final class BitPacking {
    private BitPacking() {}

    /** Words per row for {@code cols} columns: {@code ceil(cols / 64)}. */
    public static int wordsPerRow(int cols) {
        return (cols + 63) >>> 6;
    }

    /** Packs the signs of a row-major {@code rows x cols} matrix. */
    public static long[] pack(float[] weights, int rows, int cols) {
        requireShape(weights.length, rows, cols);
        int words = wordsPerRow(cols);
        long[] bits = new long[rows * words];
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            int to = r * words;
            for (int j = 0; j < cols; j++) {
                if (weights[from + j] >= 0) {
                    bits[to + (j >>> 6)] |= 1L << j;
                }
            }
        }
        return bits;
    }

    /** The signs as a row-major {@code rows x cols} matrix of +1 / -1. */
    public static float[] unpack(long[] bits, int rows, int cols) {
        int words = wordsPerRow(cols);
        if (bits.length != rows * words) {
            throw new FrugalException("packed signs: expected " + rows + " x " + words + " words for a " + rows + " x "
                    + cols + " matrix, got " + bits.length);
        }
        float[] signs = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                signs[r * cols + j] = (bits[r * words + (j >>> 6)] >>> j & 1L) != 0 ? 1f : -1f;
            }
        }
        return signs;
    }

    /** Number of positions whose bits differ (signs flipped between two packings of the same shape). */
    public static long differingBits(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new FrugalException("cannot compare packed signs of " + a.length + " and " + b.length + " words");
        }
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            n += Long.bitCount(a[i] ^ b[i]);
        }
        return n;
    }

    static void requireShape(int length, int rows, int cols) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols != length) {
            throw new FrugalException("a " + rows + " x " + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + length);
        }
    }
}
