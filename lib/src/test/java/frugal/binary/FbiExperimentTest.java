package frugal.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.core.CellThread;
import frugal.core.Engines;
import frugal.core.FrugalException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FbiExperimentTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void aTinyRunGoesFromTrainingToTheClaimsTable() {
        var config = new FbiExperiment.Config("quick", 16, 1, 16, 2, 4, 6, 6, 3e-3, 3e-3, 3, 1, 10, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            FbiExperiment exp = FbiExperiment.create(config, m);
            assertThrows(FrugalException.class, () -> exp.trainStudent(FbiExperiment.Objective.DISTILLATION),
                    "AD needs the teacher first");
            exp.trainTeacher();
            var ad = exp.trainStudent(FbiExperiment.Objective.DISTILLATION);
            exp.trainStudent(FbiExperiment.Objective.CROSS_ENTROPY);
            exp.postTrainingBinarization();
            assertEquals(4, exp.runs().size());
            assertEquals(2, ad.history().evalSeries("flip_ratio").size(), "a flip check every 3 of 6 steps");
            for (var run : exp.runs().values()) {
                assertTrue(run.perplexity() > 1 && run.perplexity() < 10 * exp.tokenizer().vocabSize(),
                        run.name() + " perplexity " + run.perplexity());
            }
            assertTrue(exp.perplexityTable().text().contains("binarized, AD"));
            exp.perplexityCurves();
            exp.flipCurves();
            var d = exp.decodeCheck();
            assertTrue(d.relativeDiff() < 1e-5, "packed logits = DJL logits: " + d);
            assertTrue(d.packedTokensPerSecond() > 0 && d.fp32TokensPerSecond() > 0 && d.djlTokensPerSecond() > 0);
            assertTrue(exp.samples().text().contains("1-bit packed student"));
            ClaimsTable claims = exp.claims();
            assertEquals(5, claims.claims().size());
            for (Claim c : claims.claims()) {
                assertEquals(Verdict.NOT_JUDGED, c.verdict(), "quick budget does not judge " + c.id());
            }
            assertTrue(claims.toHtml().html().contains("frugal-claims"));
        }
    }

    @Test
    void trainsOnAThreadThatRecordsAutograd() {
        // a notebook cell's thread records autograd by default; the experiment must train there too
        CellThread.run(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                var config = new FbiExperiment.Config("quick", 8, 1, 8, 2, 2, 2, 2, 3e-3, 3e-3, 2, 1, 4, 1);
                FbiExperiment exp = FbiExperiment.create(config, m);
                exp.trainTeacher();
                exp.trainStudent(FbiExperiment.Objective.DISTILLATION);
            }
        });
    }

    @Test
    void budgetsAreValidated() {
        assertEquals("full", FbiExperiment.Config.forBudget("full").budget());
        assertTrue(FbiExperiment.Config.forBudget("full").judged());
        assertThrows(FrugalException.class, () -> FbiExperiment.Config.forBudget("huge"));
        assertThrows(FrugalException.class,
                () -> new FbiExperiment.Config("quick", 0, 1, 16, 2, 4, 6, 6, 3e-3, 3e-3, 3, 1, 10, 1));
    }
}
