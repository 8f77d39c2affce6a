package frugal.moe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Mutual information and load on hand-made pick counts. */
class RoutingStatsTest {
    private static RoutingStats of(long[][] counts) {
        return new RoutingStats(List.of("a", "b"), new long[][][] {counts}, new double[] {1, 2});
    }

    @Test
    void specialisedRoutingCarriesOneBitAndUniformRoutingNone() {
        assertEquals(1.0, of(new long[][] {{50, 0}, {0, 50}}).mutualInformation(0), 1e-12);
        assertEquals(0.0, of(new long[][] {{25, 25}, {10, 10}}).mutualInformation(0), 1e-12);
        // p(d, e) = {{.3, .2}, {.1, .4}}: sum p log2 p / (p(d) p(e)) by hand
        double expected = 0.3 * Math.log(0.3 / (0.5 * 0.4)) + 0.2 * Math.log(0.2 / (0.5 * 0.6))
                + 0.1 * Math.log(0.1 / (0.5 * 0.4)) + 0.4 * Math.log(0.4 / (0.5 * 0.6));
        assertEquals(expected / Math.log(2), of(new long[][] {{30, 20}, {10, 40}}).mutualInformation(0), 1e-12);
    }

    @Test
    void loadIsTheBusiestExpertOverTheMeanAtCorpusLevel() {
        // per domain all on one expert, but the corpus is balanced: specialisation without collapse
        assertEquals(1.0, of(new long[][] {{50, 0}, {0, 50}}).maxOverMeanLoad(0), 1e-12);
        assertEquals(1.6, of(new long[][] {{30, 20}, {50, 0}}).maxOverMeanLoad(0), 1e-12);
        assertEquals(1.5, of(new long[][] {{30, 20}, {10, 40}}).meanLoss(), 0);
    }
}
