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
        assertEquals(5 * 3 * 3, full.wsdConfigs().size(), "lrs x batches x seeds");
        assertEquals(2 * 3 * 7, full.transferConfigs().size());
        assertEquals(8, full.referenceBatch());
        assertEquals(737_280L, full.referenceTokens());
        FrugalException unknown = assertThrows(FrugalException.class, () -> PowerExperiment.forBudget("huge"));
        assertTrue(unknown.getMessage().contains("quick or full"), unknown.getMessage());
    }

    @Test
    void theFullGridSpans10To200TokensPerParameter() {
        PowerExperiment full = PowerExperiment.forBudget("full");
        // N = 16,384 (PowerRunTest checks it against the built model); T / N of every cell, whatever its batch
        double[] expected = {10, 21, 45, 95, 200};
        for (int batch : full.batches()) {
            for (int i = 0; i < expected.length; i++) {
                long t = full.tokens().get(i);
                assertEquals(expected[i], full.tokensPerParameter(t), 1e-12, "T = " + t);
                assertEquals(t / (64L * batch), full.steps(batch, t), "whole steps at batch " + batch);
            }
        }
        assertEquals(160, full.steps(16, full.tokens().get(0)), "the smallest cell trains 160 steps");
        assertEquals(12_800, full.steps(4, full.tokens().get(4)));
        assertTrue(full.describe().text().contains("10.0 to 200.0 tokens per parameter"), full.describe().text());
        var chart = full.regimeChart();
        assertTrue(chart.getSeriesMap().keySet().containsAll(List.of("batch 4", "batch 16", "target 10", "target 200")));
        assertEquals(200, chart.getSeriesMap().get("batch 8").getYData()[4], 1e-12);
    }

    @Test
    void aWsdConfigurationTrainsEveryBudgetOffOneTrunk() {
        PowerExperiment full = PowerExperiment.forBudget("full");
        RunConfig c = full.wsdConfigs().stream().filter(r -> r.getLong("batch") == 16).findFirst().orElseThrow();
        assertEquals("163840,344064,737280,1556480,3276800", c.getString("budgets"));
        // 1024 tokens per step: the largest budget's decay (327,680 tokens) starts at step 2880; the branches add
        // 160 - 144, 336 - 303, 720 - 648, 1520 - 1368 and 3200 - 2880 steps of their own (decays start at whole
        // steps, rounded up)
        assertEquals(2880 + 16 + 33 + 72 + 152 + 320, PowerExperiment.steps(c));
        assertEquals(PowerExperiment.steps(c) * 1024, PowerExperiment.trainedTokens(c));
        BranchPlan plan = PowerRun.plan(c, 1024);
        assertEquals(List.of(144L, 303L, 648L, 1368L, 2880L), plan.branches().stream().map(BranchPlan.Branch::branchStep)
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
        assertEquals(2, widest.getLong("layers"), "the transfer sweep keeps its own depth");
        assertEquals(32, widest.getLong("mup_base"));
    }

    @Test
    void comparisonRunsPowerOncePerBatchAndCosinePerCell() {
        PowerExperiment full = PowerExperiment.forBudget("full");
        GammaFit fit = GammaFit.fit(List.of(new GammaFit.Point(8, 1 << 17, 1e-3), new GammaFit.Point(8, 1 << 20,
                4e-4)));
        List<RunConfig> configs = full.comparisonConfigs(fit, 1e-2, 1e-2);
        assertEquals(3 * 3, configs.stream().filter(c -> c.getString("schedule").equals("power")).count());
        assertEquals(15 * 3, configs.stream().filter(c -> c.getString("schedule").equals("cosine")).count());
        RunConfig power = configs.stream().filter(c -> c.getString("schedule").equals("power")).findFirst()
                .orElseThrow();
        assertEquals(fit.b(), power.getDouble("b"), 0);
        assertEquals(1e-2, power.getDouble("eta_max"), 0);
        assertThrows(FrugalException.class, () -> full.comparisonConfigs(fit, 0.03, 1e-2), "above the paper's cap");
        GammaFit rising = GammaFit.fit(List.of(new GammaFit.Point(8, 1 << 17, 1e-3), new GammaFit.Point(8, 1 << 20,
                4e-3)));
        assertThrows(FrugalException.class, () -> full.comparisonConfigs(rising, 1e-2, 1e-2));
    }

    @Test
    void describeNamesTheSweeps() {
        String text = PowerExperiment.forBudget("quick").describe().text();
        assertTrue(text.contains("WSD sweep") && text.contains("6 runs"), text);
    }

    @Test
    void badSettingsAreRefused() {
        PowerExperiment.Transfer transfer = new PowerExperiment.Transfer(1, List.of(16, 32), List.of(1e-3, 1e-2), 8,
                1 << 14);
        assertThrows(FrugalException.class, () -> new PowerExperiment("full", 32, 1, 30, 16, List.of(8), List.of(1e-3),
                List.of(1L << 14), 1 << 10, 0.1, 0.1, 0.03, 1, List.of(1L), transfer, 2), "width not a multiple of headDim");
        assertThrows(FrugalException.class, () -> new PowerExperiment("full", 32, 1, 32, 16, List.of(16, 8),
                List.of(1e-3), List.of(1L << 14), 1 << 10, 0.1, 0.1, 0.03, 1, List.of(1L), transfer, 2), "batches not ascending");
        assertThrows(FrugalException.class, () -> new PowerExperiment("full", 32, 1, 32, 16, List.of(8), List.of(1e-3),
                List.of(1L << 14), 1 << 14, 0.1, 0.1, 0.03, 1, List.of(1L), transfer, 2), "warmup longer than the budget");
        assertThrows(FrugalException.class, () -> new PowerExperiment.Transfer(1, List.of(16), List.of(1e-3, 1e-2), 8,
                1 << 14), "one width");
    }
}
