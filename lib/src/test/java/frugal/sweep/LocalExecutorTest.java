package frugal.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worker JVMs: same numbers as in process, their own thread budget, and a dead worker costs one run. */
class LocalExecutorTest {
    @TempDir
    Path dir;

    @Test
    void workerJvmsGiveExactlyTheResultsOfRunsInThisJvm() {
        Grid grid = Grid.of("lr", 0.05, 0.1).and("seed", 1, 2).and("steps", 10);
        SweepResults here = Sweep.of(grid).run(new LinearRegressionRun(), LocalExecutor.inProcess(),
                ResultStore.at(dir.resolve("here")));
        SweepResults workers = Sweep.of(grid).run(new LinearRegressionRun(), LocalExecutor.workers(2),
                ResultStore.at(dir.resolve("workers")));
        assertEquals(4, workers.done().size());
        for (RunResult r : here.all()) {
            RunResult w = workers.get(r.config());
            assertEquals(r.metrics(), w.metrics(), "same numbers for " + r.config());
            assertTrue(w.where().startsWith("worker-"), w.where());
        }
    }

    @Test
    void eachWorkerIsItsOwnJvmWithItsOwnThreadBudget() {
        Grid grid = Grid.of("x", 1, 2, 3, 4, 5, 6).and("sleep_ms", 200);
        SweepResults r = Sweep.of(grid).run(new ProbeRun(), LocalExecutor.workers(2).threadsPerWorker(1),
                ResultStore.at(dir));
        Set<Double> pids = new HashSet<>();
        for (RunResult run : r.all()) {
            assertTrue(run.done(), run.error());
            assertEquals(Math.pow(run.config().getDouble("x"), 2), run.metrics().get("square"), 0.0);
            assertEquals(1.0, run.metrics().get("threads"), 0.0, "PyTorch threads in the worker");
            pids.add(run.metrics().get("pid"));
        }
        assertEquals(2, pids.size(), "two worker JVMs shared the runs");
        assertTrue(!pids.contains((double) ProcessHandle.current().pid()));
        assertTrue(Files.exists(dir.resolve("logs").resolve("worker-1.log")));
    }

    @Test
    void aWorkerThatDiesCostsOnlyItsRun() {
        var configs = java.util.List.of(RunConfig.of("x", 1), RunConfig.of("x", 2, "halt", true), RunConfig.of("x", 3),
                RunConfig.of("x", 4, "fail", true));
        SweepResults r = Sweep.of(configs).attempts(1).run(new ProbeRun(), LocalExecutor.workers(1), ResultStore.at(dir));
        assertEquals(2, r.done().size());
        RunResult died = r.get(configs.get(1));
        assertEquals(RunResult.Status.FAILED, died.status());
        assertTrue(died.error().contains("exited with code 7"), died.error());
        RunResult threw = r.get(configs.get(3));
        assertTrue(threw.errorSummary().startsWith("java.lang.IllegalStateException: configured to fail"), threw.error());
        assertNotEquals(r.get(configs.get(0)).metrics().get("pid"), r.get(configs.get(2)).metrics().get("pid"),
                "a fresh worker took over");
    }

    @Test
    void aLambdaCannotGoToAWorkerJvmAndTheErrorSaysWhatToDo() {
        RunFunction lambda = c -> Metrics.empty();
        FrugalException e = assertThrows(FrugalException.class, () -> Sweep.of(Grid.of("x", 1))
                .run(lambda, LocalExecutor.workers(1), ResultStore.at(dir)));
        assertTrue(e.getMessage().contains("LocalExecutor.inProcess()") && e.getMessage().contains("public class"),
                e.getMessage());
        assertEquals(1, Sweep.of(Grid.of("x", 1)).run(lambda, LocalExecutor.inProcess(), ResultStore.at(dir)).done().size());
    }
}
