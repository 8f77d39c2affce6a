package frugal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenBatchesTest {
    // token i is i itself, so a window shows where it started
    private static final int[] TOKENS = IntStream.range(0, 50).toArray();

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void windowsAreContiguousAndTargetsAreShiftedByOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            var batches = new TokenBatches(TOKENS, 8, 4, 1);
            for (int step = 0; step < 20; step++) {
                TokenBatch b = batches.batch(m, step);
                assertEquals(new Shape(4, 8), b.input().getShape());
                assertEquals(DataType.INT64, b.input().getDataType());
                long[] x = b.input().toLongArray();
                long[] y = b.target().toLongArray();
                for (int r = 0; r < 4; r++) {
                    long start = x[r * 8];
                    assertTrue(start >= 0 && start + 8 <= 49, "window inside the stream: " + start);
                    for (int t = 0; t < 8; t++) {
                        assertEquals(start + t, x[r * 8 + t]);
                        assertEquals(start + t + 1, y[r * 8 + t]);
                    }
                }
            }
        }
    }

    @Test
    void aBatchDependsOnlyOnSeedAndStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            var batches = new TokenBatches(TOKENS, 5, 6, 1);
            long[] step3 = batches.batch(m, 3).input().toLongArray();
            assertArrayEquals(step3, new TokenBatches(TOKENS, 5, 6, 1).batch(m, 3).input().toLongArray(),
                    "same seed and step, same windows, whatever came before");
            assertFalse(Arrays.equals(step3, batches.batch(m, 4).input().toLongArray()), "another step");
            assertFalse(Arrays.equals(step3, new TokenBatches(TOKENS, 5, 6, 2).batch(m, 3).input().toLongArray()),
                    "another seed");
        }
    }

    @Test
    void shortTextIsAnError() {
        new TokenBatches(new int[9], 8, 1, 0);
        var e = assertThrows(FrugalException.class, () -> new TokenBatches(new int[8], 8, 1, 0));
        assertTrue(e.getMessage().contains("has 8 tokens, too short for context length 8"), e.getMessage());
    }

    @Test
    void unigramEntropyInNats() {
        assertEquals(Math.log(4), Entropy.unigram(new int[] {0, 1, 2, 3, 3, 2, 1, 0}), 1e-12);
        assertEquals(0, Entropy.unigram(new int[] {5, 5, 5}), 1e-12);
        double p = 0.25;
        assertEquals(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), Entropy.unigram(new int[] {1, 0, 0, 0}), 1e-12);
        assertThrows(FrugalException.class, () -> Entropy.unigram(new int[0]));
    }
}
