package frugal.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.plot.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {
    @TempDir
    Path dir;

    private static RunResult done(RunConfig c, double loss) {
        Metrics m = Metrics.empty().withFinal("loss", loss).withFinal("diverged", Double.NaN)
                .withCurve("loss", new Series("loss", new double[] {1, 2, 3}, new double[] {0.1 / 3, 1e-300, loss}));
        return new RunResult(c, RunResult.Status.DONE, m, null, 1, 0.25, "test");
    }

    @Test
    void resultsRoundTripExactlyThroughTheirFiles() {
        ResultStore store = ResultStore.at(dir.resolve("sweep"));
        RunConfig a = RunConfig.of("lr", 0.1, "seed", 1);
        RunResult r = done(a, Math.PI);
        store.save(r);
        RunResult back = store.find(RunConfig.of("seed", 1, "lr", 0.1)).orElseThrow();
        assertEquals(r, back, "config, metrics (NaN included), status, attempts, seconds, where");
        assertEquals(Math.PI, back.metrics().get("loss"), 0.0);
        assertEquals(0.1 / 3, back.metrics().curve("loss").y()[0], 0.0);
        assertTrue(Double.isNaN(back.metrics().get("diverged")));
        assertTrue(store.find(RunConfig.of("lr", 0.2, "seed", 1)).isEmpty());

        RunResult failed = RunResult.failed(RunConfig.of("lr", 0.2, "seed", 1), "java.lang.IllegalStateException: boom\n\tat x",
                2, "test");
        store.save(failed);
        assertEquals(2, store.size());
        assertEquals(List.of(r, failed), store.all().stream().sorted((x, y) -> x.config().key().compareTo(y.config().key()))
                .toList());
        assertEquals("java.lang.IllegalStateException: boom", store.find(failed.config()).orElseThrow().errorSummary());
    }

    @Test
    void aSecondSaveReplacesTheFirstAndLeavesNoTemporaries() throws IOException {
        ResultStore store = ResultStore.at(dir);
        RunConfig a = RunConfig.of("lr", 0.1);
        store.save(RunResult.failed(a, "first try failed", 2, "test"));
        store.save(done(a, 0.5));
        assertEquals(1, store.size());
        assertTrue(store.find(a).orElseThrow().done());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(store.fileFor(a)), files.toList());
        }
    }

    @Test
    void aDamagedResultFileIsNamedWithTheFix() throws IOException {
        ResultStore store = ResultStore.at(dir);
        RunConfig a = RunConfig.of("lr", 0.1);
        Files.writeString(store.fileFor(a), "{\"config\": {\"lr\": 0.1}, \"status\": \"DO");
        FrugalException e = assertThrows(FrugalException.class, () -> store.find(a));
        assertTrue(e.getMessage().contains(store.fileFor(a).toString()) && e.getMessage().contains("delete the file"),
                e.getMessage());
    }

    @Test
    void temporariesOfKilledWritersAreRemovedAndNeverReadAsResults() throws IOException {
        ResultStore store = ResultStore.at(dir);
        long deadPid = new ProcessBuilder("true").start().pid(); // a pid that has exited by the time we check
        Path stale = dir.resolve(".x.json." + deadPid + ".1.tmp");
        Path live = dir.resolve(".y.json." + ProcessHandle.current().pid() + ".1.tmp");
        Files.writeString(stale, "{");
        Files.writeString(live, "{");
        ProcessHandle.of(deadPid).ifPresent(p -> p.onExit().join());
        assertEquals(0, store.size());
        store.removeStaleTemporaries();
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live), "a writer that still runs keeps its temporary file");
    }
}
