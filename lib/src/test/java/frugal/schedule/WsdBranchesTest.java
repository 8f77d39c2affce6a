package frugal.schedule;

import static frugal.schedule.WsdScheduleTest.expectMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WsdBranchesTest {

    // token-indexed recipe: warmup 500, decay over the last 10%, exponential, down to 5% of the peak
    private final WsdSchedule recipe = new WsdSchedule(0.01, 10_000, 500, 1_000, DecayShape.EXPONENTIAL, 0.05,
            ScheduleUnit.TOKENS);
    private final WsdBranches branches = WsdBranches.of(recipe, 8_000, 2_000, 4_000);

    @Test
    void arithmeticByHand() {
        assertEquals(List.of(2_000L, 4_000L, 8_000L), branches.budgets());
        // each budget minus 10% of it
        assertEquals(List.of(1_800L, 3_600L, 7_200L), branches.branchPoints());
        assertEquals(7_200, branches.stableLength());
        // 70 tokens per step: ceil(1800 / 70) = ceil(25.7), ceil(3600 / 70) = ceil(51.4), ceil(7200 / 70) = ceil(102.9)
        assertEquals(List.of(26L, 52L, 103L), branches.checkpointSteps(70));
        assertEquals(new WsdSchedule(0.01, 4_000, 500, 400, DecayShape.EXPONENTIAL, 0.05, ScheduleUnit.TOKENS),
                recipe.branch(4_000));
    }

    @Test
    void branchingEqualsAStraightRunAtEveryStep() {
        long tokensPerStep = 70;
        WsdSchedule stable = branches.stableRun();
        List<Long> checkpoints = branches.checkpointSteps(tokensPerStep);
        for (int i = 0; i < branches.budgets().size(); i++) {
            long budget = branches.budgets().get(i);
            // the straight run, built without the branching code
            WsdSchedule straight = new WsdSchedule(0.01, budget, 500, budget / 10, DecayShape.EXPONENTIAL, 0.05,
                    ScheduleUnit.TOKENS);
            WsdSchedule branch = branches.branches().get(i);
            long checkpoint = checkpoints.get(i);
            long lastStep = budget / tokensPerStep + 1;
            for (long step = 0; step <= lastStep; step++) {
                long tokens = step * tokensPerStep;
                double branched = step < checkpoint ? stable.lr(step, tokens) : branch.lr(step, tokens);
                assertEquals(straight.lr(step, tokens), branched, 0.0, "budget " + budget + ", step " + step);
            }
            // the checkpoint is as late as it can be: one step later the straight run is already decaying
            assertTrue(straight.lr(checkpoint + 1, (checkpoint + 1) * tokensPerStep) < recipe.peakLr());
            assertTrue(checkpoint <= branches.stableRun().unit().stepsBefore(branches.stableLength(), tokensPerStep));
        }
    }

    @Test
    void stepIndexedBranchesCheckpointAtTheirBranchPoints() {
        WsdSchedule steps = WsdSchedule.steps(1.0, 1000, 10, 150, DecayShape.LINEAR);
        WsdBranches byStep = WsdBranches.of(steps, 333, 1000);
        assertEquals(50, byStep.branches().get(0).decay()); // 0.15 * 333 = 49.95
        assertEquals(List.of(283L, 850L), byStep.branchPoints());
        assertEquals(List.of(283L, 850L), byStep.checkpointSteps(4096));
        assertEquals(1.0, byStep.stableRun().lr(850, 0), 0.0);
        assertEquals(0.5, byStep.stableRun().lr(5, 0), 0.0);
    }

    @Test
    void badBudgets() {
        expectMessage(() -> WsdBranches.of(recipe), "at least one budget");
        expectMessage(() -> WsdBranches.of(recipe, 4_000, 2_000, 4_000), "budget 4000 is given twice");
        expectMessage(() -> WsdBranches.of(recipe, 500), "budget 500 tokens is too short");
        expectMessage(() -> WsdBranches.of(recipe, 0), "budget must be > 0");
        expectMessage(() -> WsdBranches.of(null, 100), "recipe is null");
        WsdSchedule allDecay = WsdSchedule.steps(1.0, 100, 0, 100, DecayShape.LINEAR);
        expectMessage(() -> WsdBranches.of(allDecay, 50, 100), "share no stable phase");
    }
}
