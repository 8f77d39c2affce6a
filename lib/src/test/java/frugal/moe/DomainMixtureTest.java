package frugal.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.train.Batch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DomainMixtureTest {
    /** Index of the domain whose train stream holds {@code window} (the generated domains share no 4-gram). */
    private static int domainOf(DomainMixture data, long[] window) {
        int found = -1;
        for (int d = 0; d < data.domains().size(); d++) {
            int[] s = data.domains().get(d).train();
            outer:
            for (int start = 0; start + window.length <= s.length; start++) {
                for (int i = 0; i < window.length; i++) {
                    if (s[start + i] != window[i]) {
                        continue outer;
                    }
                }
                assertTrue(found < 0 || found == d, "window found in two domains");
                found = d;
                break;
            }
        }
        return found;
    }

    @Test
    void eachBatchHoldsEveryDomainEquallyOneDomainPerRowAndIsAFunctionOfTheStep() {
        Engines.pytorch();
        DomainMixture data = MoeTrainingTest.tinyMixture();
        var source = data.trainBatches(4, 12, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            for (long step = 0; step < 5; step++) {
                Batch b = source.batch(m, step);
                long[] input = b.inputs().head().toLongArray();
                int[] perDomain = new int[2];
                for (int row = 0; row < 4; row++) {
                    int d = domainOf(data, Arrays.copyOfRange(input, row * 12, row * 12 + 12));
                    assertTrue(d >= 0, "row " + row + " of step " + step + " is a window of no domain");
                    perDomain[d]++;
                }
                assertArrayEquals(new int[] {2, 2}, perDomain, "rows per domain at step " + step);
                assertArrayEquals(input, source.batch(m, step).inputs().head().toLongArray());
                long[] target = b.targets().head().toLongArray();
                assertEquals(input[1], target[0], "targets are the inputs shifted by one");
            }
        }
        FrugalException e = assertThrows(FrugalException.class, () -> data.trainBatches(3, 12, 3));
        assertTrue(e.getMessage().contains("multiple of 2"), e.getMessage());
    }
}
