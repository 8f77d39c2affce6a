package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.sweep.LocalExecutor;
import frugal.mup.MupConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both layouts really run the runs in worker JVMs, and the faster one is chosen. */
class ExecutorComparisonTest {
    @Test
    void timesBothLayoutsAndPicksTheFaster() {
        Setup setup = new Setup(Corpus.FORTUNES, 16, 1e-2, 2, MupConfig.disabled());
        List<RunSpec> runs = List.of(new RunSpec(setup, new ModelSize(1, 8, 2), 4, 5, 2, 1, 1),
                new RunSpec(setup, new ModelSize(1, 8, 2), 4, 5, 2, 1, 2));
        ExecutorComparison c = ExecutorComparison.measure(runs);
        assertEquals(2, c.runs());
        assertTrue(c.twoWorkersSeconds() > 0 && c.oneWorkerTwoThreadsSeconds() > 0, c.toString());
        LocalExecutor faster = c.faster();
        boolean twoWin = c.twoWorkersSeconds() <= c.oneWorkerTwoThreadsSeconds();
        assertEquals(twoWin ? 2 : 1, faster.workers());
        assertEquals(twoWin ? 1 : 2, faster.threadsPerWorker());
        assertEquals(c.oneWorkerTwoThreadsSeconds() / c.twoWorkersSeconds(), c.speedup(), 1e-12);
    }
}
