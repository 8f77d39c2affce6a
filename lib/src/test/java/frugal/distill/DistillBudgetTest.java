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
                List.of(1, 10), 10, 1, 25, 8, 20, 10, 8, 1, 100)); // 8 rounds do not divide 25 iterations
        assertThrows(FrugalException.class, () -> new DistillBudget("x", q.teachers().subList(0, 1), 10,
                q.crossStudent(), List.of(1), 1, 1, 24, 8, 20, 10, 8, 1, 100)); // a committee needs 2
    }

    @Test
    void plannedWorkCountsEveryRecoverAndStudent() {
        DistillBudget full = DistillBudget.full();
        var work = DistillExperiment.plannedWork(full);
        double flat = 10.0 * (10 + 50) * 200; // images x iterations of one flat method at IPC 10 and 50
        double delt = 10.0 * 200 * (10 * (1 - EarlyLate.saving(10, 8, 200)) + 50 * (1 - EarlyLate.saving(50, 8, 200)));
        double priors = 2 * 10.0 * 10 * 200;
        double recover = work.get(DistillExperiment.Phase.RECOVER);
        assertEquals(2 * flat + 2 * flat + delt + priors, recover, 1e-6); // SRe2L, SRe2L++, CV-DD (2 members), DELT
        assertEquals((6 * 3 * 2 + 6 * 2 + 2 * 2) * 300.0, work.get(DistillExperiment.Phase.STUDENT_TRAINING), 1e-9);
        assertEquals(4 * 200.0 + 200, work.get(DistillExperiment.Phase.RECOVER_SINGLE_BATCH), 1e-9); // CV-DD: 2
    }
}
