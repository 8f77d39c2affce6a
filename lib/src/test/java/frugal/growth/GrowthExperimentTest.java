package frugal.growth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.core.Engines;
import frugal.data.TextCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GrowthExperimentTest {
    private static GrowthResults results;
    private static GrowthExperiment experiment;

    @BeforeAll
    static void runATinyExperiment() {
        Engines.pytorch();
        Random random = new Random(1);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 60; d++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 120; i++) {
                s.append("abcab cba ".charAt(random.nextInt(10)));
            }
            docs.add(s.toString());
        }
        GrowthConfig config = new GrowthConfig("full", 8, 4, 1, 2, 16, 2, 20, List.of(4, 8), 4, 3e-3, 2, 4, 1, 2);
        experiment = GrowthExperiment.create(config, TextCorpus.of("generated", docs));
        try (NDManager m = NDManager.newBaseManager()) {
            results = experiment.run(m);
        }
    }

    @Test
    void runsTrainedSideBySideRepeatExactly() {
        // two runs at a time share the engine's one generator: a draw inside another run's seeding would show here
        GrowthResults again;
        try (NDManager m = NDManager.newBaseManager()) {
            again = experiment.run(m);
        }
        assertEquals(results.runs().size(), again.runs().size());
        for (GrowthRun r : results.runs()) {
            GrowthRun same = again.run(r.method(), r.growthStep(), r.seed());
            assertArrayEquals(r.curve().y(), same.curve().y(), r.toString());
        }
    }

    @Test
    void everyRunSpendsTheScratchBudgetAndNoMore() {
        GrowthConfig c = results.config();
        int v = results.vocab();
        assertEquals(2 * (1 + 2 + 2), results.runs().size()); // scratch, G_stack at 4 and 8, G_zero, G_random
        for (GrowthRun r : results.runs()) {
            assertTrue(r.flops() <= c.budgetFlops(v) && r.flops() > c.budgetFlops(v) - c.largeStepFlops(v), r.toString());
            double[] x = r.curve().x();
            assertEquals(0, x[0]);
            assertEquals(r.flops(), x[x.length - 1], 1e-6 * r.flops());
            for (int i = 1; i < x.length; i++) {
                assertTrue(x[i] >= x[i - 1], "FLOPs go down in " + r.method());
            }
            assertTrue(Double.isFinite(r.finalLoss()) && r.finalLoss() < r.curve().y()[0], r.method() + " did not learn");
        }
        assertEquals(c.scratchSteps(), results.scratch(1).largeSteps());
        assertEquals(c.grownSteps(v, 8), results.run("G_stack", 8, 0).largeSteps());
    }

    @Test
    void zeroGrowthStartsAtTheSmallModelsLossAndTheOthersDoNot() {
        for (int seed = 0; seed < 2; seed++) {
            double small = smallLossAtGrowth(results.run("G_zero", 4, seed));
            assertEquals(small, results.run("G_zero", 4, seed).lossAfterGrowth(), 1e-4);
            assertTrue(Math.abs(results.run("G_stack", 4, seed).lossAfterGrowth() - small) > 1e-3);
            // the three operators grew the same small model: its curve up to the growth point is shared
            assertEquals(small, smallLossAtGrowth(results.run("G_random", 4, seed)), 0);
        }
    }

    @Test
    void claimsAreJudgedOnlyInTheFullBudgetAndTablesRender() {
        ClaimsTable quick = GrowthClaims.of(results, false);
        assertEquals(List.of("C1", "C2", "C3", "C4"), quick.claims().stream().map(Claim::id).toList());
        assertTrue(quick.claims().stream().allMatch(c -> c.verdict() == Verdict.NOT_JUDGED));
        ClaimsTable full = GrowthClaims.of(results, true);
        assertTrue(full.claims().stream().noneMatch(c -> c.verdict() == Verdict.NOT_JUDGED));
        assertTrue(results.table().toString().contains("G_random"));
        assertTrue(results.lossVsFlops().getSeriesMap().keySet().containsAll(List.of("scratch (2 layers)",
                "G_stack at step 4", "G_zero at step 4", "G_random at step 4", "small (1 layers) alone")));
        assertTrue(results.timingSweep().getSeriesMap().keySet().containsAll(List.of("seed 0", "seed 1", "mean")));
    }

    /** The small model's last validation point before growing (the point just before the grown model's first). */
    private static double smallLossAtGrowth(GrowthRun run) {
        double[] x = run.curve().x();
        double growth = run.growthStep() * results.config().smallStepFlops(results.vocab());
        int i = 0;
        while (x[i + 1] < growth || x[i + 1] == growth && x[i] < growth) {
            i++;
        }
        return run.curve().y()[i];
    }
}
