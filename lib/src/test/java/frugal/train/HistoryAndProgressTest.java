package frugal.train;

import frugal.core.StepRandom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.core.Html;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryAndProgressTest {
    @TempDir
    Path dir;

    private static History sample() {
        History h = new History();
        h.add(new History.Step(1, 3e-4, 2.5, 1.25, 64, 12.5, false));
        h.add(new History.Step(2, 3e-4, Double.NaN, Double.NaN, 128, 11.0, true));
        h.add(new History.Step(3, 2e-4, 0.1 + 0.2, 0.75, 192, 10.0, false));
        h.add(new History.Eval(3, "accuracy", 0.875));
        h.add(new History.Eval(3, "val,loss", 1.5));
        return h;
    }

    @Test
    void csvRoundTripsExactly() throws Exception {
        History h = sample();
        History back = History.fromCsv(h.stepsCsv(), h.evalsCsv());
        assertEquals(h.steps(), back.steps());
        assertEquals(h.evals(), back.evals());
        Path file = dir.resolve("sub/steps.csv");
        h.writeStepsCsv(file);
        assertEquals(h.stepsCsv(), Files.readString(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void seriesAndSummaries() {
        History h = sample();
        assertArrayEquals(new double[] {1, 3}, h.series("loss").x());
        assertArrayEquals(new double[] {2.5, 0.1 + 0.2}, h.series("loss").y());
        assertArrayEquals(new double[] {64, 192}, h.lossVsTokens().x());
        assertEquals(0.1 + 0.2, h.lastLoss());
        assertEquals((2.5 + 0.1 + 0.2) / 2, h.meanLoss(5), 1e-12);
        assertEquals(1, h.skipped());
        assertEquals(0.875, h.lastEval("accuracy").getAsDouble());
        assertEquals(java.util.List.of("accuracy", "val,loss"), h.evalMetrics());
        FrugalException e = assertThrows(FrugalException.class, () -> h.series("perplexity"));
        assertTrue(e.getMessage().contains("grad_norm") && e.getMessage().contains("accuracy"), e.getMessage());
        assertThrows(FrugalException.class, () -> h.evalSeries("bleu"));
        assertThrows(FrugalException.class, () -> History.fromCsv("nope\n", h.evalsCsv()));
    }

    @Test
    void terminalLineShowsBarRateAndEta() {
        String line = Progress.line("step", 120, 500, 40, "loss 2.314 lr 3.0e-04");
        assertEquals("step 120/500 [====>               ] loss 2.314 lr 3.0e-04 40.0 it/s eta 0:10", line);
        assertEquals("step 500/500 [====================] done 2.00 s/it", Progress.line("step", 500, 500, 0.5, "done"));
        assertEquals("step 0/10 [>                   ] x", Progress.line("step", 0, 10, Double.NaN, "x"));
        assertEquals("1:01:05", Progress.clock(3665));
        assertEquals("0:09", Progress.clock(9.4));
    }

    @Test
    void notebookBarIsHtmlWithTheSameText() {
        Html h = Progress.html("step", 25, 100, 10, "loss <1>");
        assertTrue(h.html().contains("width:25.0%"), h.html());
        assertTrue(h.html().contains("loss &lt;1&gt;"), h.html());
        assertEquals(Progress.line("step", 25, 100, 10, "loss <1>"), h.text());
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.of(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.of(10, 0.1).withClip(-1));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.of(10, 0.1).withEvalEvery(-1));
        assertThrows(IllegalArgumentException.class, () -> new Guard(Guard.Action.SKIP, 10, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> Guard.stop(1.0));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(dir, 0, 1));
        assertEquals(StepRandom.mix(1, 2), StepRandom.mix(1, 2));
        assertTrue(StepRandom.mix(1, 2) != StepRandom.mix(1, 3) && StepRandom.mix(1, 2) != StepRandom.mix(2, 2));
    }
}
