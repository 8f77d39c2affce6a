package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.sweep.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowerExperimentTest {
    @Test
    void theTwoBudgets() {
        PowerExperiment quick = PowerExperiment.forBudget("quick");
        PowerExperiment full = PowerExperiment.forBudget("full");
        assertFalse(quick.judged());
        assertTrue(full.judged());
        assertEquals(quick.lrs().size() * quick.batches().size(), quick.wsdConfigs().size());
        assertEquals(6 * 3 * 2, full.wsdConfigs().size(), "lrs x batches x seeds");
        assertEquals(2 * 3 * 7, full.transferConfigs().size());
        assertEquals(16, full.referenceBatch());
        assertEquals(1L << 18, full.referenceTokens());
        FrugalException unknown = assertThrows(FrugalException.class, () -> PowerExperiment.forBudget("huge"));
        assertTrue(unknown.getMessage().contains("quick or full"), unknown.getMessage());
    }

    @Test
    void aWsdConfigurationTrainsEveryBudgetOffOneTrunk() {
        PowerExperiment full = PowerExperiment.forBudget("full");
        RunConfig c = full.wsdConfigs().stream().filter(r -> r.getLong("batch") == 32).findFirst().orElseThrow();
        assertEquals("131072,262144,524288,1048576", c.getString("budgets"));
        // 2048 tokens per step: the 2^20 budget's decay (104,858 tokens) starts at step 461; the branches add
        // 64 - 58, 128 - 116, 256 - 231 and 512 - 461 steps of their own
        assertEquals(461 + 6 + 12 + 25 + 51, PowerExperiment.steps(c));
        assertEquals(PowerExperiment.steps(c) * 2048, PowerExperiment.trainedTokens(c));
        BranchPlan plan = PowerRun.plan(c, 2048);
        assertEquals(List.of(58L, 116L, 231L, 461L), plan.branches().stream().map(BranchPlan.Branch::branchStep)
                .toList());
    }

    @Test
    void configurationsComeCostliestFirst() {
        List<RunConfig> transfer = PowerExperiment.forBudget("full").transferConfigs();
        for (int i = 1; i < transfer.size(); i++) {
            assertTrue(transfer.get(i - 1).getLong("width") >= transfer.get(i).getLong("width"));
        }
        RunConfig widest = transfer.get(0);
        assertEquals(128 / 16, widest.getLong("heads"));
        assertEquals(32, widest.getLong("mup_base"));
    }

    @Test
    void comparisonRunsPowerOncePerBatchAndCosinePerCell() {
        PowerExperiment full = PowerExperiment.forBudget("full");
        GammaFit fit = GammaFit.fit(List.of(new GammaFit.Point(8, 1 << 17, 1e-3), new GammaFit.Point(8, 1 << 20,
                4e-4)));
        List<RunConfig> configs = full.comparisonConfigs(fit, 1e-2);
        assertEquals(3 * 2, configs.stream().filter(c -> c.getString("schedule").equals("power")).count());
        assertEquals(12 * 2, configs.stream().filter(c -> c.getString("schedule").equals("cosine")).count());
        RunConfig power = configs.stream().filter(c -> c.getString("schedule").equals("power")).findFirst()
                .orElseThrow();
        assertEquals(fit.b(), power.getDouble("b"), 0);
        GammaFit rising = GammaFit.fit(List.of(new GammaFit.Point(8, 1 << 17, 1e-3), new GammaFit.Point(8, 1 << 20,
                4e-3)));
        assertThrows(FrugalException.class, () -> full.comparisonConfigs(rising, 1e-2));
    }

    @Test
    void describeNamesTheSweeps() {
        String text = PowerExperiment.forBudget("quick").describe().text();
        assertTrue(text.contains("WSD sweep") && text.contains("6 runs"), text);
    }

    @Test
    void badSettingsAreRefused() {
        PowerExperiment.Transfer transfer = new PowerExperiment.Transfer(List.of(16, 32), List.of(1e-3, 1e-2), 8,
                1 << 14);
        assertThrows(FrugalException.class, () -> new PowerExperiment("full", 32, 1, 30, 16, List.of(8), List.of(1e-3),
                List.of(1L << 14), 1 << 10, 0.1, 0.1, 0.03, 1, List.of(1L), transfer, 2), "width not a multiple of headDim");
        assertThrows(FrugalException.class, () -> new PowerExperiment("full", 32, 1, 32, 16, List.of(16, 8),
                List.of(1e-3), List.of(1L << 14), 1 << 10, 0.1, 0.1, 0.03, 1, List.of(1L), transfer, 2), "batches not ascending");
        assertThrows(FrugalException.class, () -> new PowerExperiment("full", 32, 1, 32, 16, List.of(8), List.of(1e-3),
                List.of(1L << 14), 1 << 14, 0.1, 0.1, 0.03, 1, List.of(1L), transfer, 2), "warmup longer than the budget");
        assertThrows(FrugalException.class, () -> new PowerExperiment.Transfer(List.of(16), List.of(1e-3, 1e-2), 8,
                1 << 14), "one width");
    }
}
