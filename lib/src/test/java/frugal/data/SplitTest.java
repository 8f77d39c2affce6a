package frugal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {
    @Test
    void permutationIsAPermutationFixedBySeed() {
        int[] p = Shuffle.permutation(100, 3);
        assertArrayEquals(IntStream.range(0, 100).toArray(), Arrays.stream(p).sorted().toArray());
        assertArrayEquals(p, Shuffle.permutation(100, 3));
        assertFalse(Arrays.equals(p, Shuffle.permutation(100, 4)));
        assertFalse(Arrays.equals(p, IntStream.range(0, 100).toArray()), "actually shuffled");
    }

    @Test
    void indexSplitIsDisjointCoveringAndSeeded() {
        Split<int[]> s = Split.indices(50, 0.7, 1);
        assertEquals(35, s.train().length);
        assertEquals(15, s.val().length);
        int[] both = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.val())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 50).toArray(), both, "disjoint and covering");
        assertArrayEquals(s.val(), Split.indices(50, 0.7, 1).val(), "same seed, same split");
        assertFalse(Arrays.equals(s.val(), Split.indices(50, 0.7, 2).val()), "another seed, another split");
        assertTrue(isSorted(s.train()) && isSorted(s.val()), "parts keep the original order");
    }

    @Test
    void contiguousSplitCutsAtTheFraction() {
        int[] tokens = IntStream.range(0, 10).toArray();
        Split<int[]> s = Split.contiguous(tokens, 0.9);
        assertArrayEquals(IntStream.range(0, 9).toArray(), s.train());
        assertArrayEquals(new int[] {9}, s.val());
    }

    @Test
    void rejectsFractionsThatLeaveAPartEmpty() {
        var e = assertThrows(FrugalException.class, () -> Split.indices(10, 0.99, 1));
        assertTrue(e.getMessage().contains("leaves the val part empty"), e.getMessage());
        assertThrows(FrugalException.class, () -> Split.indices(10, 1.0, 1));
        assertThrows(FrugalException.class, () -> Split.contiguous(new int[10], Double.NaN));
    }

    private static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
