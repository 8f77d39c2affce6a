package frugal.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static frugal.kernel.KernelClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real kernel over the Jupyter protocol: execution, errors, code assistance, magics. */
class KernelExecutionTest {
    private static KernelClient kernel;

    @BeforeAll
    static void start() throws Exception {
        // %maven must work from the local repository alone
        kernel = KernelClient.start(Map.of(MavenResolver.OFFLINE_ENV, "true"));
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    @Test
    void declarationsPersistAndTheLastExpressionIsTheResult() {
        KernelClient.Execution declare = kernel.execute("int base = 40;\nint twice(int x) { return 2 * x; }");
        assertEquals("ok", declare.status());
        assertNull(declare.result("text/plain"), "declarations show nothing");
        KernelClient.Execution use = kernel.execute("int more = base + 1;\ntwice(more) - base");
        assertEquals("ok", use.status());
        assertEquals("42", use.result("text/plain"));
        assertEquals("\"text\"", kernel.execute("\"te\" + \"xt\"").result("text/plain"));
        assertNull(kernel.execute("base + 2;").result("text/plain"), "a semicolon hides the value, as in IPython");
    }

    @Test
    void printedTextArrivesAsStdout() {
        KernelClient.Execution e = kernel.execute("for (int i = 0; i < 3; i++) System.out.println(\"line \" + i);\n"
                + "System.out.printf(\"%d-%s%n\", 4, \"four\");\nSystem.err.print(\"warn\");");
        assertEquals("line 0\nline 1\nline 2\n4-four\n", e.stream("stdout"));
        assertTrue(e.of("execute_result").isEmpty(), "printf's PrintStream is not shown");
        assertEquals("warn", e.stream("stderr"));
    }

    @Test
    void compileErrorsPointAtTheCellsLineAndColumn() {
        KernelClient.Execution e = kernel.execute("int fine = 1;\n\n  String s = fine +;\n");
        assertEquals("error", e.status());
        JsonObject error = e.error();
        assertEquals("CompileError", error.get("ename").getAsString());
        assertTrue(error.get("evalue").getAsString().startsWith("line 3, column 20"), error.get("evalue").getAsString());
        String traceback = String.join("\n", KernelClient.strings(error.getAsJsonArray("traceback")));
        assertTrue(traceback.contains("   3 |   String s = fine +;"), traceback);

        KernelClient.Execution unknown = kernel.execute("int a = 1;\nint b = a + missingName;");
        assertTrue(unknown.error().get("evalue").getAsString().startsWith("line 2, column 13: cannot find symbol"),
                unknown.error().get("evalue").getAsString());
    }

    @Test
    void runtimeExceptionsShowTheUsersFramesOnly() {
        kernel.execute("void explode(int[] a) {\n  a[3] = 1;\n}");
        KernelClient.Execution e = kernel.execute("int[] small = new int[1];\n\nexplode(small);");
        assertEquals("error", e.status());
        JsonObject error = e.error();
        assertEquals("java.lang.ArrayIndexOutOfBoundsException", error.get("ename").getAsString());
        List<String> traceback = KernelClient.strings(error.getAsJsonArray("traceback"));
        String all = String.join("\n", traceback);
        assertTrue(all.contains("at explode (cell [") && all.contains("], line 2)"), all);
        assertTrue(all.contains("], line 3"), "the calling line of this cell: " + all);
        assertTrue(!all.contains("jdk.jshell") && !all.contains("frugal.kernel") && !all.contains("reflect"), all);
    }

    @Test
    void cellsQueuedBehindAFailureAreAborted() {
        String failing = kernel.submit("throw new IllegalStateException(\"stop here\");");
        String queued = kernel.submit("int afterFailure = 1;");
        assertEquals("error", kernel.await(failing, java.time.Duration.ofSeconds(60), true).status());
        assertEquals("aborted", kernel.await(queued, java.time.Duration.ofSeconds(60), true).status());
        assertEquals("CompileError", kernel.execute("afterFailure").error().get("ename").getAsString(), "it never ran");
        assertEquals("ok", kernel.execute("int later = 2;").status(), "cells sent after the failure run");
    }

    @Test
    void completionOffersMembersAndMagics() {
        kernel.execute("String greeting = \"hello\";");
        JsonObject reply = kernel.request("complete_request", json("code", "int n = 1;\ngreeting.toUpp", "cursor_pos", 25));
        assertTrue(KernelClient.strings(reply.getAsJsonArray("matches")).contains("toUpperCase("), reply.toString());
        assertEquals(20, reply.get("cursor_start").getAsInt());
        assertEquals(25, reply.get("cursor_end").getAsInt());
        JsonObject magic = kernel.request("complete_request", json("code", "%mav", "cursor_pos", 4));
        assertEquals(List.of("%maven"), KernelClient.strings(magic.getAsJsonArray("matches")));
    }

    @Test
    void inspectionShowsSignaturesJavadocAndValues() {
        JsonObject doc = kernel.request("inspect_request", json("code", "Math.max(", "cursor_pos", 9, "detail_level", 0));
        assertTrue(doc.get("found").getAsBoolean());
        String text = doc.getAsJsonObject("data").get("text/plain").getAsString();
        assertTrue(text.contains("int Math.max(int a, int b)"), text);
        kernel.execute("double ratio = 0.25;");
        JsonObject variable = kernel.request("inspect_request", json("code", "ratio", "cursor_pos", 2, "detail_level", 0));
        assertTrue(variable.getAsJsonObject("data").get("text/plain").getAsString().startsWith("ratio : double = 0.25"));
    }

    @Test
    void isCompleteTellsAConsoleWhenToWaitForMore() {
        assertEquals("incomplete", kernel.request("is_complete_request", json("code", "for (int i = 0; i < 3; i++) {")).get("status").getAsString());
        assertEquals("complete", kernel.request("is_complete_request", json("code", "int z = 3;")).get("status").getAsString());
        assertEquals("complete", kernel.request("is_complete_request", json("code", "%sh ls")).get("status").getAsString());
    }

    @Test
    void historyListsExecutedCells() {
        kernel.execute("int remembered = 7;");
        JsonObject reply = kernel.request("history_request", json("output", false, "raw", true, "hist_access_type", "tail", "n", 50));
        JsonArray history = reply.getAsJsonArray("history");
        boolean found = false;
        for (var h : history) {
            found |= h.getAsJsonArray().get(2).getAsString().equals("int remembered = 7;");
        }
        assertTrue(found, history.toString());
    }

    @Test
    void unknownMagicListsTheKnownOnes() {
        KernelClient.Execution e = kernel.execute("%nonsense 1 2");
        assertEquals("UnknownMagic", e.error().get("ename").getAsString());
        String traceback = String.join("\n", KernelClient.strings(e.error().getAsJsonArray("traceback")));
        assertTrue(traceback.contains("%maven") && traceback.contains("%%time") && traceback.contains("%sh"), traceback);
    }

    @Test
    void timeReportsWallTimeAndKeepsTheValue() {
        KernelClient.Execution line = kernel.execute("%time 6 * 7");
        assertTrue(line.stream("stdout").startsWith("Wall time: "), line.stream("stdout"));
        assertEquals("42", line.result("text/plain"));
        KernelClient.Execution cell = kernel.execute("%%time\nint slept = 0;\nThread.sleep(50);\nslept + 1");
        assertTrue(cell.stream("stdout").contains("Wall time: "), cell.stream("stdout"));
        assertEquals("1", cell.result("text/plain"));
    }

    @Test
    void shellMagicsStreamOutputAndFailOnError() {
        KernelClient.Execution ok = kernel.execute("%sh echo one; echo two >&2");
        assertEquals("ok", ok.status());
        assertEquals("one\n", ok.stream("stdout"));
        assertEquals("two\n", ok.stream("stderr"));
        KernelClient.Execution cell = kernel.execute("%%sh\nfor i in 1 2; do echo \"n$i\"; done\nexit 3");
        assertEquals("n1\nn2\n", cell.stream("stdout"));
        assertEquals("ShellError", cell.error().get("ename").getAsString());
    }

    @Test
    void classpathMagicAddsJarsToCompilationAndExecution() throws Exception {
        Path dir = Files.createTempDirectory("frugal-cp");
        Path src = dir.resolve("pkgx/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package pkgx; public class Hello { public static String hi() { return \"hi from a jar\"; } }");
        Path classes = dir.resolve("classes");
        int rc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", classes.toString(), src.toString()).inheritIO().start().waitFor();
        assertEquals(0, rc);
        KernelClient.Execution add = kernel.execute("%classpath " + classes);
        assertEquals("ok", add.status(), String.valueOf(add.error()));
        assertEquals("\"hi from a jar\"", kernel.execute("pkgx.Hello.hi()").result("text/plain"));
        KernelClient.Execution missing = kernel.execute("%jars " + dir.resolve("nothing-*.jar"));
        assertEquals("ClasspathError", missing.error().get("ename").getAsString());
    }

    @Test
    void mavenResolvesFromTheLocalRepository() {
        KernelClient.Execution e = kernel.execute("%maven org.apache.commons:commons-math3:3.6.1\n"
                + "new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics(new double[] {1, 2, 6}).getMean()");
        assertEquals("ok", e.status(), String.valueOf(e.error()));
        assertTrue(e.stream("stdout").startsWith("org.apache.commons:commons-math3:3.6.1: "), e.stream("stdout"));
        assertEquals("3.0", e.result("text/plain"));
    }

    @Test
    void mavenAddsTransitiveDependencies() {
        Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "apache", "commons");
        assumeTrue(Files.exists(repo.resolve("commons-text/1.12.0/commons-text-1.12.0.jar"))
                && Files.exists(repo.resolve("commons-lang3/3.14.0/commons-lang3-3.14.0.jar")),
                "commons-text 1.12.0 and commons-lang3 3.14.0 are not in the local repository");
        KernelClient.Execution e = kernel.execute("%maven org.apache.commons:commons-text:1.12.0");
        assertEquals("ok", e.status(), String.valueOf(e.error()));
        assertTrue(e.stream("stdout").contains("commons-lang3-3.14.0.jar"), e.stream("stdout"));
        KernelClient.Execution use = kernel.execute("org.apache.commons.text.WordUtils.capitalize(\"frugal kernel\") + "
                + "org.apache.commons.lang3.StringUtils.repeat('!', 2)");
        assertEquals("\"Frugal Kernel!!\"", use.result("text/plain"));
        KernelClient.Execution bad = kernel.execute("%maven no.such:artifact:0.0.1");
        assertEquals("MavenError", bad.error().get("ename").getAsString());
        assertNotNull(bad.error().get("evalue"));
    }
}
