package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistillBudgetTest {
    @Test
    void budgetsByName() {
        assertEquals("quick", DistillBudget.forBudget("Quick").name());
        assertEquals(List.of(1, 10, 50), DistillBudget.forBudget("full").ipcs());
        var e = assertThrows(FrugalException.class, () -> DistillBudget.forBudget("huge"));
        assertTrue(e.getMessage().contains("quick or full"), e.getMessage());
    }

    @Test
    void badBudgetsAreRejected() {
        DistillBudget q = DistillBudget.quick();
        assertThrows(FrugalException.class, () -> new DistillBudget("x", q.teachers(), 10, q.crossStudent(),
                List.of(1, 10), 10, 1, 25, 8, 20, 10, 8, 1, 100, 10, 1, 1)); // 8 rounds do not divide 25 iterations
        assertThrows(FrugalException.class, () -> new DistillBudget("x", q.teachers().subList(0, 1), 10,
                q.crossStudent(), List.of(1), 1, 1, 24, 8, 20, 10, 8, 1, 100, 10, 1, 1)); // a committee needs 2
        assertThrows(FrugalException.class, () -> new DistillBudget("x", q.teachers(), 10, q.crossStudent(),
                List.of(1, 10), 10, 1, 24, 8, 20, 10, 8, 2, 100, 10, 3, 2)); // priors from more seeds than there are
        assertThrows(FrugalException.class, () -> new DistillBudget("x", q.teachers(), 10, q.crossStudent(),
                List.of(1, 10), 10, 1, 24, 8, 20, 10, 8, 2, 100, 10, 1, 1)); // fewer focus seeds than seeds
    }

    @Test
    void plannedWorkCountsEveryRecoverAndStudent() {
        DistillBudget full = DistillBudget.full();
        int k = full.recoverIterations();
        int seeds = full.seeds();
        int focus = full.focusSeeds();
        assertEquals(8, full.seedsAt(10));
        assertEquals(seeds, full.seedsAt(50));
        var work = DistillExperiment.plannedWork(full);
        // IPC 10 recovered for every one of its seeds, IPC 50 once: images x iterations of one flat method
        double flat = 10.0 * k * (10 * focus + 50);
        double delt = 10.0 * k * (10 * focus * (1 - EarlyLate.saving(10, 8, k)) + 50 * (1 - EarlyLate.saving(50, 8, k)));
        double priors = 2 * 10.0 * 10 * k; // members 1 and 2, seed 0 only
        double recover = work.get(DistillExperiment.Phase.RECOVER);
        assertEquals(2 * flat + 2 * flat + delt + priors, recover, 1e-6); // SRe2L, SRe2L++, CV-DD (2 members), DELT
        double runs = 6 * (seeds + focus + seeds) + DistillExperiment.CROSS_METHODS.size() * seeds
                + 2 * full.priorSeeds();
        assertEquals(runs * 300, work.get(DistillExperiment.Phase.STUDENT_TRAINING), 1e-9);
        assertEquals((4.0 + 1) * k * seeds, work.get(DistillExperiment.Phase.RECOVER_SINGLE_BATCH), 1e-9); // CV-DD: 2
    }

    @Test
    void seedsAboveThePerSeedIpcShareSeedZerosSynthesis() {
        DistillBudget full = DistillBudget.full();
        assertEquals(3, full.synthesisSeed(10, 3));
        assertEquals(0, full.synthesisSeed(50, 3));
    }
}
