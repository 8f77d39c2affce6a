package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.core.Engines;
import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;

class LeaveOneDomainOutTest {
    private static final DomainSet DOMAINS = TinyDomains.learnable(90, List.of(0.0, 30.0, 60.0), 7);
    private static final DgConfig CONFIG = new DgConfig(new MnistCnn(16), 4, 6, 2, 3e-3, 0, 0.8, 100, 100, 2, 11);
    private static final List<Algorithm> ALGORITHMS = List.of(new Erm(), Lfme.withExperts(1.0), Lfme.freeLunch(1.0));
    private static DgResults results;

    @BeforeAll
    static void runOnce() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            results = LeaveOneDomainOut.run(DOMAINS, ALGORITHMS, CONFIG, m);
        }
    }

    @Test
    void everyTrialTestDomainAndAlgorithmRunsWithCheckpointsEveryKSteps() {
        assertEquals(2 * 3 * 3, results.runs().size());
        for (DgRun r : results.runs()) {
            assertEquals(List.of(2L, 4L, 6L), r.checkpoints().stream().map(CheckpointRecord::step).toList());
            assertEquals(6, r.loss().length);
            assertEquals(24, r.testLabels().length, "the test domain's in split: 80% of its 30 images");
            for (CheckpointRecord c : r.checkpoints()) {
                assertEquals(3, c.outAccuracy().length);
                assertEquals(24, c.predictions().length);
            }
            boolean lfme = r.algorithm().equals("LFME");
            assertEquals(lfme ? 2 : 0, r.expertPredictions().length, "experts: one per training domain, LFME only");
            assertEquals(results.run("ERM", 0, 0).predictorParameters(), r.predictorParameters(),
                    "every algorithm predicts with the same network");
        }
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        try (NDManager m = NDManager.newBaseManager()) {
            DgResults again = LeaveOneDomainOut.run(DOMAINS, List.of(Lfme.withExperts(1.0)), CONFIG, m);
            for (DgRun r : again.runs()) {
                DgRun first = results.run("LFME", r.trial(), r.testDomain());
                assertArrayEquals(first.loss(), r.loss(), 1e-6);
                assertArrayEquals(first.selected(ModelSelection.ORACLE).predictions(),
                        r.selected(ModelSelection.ORACLE).predictions());
            }
        }
    }

    @Test
    void tableSummarisesTrialsPerDomainAndOnAverage() {
        assertEquals(2, results.accuracy("ERM", 1, ModelSelection.TRAINING_DOMAIN_VALIDATION).n());
        double[] perTrial = results.averageAccuracies("LFME", ModelSelection.TRAINING_DOMAIN_VALIDATION);
        double byHand = 0;
        for (int d = 0; d < 3; d++) {
            byHand += results.run("LFME", 1, d).selected(ModelSelection.TRAINING_DOMAIN_VALIDATION).testAccuracy() / 3;
        }
        assertEquals(byHand, perTrial[1], 1e-12);
        String table = results.table(ModelSelection.ORACLE).text();
        for (String s : List.of("ERM", "LFME", "free lunch", "0\u00b0", "60\u00b0", "avg", "oracle")) {
            assertTrue(table.contains(s), s + " missing from\n" + table);
        }
    }

    @Test
    void tribuoEvaluatesTheSelectedCheckpointPerClassWithTheRunsProvenance() {
        LabelEvaluation e = results.classEvaluation("LFME", 1, 2, ModelSelection.TRAINING_DOMAIN_VALIDATION);
        DgRun run = results.run("LFME", 1, 2);
        CheckpointRecord chosen = run.selected(ModelSelection.TRAINING_DOMAIN_VALIDATION);
        assertEquals(chosen.testAccuracy(), e.accuracy(), 1e-12);
        assertEquals(24, e.getConfusionMatrix().support(), 1e-12);
        String provenance = e.getProvenance().toString();
        for (String s : List.of("algorithm=LFME", "trial=1", "seed=11", "test-domain=60\u00b0",
                "checkpoint-step=" + chosen.step(), "rotated by [0.0, 30.0, 60.0]", "batchPerDomain=4")) {
            assertTrue(provenance.contains(s), s + " missing from " + provenance);
        }
        String matrix = ClassEvaluation.confusionMatrix(e, TinyDomains.CLASSES).text();
        assertTrue(matrix.lines().count() >= 4, matrix);
        for (int c = 0; c < TinyDomains.CLASSES.size(); c++) {
            int support = 0;
            int hits = 0;
            for (int i = 0; i < run.testLabels().length; i++) {
                if (run.testLabels()[i] == c) {
                    support++;
                    hits += chosen.predictions()[i] == c ? 1 : 0;
                }
            }
            var label = new Label(TinyDomains.CLASSES.get(c));
            assertEquals(support == 0 ? 0 : (double) hits / support, e.recall(label), 1e-12, "recall of class " + c);
        }
        var chart = results.recallChart(List.of("ERM", "LFME"), 1, 2, ModelSelection.TRAINING_DOMAIN_VALIDATION);
        assertEquals(List.of("ERM", "LFME"), List.copyOf(chart.getSeriesMap().keySet()));
    }

    @Test
    void hardSampleAnalysisBinsEveryTestImageByExpertAgreement() {
        HardSamples h = HardSamples.of(results, ModelSelection.TRAINING_DOMAIN_VALIDATION);
        assertEquals("LFME", h.expertAlgorithm());
        assertEquals(List.of("2/2", "\u22641/2"), h.bins());
        assertEquals(2 * 3 * 24, Arrays.stream(h.counts()).sum());
        for (double[] perBin : h.confidence()) {
            for (int b = 0; b < perBin.length; b++) {
                assertTrue(h.counts()[b] == 0 || perBin[b] >= 1.0 / 3 - 1e-6 && perBin[b] <= 1,
                        "confidence " + perBin[b]);
            }
        }
    }

    @Test
    void claimsAreJudgedOnlyWhenAsked() {
        ClaimsTable quick = DgClaims.of(results, "ERM", "LFME", false);
        assertEquals(List.of("C1", "C2", "C3", "C4"), quick.claims().stream().map(c -> c.id()).toList());
        assertTrue(quick.claims().stream().allMatch(c -> c.verdict() == Verdict.NOT_JUDGED));
        assertTrue(DgClaims.of(results, "ERM", "LFME", true).claims().stream()
                .noneMatch(c -> c.verdict() == Verdict.NOT_JUDGED));
    }

    @Test
    void anUnknownRunIsAClearError() {
        var e = assertThrows(FrugalException.class, () -> results.run("Mixup", 0, 0));
        assertTrue(e.getMessage().contains("no run of Mixup"), e.getMessage());
    }
}
