package frugal.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.plot.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps in this JVM with real (tiny) training runs: results, failures, resume, table and series. */
class SweepTest {
    @TempDir
    Path dir;

    @Test
    void aGridOfTrainingRunsIsStoredAndAFailingConfigurationIsRecorded() {
        Grid grid = Grid.of("lr", 0.02, 0.1, -1.0).and("seed", 1, 2);
        List<RunConfig> calls = new ArrayList<>();
        RunFunction counted = c -> {
            calls.add(c);
            return new LinearRegressionRun().run(c);
        };
        ResultStore store = ResultStore.at(dir);
        SweepResults r = Sweep.of(grid).run(counted, LocalExecutor.inProcess(), store);

        assertEquals(6, r.size());
        assertEquals(4, r.done().size());
        assertEquals(2, r.failed().size());
        assertEquals(8, calls.size(), "4 good runs once, 2 bad ones twice (default attempts)");
        for (RunResult f : r.failed()) {
            assertEquals(-1.0, f.config().getDouble("lr"));
            assertEquals(2, f.attempts());
            assertTrue(f.error().startsWith("frugal.core.FrugalException: constant learning rate must be finite and >= 0,"
                    + " got -1.0"), f.error());
            assertTrue(f.error().contains("LinearRegressionRun.run") && !f.error().contains("LocalExecutor"),
                    "the trace ends at the run function: " + f.error());
        }
        for (RunResult d : r.done()) {
            Series loss = d.metrics().curve("loss");
            assertEquals(20, loss.size());
            assertTrue(loss.y()[19] < 0.5 * loss.y()[0], "training reduced the loss: " + d.config());
            assertEquals(loss.y()[19], d.metrics().get("loss"), 0.0);
            assertEquals(20 * 16, d.metrics().get("tokens"), 0.0);
        }
        RunResult slow = r.get(RunConfig.of("lr", 0.02, "seed", 1));
        RunResult fast = r.get(RunConfig.of("lr", 0.1, "seed", 1));
        assertTrue(fast.metrics().get("weight_error") < slow.metrics().get("weight_error"),
                "a larger step size gets closer in 20 steps");
        assertEquals(6, store.size(), "failed runs are stored too");

        calls.clear();
        SweepResults again = Sweep.of(grid).attempts(1).run(counted, LocalExecutor.inProcess(), store);
        assertEquals(2, calls.size(), "done runs are skipped, failed ones tried again");
        assertEquals(4, again.reused());
        for (RunResult d : r.done()) {
            assertEquals(d, again.get(d.config()), "done results are read back unchanged");
        }
    }

    @Test
    void resultsReadAsATableAndAsChartSeries() {
        Grid grid = Grid.of("lr", 0.1, 0.02, 0.05).and("batch", 8, 16).and("steps", 5);
        SweepResults r = Sweep.of(grid).run(new LinearRegressionRun(), LocalExecutor.inProcess(), ResultStore.at(dir));

        Series[] byBatch = r.series("lr", "loss", "batch");
        assertEquals(2, byBatch.length);
        assertEquals("batch=8", byBatch[0].name());
        assertArrayEquals(new double[] {0.02, 0.05, 0.1}, byBatch[0].x(), "sorted by x");
        assertEquals(r.get(RunConfig.of("lr", 0.05, "batch", 16, "steps", 5)).metrics().get("loss"), byBatch[1].y()[1], 0.0);
        assertEquals(6, r.curves("loss").length);

        List<Map<String, Object>> rows = r.rows();
        assertEquals(6, rows.size());
        assertEquals(List.of("lr", "batch", "steps", "status", "loss", "tokens", "weight_error", "seconds", "error"),
                List.copyOf(rows.get(0).keySet()));
        String text = r.table("loss", "weight_error").text();
        assertEquals(8, text.lines().count(), "header, rule, 6 runs:\n" + text);
        assertTrue(text.lines().findFirst().orElseThrow().strip().matches("lr\\s+batch\\s+steps\\s+status\\s+loss\\s+weight_error\\s+seconds"),
                text);
        assertTrue(r.table().html().contains("<table>"));
    }
}
