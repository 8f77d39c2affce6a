package frugal.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interrupts and a dying user JVM: the kernel lives on, and says what was lost. */
class KernelRecoveryTest {
    private static KernelClient kernel;

    @BeforeAll
    static void start() throws Exception {
        kernel = KernelClient.start();
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    @Test
    void anInterruptStopsABusyLoopWithinTwoSecondsAndKeepsState() throws Exception {
        kernel.execute("int kept = 5;");
        String id = kernel.submit("while (true) {}");
        Thread.sleep(1500);
        long asked = System.nanoTime();
        assertNotNull(kernel.interrupt());
        KernelClient.Execution e = kernel.await(id, Duration.ofSeconds(30), true);
        double seconds = (System.nanoTime() - asked) / 1e9;
        assertNotNull(e, "the busy cell never finished");
        assertEquals("Interrupted", e.error().get("ename").getAsString());
        assertTrue(seconds < 2.0, "stopped after " + seconds + " s");
        assertEquals("6", kernel.execute("kept + 1").result("text/plain"), "state survives an interrupt");
    }

    @Test
    void anInterruptStopsACountedLoopAndASleep() throws Exception {
        for (String busy : new String[] {
                "long sum = 0; for (int i = 0; i < Integer.MAX_VALUE; i++) { for (int j = 0; j < Integer.MAX_VALUE; j++) { sum += j; } }",
                "Thread.sleep(600_000);"}) {
            String id = kernel.submit(busy);
            Thread.sleep(1000);
            long asked = System.nanoTime();
            kernel.interrupt();
            KernelClient.Execution e = kernel.await(id, Duration.ofSeconds(30), true);
            assertNotNull(e);
            assertEquals("Interrupted", e.error().get("ename").getAsString(), busy);
            assertTrue((System.nanoTime() - asked) / 1e9 < 2.0, busy);
        }
    }

    @Test
    void systemExitKillsOnlyTheUserJvm() {
        kernel.execute("String before = \"x\";");
        KernelClient.Execution e = kernel.execute("System.out.println(\"bye\");\nSystem.exit(1);");
        assertEquals("error", e.status());
        assertEquals("JvmExited", e.error().get("ename").getAsString());
        assertEquals("the Java process running your code exited (System.exit(1)); state was lost, starting a fresh one",
                e.error().get("evalue").getAsString());
        assertTrue(kernel.alive());
        KernelClient.Execution next = kernel.execute("Math.addExact(20, 22)");
        assertEquals("42", next.result("text/plain"), "the next cell runs in a fresh JVM");
        assertEquals("CompileError", kernel.execute("before").error().get("ename").getAsString(), "old state is gone");
        assertEquals("ok", kernel.execute("NDArray.class.getName();\ndisplay(\"startup imports are back\");").status());
    }

    @Test
    void outOfMemoryIsAnErrorAndTheNextCellRuns() {
        KernelClient.Execution e = kernel.execute("long[] huge = new long[Integer.MAX_VALUE - 8];");
        assertEquals("java.lang.OutOfMemoryError", e.error().get("ename").getAsString());
        assertTrue(String.join("\n", KernelClient.strings(e.error().getAsJsonArray("traceback"))).contains("-Xmx"),
                "says how to get more memory");
        assertEquals("3", kernel.execute("1 + 2").result("text/plain"));
    }

    @Test
    void userCodeThatSwallowsTheStopIsKilledAndTheKernelRecovers() throws Exception {
        String id = kernel.submit("while (true) { try { while (true) { } } catch (Throwable t) { } }");
        Thread.sleep(1000);
        kernel.interrupt();
        KernelClient.Execution e = kernel.await(id, Duration.ofSeconds(60), true);
        assertNotNull(e);
        assertEquals("JvmExited", e.error().get("ename").getAsString());
        assertTrue(e.error().get("evalue").getAsString().contains("did not stop"), e.error().get("evalue").getAsString());
        assertEquals("ok", kernel.execute("int fresh = 1;").status());
    }
}
