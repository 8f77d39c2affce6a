package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.nn.Classifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommitteeTest {
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
    }

    private static Teacher teacher(int width) {
        Architecture a = Architecture.convNet(1, width);
        Classifier model = a.build(manager, new Shape(2, 1, 28, 28));
        return new Teacher(a, model, 0.9, 0, false);
    }

    /** Three members with priors 60, 65 and 70 (% accuracy of data distilled from each alone). */
    private static Committee committee() {
        return new Committee(List.of(new Committee.Member(teacher(2), 60), new Committee.Member(teacher(3), 65),
                new Committee.Member(teacher(4), 70)));
    }

    @Test
    void recoverWeightsAreSoftmaxOfPriorOverFiveWithinThePair() {
        double[] w = committee().recoverWeights(0, 2);
        double a = Math.exp(60 / 5.0);
        double b = Math.exp(70 / 5.0);
        assertEquals(a / (a + b), w[0], 1e-12);
        assertEquals(b / (a + b), w[1], 1e-12);
        assertEquals(1 / (1 + Math.exp(-2)), w[1], 1e-12); // a 10-point gap is e^2 : 1
    }

    @Test
    void labelWeightsAreSoftmaxOfPriorOverTenOverAllMembers() {
        double[] w = committee().labelWeights();
        double z = Math.exp(6) + Math.exp(6.5) + Math.exp(7);
        assertArrayEquals(new double[] {Math.exp(6) / z, Math.exp(6.5) / z, Math.exp(7) / z}, w, 1e-12);
    }

    @Test
    void pairRulesFollowCvDdsScripts() {
        Committee c = committee();
        assertEquals(Committee.PairRule.BEST, Committee.PairRule.forIpc(1));
        assertEquals(Committee.PairRule.ALL_IN_TURN, Committee.PairRule.forIpc(10));
        assertEquals(Committee.PairRule.RANDOM, Committee.PairRule.forIpc(50));
        assertArrayEquals(new int[] {1, 2}, c.pairs(1, Committee.PairRule.BEST, 0).get(0));
        List<int[]> turn = c.pairs(10, Committee.PairRule.ALL_IN_TURN, 0);
        int[][] expected = {{0, 1}, {0, 2}, {1, 2}, {0, 1}};
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(expected[k], turn.get(k));
        }
        List<int[]> random = c.pairs(50, Committee.PairRule.RANDOM, 4);
        assertEquals(50, random.size());
        assertTrue(random.stream().allMatch(p -> p[0] < p[1] && p[1] < 3));
        assertEquals(3, random.stream().map(p -> p[0] + "," + p[1]).distinct().count(), "50 draws should hit every pair");
        List<int[]> again = c.pairs(50, Committee.PairRule.RANDOM, 4);
        for (int k = 0; k < 50; k++) {
            assertArrayEquals(random.get(k), again.get(k), "the same seed gives the same pairs");
        }
    }

    @Test
    void bestMemberAndSizeChecks() {
        assertEquals("ConvNet-D1W4-BN", committee().best().name());
        assertThrows(FrugalException.class, () -> new Committee(List.of(new Committee.Member(teacher(2), 50))));
    }
}
