package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.Engines;
import frugal.core.FrugalException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two budgets ask for what the issue asks: the ladder's span, the held-out model's size, the runs' roles. */
class ScalingExperimentTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void theFullLadderSpansOneAndAHalfDecadesAndTheHeldOutModelIsFourTimesLarger() {
        ScalingExperiment full = ScalingExperiment.forBudget("full");
        assertTrue(full.judged());
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        for (ModelSize size : full.ladder()) {
            long n = full.params(size, full.setup());
            smallest = Math.min(smallest, n);
            largest = Math.max(largest, n);
        }
        assertTrue(Math.log10((double) largest / smallest) >= ScalingClaims.MIN_DECADES,
                "ladder from N = " + smallest + " to " + largest);
        assertTrue(full.params(full.heldOut(), full.setup()) >= ScalingClaims.MIN_EXTRAPOLATION * largest,
                "held-out N " + full.params(full.heldOut(), full.setup()) + " vs largest fitted " + largest);
    }

    @Test
    void bothBudgetsHoldOutALargerModelAndJudgeOnlyInFull() {
        for (String budget : List.of("quick", "full")) {
            ScalingExperiment e = ScalingExperiment.forBudget(budget);
            assertEquals(budget.equals("full"), e.judged());
            long largest = e.ladder().stream().mapToLong(s -> e.params(s, e.setup())).max().orElseThrow();
            assertTrue(e.params(e.heldOut(), e.setup()) >= 4 * largest, budget);
            assertFalse(e.ladderRuns().contains(e.heldOutRun()), "the held-out run is never fitted");
            List<RunSpec> sweep = e.batchSweepRuns();
            assertTrue(e.ladderRuns().contains(sweep.get(sweep.size() - 1)), "the sweep's large batch is the ladder's");
            assertEquals(e.ladderRuns().size() + e.sweepBatches().size(), e.fittingRuns().size(), "each run once");
            for (RunSpec r : sweep) {
                assertEquals(e.steps() * e.batch(), r.steps() * r.batch(), "the sweep's runs see the same tokens");
            }
            assertFalse(e.fittingRuns().contains(e.heldOutRun()) || e.fittingRuns().contains(e.checkRun()));
            assertEquals(e.heldOutRun(), e.laterRuns().get(0), "the most expensive run starts first");
            assertTrue(e.laterRuns().containsAll(e.secondLadderRuns()) && e.laterRuns().contains(e.checkRun()));
            assertEquals(e.secondLadder().size(), e.secondLadderRuns().size());
            assertEquals(e.heldOut(), e.checkRun().size());
            assertTrue(e.checkRun().batch() < e.heldOutRun().batch());
            assertTrue(e.secondLadderRuns().stream().allMatch(r -> r.setup().equals(e.secondSetup())));
            assertTrue(e.store().dir().toString().endsWith("02-scaling-laws-" + budget));
            assertTrue(e.plan().text().contains("held out"));
        }
    }

    @Test
    void badBudgetsAndInconsistentStudiesAreRefused() {
        assertThrows(FrugalException.class, () -> ScalingExperiment.forBudget("huge"));
        ScalingExperiment q = ScalingExperiment.forBudget("quick");
        FrugalException notOnLadder = assertThrows(FrugalException.class, () -> new ScalingExperiment(q.budget(),
                q.setup(), q.secondSetup(), q.ladder(), q.secondLadder(), q.heldOut(), q.batch(),
                new ModelSize(3, 48, 4), q.sweepBatches(), q.checkBatch(), q.steps(), q.fitFromTokens(),
                q.evalPoints(), q.evalBatches(), q.timingSteps(), q.seed()));
        assertTrue(notOnLadder.getMessage().contains("on the ladder"), notOnLadder.getMessage());
        assertThrows(FrugalException.class, () -> new ScalingExperiment(q.budget(), q.setup(), q.secondSetup(),
                q.ladder(), q.secondLadder(), q.heldOut(), q.batch(), q.sweepSize(), List.of(q.batch()),
                q.checkBatch(), q.steps(), q.fitFromTokens(), q.evalPoints(), q.evalBatches(), q.timingSteps(),
                q.seed()), "the large batch is the ladder's run, not a sweep batch");
    }
}
