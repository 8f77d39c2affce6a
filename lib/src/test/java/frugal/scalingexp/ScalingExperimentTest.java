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
            assertTrue(e.heldOutRuns().size() >= 2 && e.checkRuns().size() >= 2, "every check has seeds to spread");
            assertTrue(e.heldOutRuns().stream().noneMatch(e.ladderRuns()::contains), "the held-out run is never fitted");
            List<RunSpec> sweep = e.batchSweepRuns();
            assertTrue(e.ladderRuns().contains(sweep.get(sweep.size() - 1)), "the sweep's ladder batch is the ladder's");
            assertEquals(e.ladderRuns().size() + e.sweep().batches().size(), e.fittingRuns().size(), "each run once");
            assertTrue(e.sweep().spansGuess(e.setup().context()), "the sweep spans its guessed B_crit");
            for (RunSpec r : sweep.subList(0, sweep.size() - 1)) {
                // each run gets the steps to reach the target: S_min (1 + B_crit / B) with room
                double needed = e.sweep().minStepsGuess() * (1 + e.sweep().criticalBatchGuess() / r.batchTokens());
                assertTrue(r.steps() >= needed, r.name() + " " + r.steps() + " steps, needs " + needed);
            }
            assertTrue(e.laterRuns().containsAll(e.secondLadderRuns()) && e.laterRuns().containsAll(e.checkRuns())
                    && e.laterRuns().containsAll(e.heldOutRuns()));
            assertEquals(e.secondLadder().size(), e.secondLadderRuns().size());
            assertTrue(e.checkRuns().stream().allMatch(r -> r.size().equals(e.heldOut()) && r.batch() < e.batch()));
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
                new ModelSize(3, 48, 4), q.sweep(), q.checkBatch(), q.checkSteps(), q.steps(), q.fitFromTokens(),
                q.evalPoints(), q.evalBatches(), q.timingSteps(), q.heldOutSeeds(), q.checkSeeds()));
        assertTrue(notOnLadder.getMessage().contains("on the ladder"), notOnLadder.getMessage());
        BatchSweepDesign oneSided = new BatchSweepDesign(q.sweep().targetLoss(), q.sweep().criticalBatchGuess(),
                q.sweep().minStepsGuess(), List.of(1, 2, 3), 1.5);
        FrugalException notSpanning = assertThrows(FrugalException.class, () -> new ScalingExperiment(q.budget(),
                q.setup(), q.secondSetup(), q.ladder(), q.secondLadder(), q.heldOut(), q.batch(), q.sweepSize(),
                oneSided, q.checkBatch(), q.checkSteps(), q.steps(), q.fitFromTokens(), q.evalPoints(),
                q.evalBatches(), q.timingSteps(), q.heldOutSeeds(), q.checkSeeds()));
        assertTrue(notSpanning.getMessage().contains("span"), notSpanning.getMessage());
        assertThrows(FrugalException.class, () -> new BatchSweepDesign(2, 1000, 100, List.of(4, 2, 8), 1.5),
                "batches must ascend");
        assertThrows(FrugalException.class, () -> new ScalingExperiment(q.budget(), q.setup(), q.secondSetup(),
                q.ladder(), q.secondLadder(), q.heldOut(), q.batch(), q.sweepSize(), q.sweep(), q.checkBatch(),
                q.checkSteps(), q.steps(), q.fitFromTokens(), q.evalPoints(), q.evalBatches(), q.timingSteps(),
                List.of(1L, 1L), q.checkSeeds()), "seeds must be distinct");
    }
}
