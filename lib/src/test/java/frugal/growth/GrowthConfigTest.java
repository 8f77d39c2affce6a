package frugal.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.plot.Series;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthConfigTest {
    /** vocab 10, context 4, batch 2, 1 -> 2 layers of width 8, 10 scratch steps. */
    static GrowthConfig tiny(List<Integer> growthSteps, int main, int evalEvery, int seeds) {
        return new GrowthConfig("full", 4, 2, 1, 2, 8, 2, 10, growthSteps, main, 3e-3, 2,
                evalEvery, 1, seeds);
    }

    @Test
    void equalComputeArithmeticEqualsAHandCount() {
        GrowthConfig c = tiny(List.of(2, 4), 4, 2, 1);
        // forward per token: small (1 layer) 2*12*64 + 4*4*8 + 2*8*10 = 1824, large (2 layers) 2*1664 + 160 = 3488;
        // training = 3 forwards, 2 x 4 = 8 tokens per step
        assertEquals(3 * 1824 * 8, c.smallStepFlops(10));
        assertEquals(3 * 3488 * 8, c.largeStepFlops(10));
        assertEquals(10L * 83_712, c.budgetFlops(10));
        // grown after 4 small steps: (837,120 - 4 * 43,776) / 83,712 = 7.9, so 7 large steps
        assertEquals(7, c.grownSteps(10, 4));
        assertEquals(8, c.grownSteps(10, 2)); // (837,120 - 87,552) / 83,712 = 8.95
    }

    @Test
    void theBudgetsAreConsistent() {
        for (String budget : List.of("quick", "full")) {
            GrowthConfig c = GrowthConfig.forBudget(budget);
            for (int d : c.growthSteps()) {
                long spent = d * c.smallStepFlops(113) + c.grownSteps(113, d) * c.largeStepFlops(113);
                assertTrue(spent <= c.budgetFlops(113) && spent > c.budgetFlops(113) - c.largeStepFlops(113), budget);
            }
            assertEquals(8, c.large(113).layers());
        }
        assertEquals(3, GrowthConfig.forBudget("full").seeds());
        assertThrows(FrugalException.class, () -> GrowthConfig.forBudget("medium"));
    }

    @Test
    void badSweepsAreRejectedWithTheReason() {
        FrugalException notMultiple = assertThrows(FrugalException.class, () -> tiny(List.of(3), 3, 2, 1));
        assertTrue(notMultiple.getMessage().contains("multiples of evalEvery"), notMultiple.getMessage());
        FrugalException notListed = assertThrows(FrugalException.class, () -> tiny(List.of(2, 4), 6, 2, 1));
        assertTrue(notListed.getMessage().contains("must be one of"), notListed.getMessage());
        FrugalException tooLate = assertThrows(FrugalException.class, () -> tiny(List.of(20), 20, 2, 1).grownSteps(10,
                20));
        assertTrue(tooLate.getMessage().contains("grow earlier"), tooLate.getMessage());
    }

    @Test
    void flopsToReachInterpolatesBetweenMeasurements() {
        GrowthRun run = new GrowthRun("G_stack", 0, 2, 5, 100,
                new Series("val", new double[] {0, 10, 10, 60, 100}, new double[] {4, 3, 3.5, 2.5, 2}), 3.5);
        assertEquals(10, run.flopsToReach(3.0), 1e-9);      // the small model got there
        assertEquals(47.5, run.flopsToReach(2.75), 1e-9);   // after the jump at growth: the grown model's 3.5 -> 2.5
        assertEquals(80, run.flopsToReach(2.25), 1e-9);
        assertEquals(0, run.flopsToReach(5), 1e-9);
        assertTrue(Double.isNaN(run.flopsToReach(1.9)));
        assertEquals(2.0, run.finalLoss());
    }
}
