package frugal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class HelperThreadsTest {
    /** Every row is worked on exactly once per call, over many calls back to back and after the helpers park. */
    @Test
    void everyRowOnceInEveryCall() throws InterruptedException {
        try (HelperThreads threads = HelperThreads.of(3)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(1000);
            int calls = 0;
            for (int c = 0; c < 2000; c++, calls++) {
                int rows = 1 + c % 1000;
                threads.forRows(rows, 16, (from, to) -> {
                    assertEquals(0, from % 16, "ranges start on the alignment");
                    for (int r = from; r < to; r++) {
                        hits.incrementAndGet(r);
                    }
                });
                if (c % 500 == 0) {
                    Thread.sleep(5); // long enough for the helpers to stop spinning and park
                }
            }
            int expected;
            for (int r = 0; r < 1000; r++) {
                expected = 0;
                for (int c = 0; c < calls; c++) {
                    expected += r < 1 + c % 1000 ? 1 : 0;
                }
                assertEquals(expected, hits.get(r), "row " + r);
            }
        }
    }

    @Test
    void aHelpersFailureReachesTheCallerAndThePoolGoesOn() {
        try (HelperThreads threads = HelperThreads.of(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> threads.forRows(64, 16,
                    (from, to) -> {
                        if (from > 0) {
                            throw new IllegalStateException("rows from " + from);
                        }
                    }));
            assertTrue(e.getMessage().startsWith("rows from"), e.getMessage());
            int[] sum = new int[1];
            threads.forRows(64, 64, (from, to) -> sum[0] += to - from); // below 2 x align: the caller alone
            assertEquals(64, sum[0]);
        }
    }

    /** Part 0 on the caller, part i on the same helper every call (its thread-local engine state stays warm). */
    @Test
    void eachPartOnItsOwnThreadTheSameOneEveryCall() {
        try (HelperThreads threads = HelperThreads.of(3)) {
            Thread[][] ran = new Thread[50][3];
            for (int c = 0; c < 50; c++) {
                Thread[] row = ran[c];
                threads.forParts(c % 3 + 1, part -> row[part] = Thread.currentThread());
            }
            for (int c = 0; c < 50; c++) {
                assertSame(Thread.currentThread(), ran[c][0]);
                for (int part = 1; part < 3; part++) {
                    assertSame(part <= c % 3 ? ran[2][part] : null, ran[c][part], "call " + c + ", part " + part);
                }
            }
            assertNotSame(ran[2][1], ran[2][2]);
            FrugalException e = assertThrows(FrugalException.class, () -> threads.forParts(4, part -> {}));
            assertTrue(e.getMessage().contains("1 to 3 parts"), e.getMessage());
        }
    }

    @Test
    void aClosedPoolSaysSo() {
        HelperThreads threads = HelperThreads.of(2);
        threads.close();
        FrugalException e = assertThrows(FrugalException.class, () -> threads.forRows(64, 16, (from, to) -> {}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
