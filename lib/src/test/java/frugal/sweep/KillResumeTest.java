package frugal.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep killed with SIGKILL halfway loses only the runs in flight, and leaves no worker JVMs behind. */
class KillResumeTest {
    @TempDir
    Path dir;

    @Test
    void aKilledSweepResumesWithoutLosingFinishedRuns() throws Exception {
        ResultStore store = ResultStore.at(dir);
        Process driver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), SweepDriverMain.class.getName(),
                dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (store.size() < 2 && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<ProcessHandle> workers = driver.descendants().toList();
        driver.destroyForcibly().waitFor();
        int finished = store.size();
        assertTrue(finished >= 2 && finished < 8, finished + " runs had finished when the driver was killed; log:\n"
                + Files.readString(dir.resolve("driver.log")));
        for (ProcessHandle w : workers) {
            assertTrue(w.onExit().get(30, TimeUnit.SECONDS) != null && !w.isAlive(), "worker " + w.pid() + " exits");
        }
        Map<Path, byte[]> before = new HashMap<>();
        for (RunResult r : store.all()) {
            before.put(store.fileFor(r.config()), Files.readAllBytes(store.fileFor(r.config())));
        }
        assertEquals(finished, before.size(), "no worker wrote after the kill");

        AtomicInteger calls = new AtomicInteger();
        RunFunction counted = c -> {
            calls.incrementAndGet();
            return new ProbeRun().run(c);
        };
        SweepResults resumed = Sweep.of(SweepDriverMain.GRID).run(counted, LocalExecutor.inProcess(), store);
        assertEquals(8 - finished, calls.get(), "only the runs that had not finished ran again");
        assertEquals(finished, resumed.reused());
        assertEquals(8, resumed.done().size());
        for (Map.Entry<Path, byte[]> f : before.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(f.getKey()), "finished result untouched: " + f.getKey());
        }
    }
}
