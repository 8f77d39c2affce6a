package frugal.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.plot.Series;
import frugal.sweep.Grid;
import frugal.sweep.LinearRegressionRun;
import frugal.sweep.LocalExecutor;
import frugal.sweep.ResultStore;
import frugal.sweep.RunConfig;
import frugal.sweep.RunResult;
import frugal.sweep.Sweep;
import frugal.sweep.SweepResults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same sweeps on Spark local[2]: same numbers as the local executor, failures recorded, resume. */
class SparkExecutorTest {
    private static JavaSparkContext spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = new JavaSparkContext(SparkExecutor.localConf(2));
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }

    @Test
    void sparkLocal2GivesExactlyTheResultsOfTheLocalExecutor() {
        Grid grid = Grid.of("lr", 0.05, 0.1).and("seed", 1, 2).and("steps", 20);
        SweepResults local = Sweep.of(grid).run(new LinearRegressionRun(), LocalExecutor.workers(2),
                ResultStore.at(dir.resolve("local")));
        SweepResults onSpark = Sweep.of(grid).run(new LinearRegressionRun(), SparkExecutor.on(spark),
                ResultStore.at(dir.resolve("spark")));
        assertEquals(4, onSpark.done().size(), () -> onSpark.failed().stream().map(RunResult::error).toList().toString());
        for (RunResult r : local.all()) {
            RunResult s = onSpark.get(r.config());
            assertEquals(r.metrics(), s.metrics(), "same numbers for " + r.config());
            assertTrue(s.where().startsWith("spark executor driver"), s.where());
            Series loss = s.metrics().curve("loss");
            assertTrue(loss.y()[loss.size() - 1] < 0.5 * loss.y()[0], "a real training run: " + r.config());
        }
    }

    @Test
    void aFailingConfigurationIsRetriedThenRecordedAndTheSweepGoesOn() {
        Grid grid = Grid.of("lr", 0.1, -1.0).and("steps", 5);
        ResultStore store = ResultStore.at(dir);
        SweepResults r = Sweep.of(grid).attempts(3).run(new LinearRegressionRun(), SparkExecutor.on(spark), store);
        RunResult bad = r.get(RunConfig.of("lr", -1.0, "steps", 5));
        assertEquals(RunResult.Status.FAILED, bad.status());
        assertEquals(3, bad.attempts());
        assertTrue(bad.errorSummary().contains("learning rate must be finite and >= 0, got -1.0"), bad.error());
        assertTrue(r.get(RunConfig.of("lr", 0.1, "steps", 5)).done());
        assertEquals(2, store.size());

        SweepResults again = Sweep.of(grid).attempts(1).run(new LinearRegressionRun(), SparkExecutor.on(spark), store);
        assertEquals(1, again.reused(), "the finished run is not sent to Spark again");
        assertEquals(1, again.get(bad.config()).attempts(), "the failed one is");
    }

    @Test
    void theSubmitEntryPointRunsAGridFileIntoAStore() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.json"), "{\"lr\": [0.05, 0.1], \"steps\": 5}");
        String[] args = {"--run", LinearRegressionRun.class.getName(), "--grid", grid.toString(), "--store",
                dir.resolve("store").toString(), "--attempts", "1"};
        SweepResults first = SparkSweepMain.run(spark, args);
        assertEquals(2, first.done().size());
        assertEquals(2, ResultStore.at(dir.resolve("store")).size());
        assertEquals(2, SparkSweepMain.run(spark, args).reused());

        FrugalException e = assertThrows(FrugalException.class, () -> SparkSweepMain.run(spark, new String[] {"--run",
                LinearRegressionRun.class.getName(), "--grid", grid.toString()}));
        assertTrue(e.getMessage().contains("--store") && e.getMessage().contains("usage"), e.getMessage());
        e = assertThrows(FrugalException.class, () -> SparkSweepMain.run(spark, new String[] {"--run", "no.Such",
                "--grid", grid.toString(), "--store", dir.toString()}));
        assertTrue(e.getMessage().contains("not on the class path"), e.getMessage());
    }
}
