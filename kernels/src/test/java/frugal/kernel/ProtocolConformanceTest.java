package frugal.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static frugal.kernel.KernelClient.json;
import static frugal.kernel.KernelClient.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reply and broadcast of the real kernel, validated against the Jupyter messaging specification 5.3
 * (test resource jupyter-messaging-5.3.schema.json, written from the spec): kernel_info, execute (ok, error,
 * silent, store_history off, user_expressions, a pager payload, aborted), inspect, complete, is_complete,
 * history (tail, range, search; output and raw), comm_info, interrupt and shutdown, and the iopub messages
 * they cause (status, execute_input, stream, execute_result, display_data, update_display_data, clear_output,
 * error). Each test checks its replies' meaning; {@link #everyMessageConforms} then validates the whole
 * transcript, including that every request got busy, then idle, on iopub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolConformanceTest {
    static final JsonSchema SCHEMA = JsonSchema.load("/jupyter-messaging-5.3.schema.json");

    private KernelClient kernel;
    /** The kernel_info requests of the start-up handshake: sent before iopub was connected, so unmatched. */
    private Set<String> handshake;

    @BeforeAll
    void start() throws Exception {
        kernel = KernelClient.start();
        handshake = kernel.requests().keySet();
    }

    @AfterAll
    void everyMessageConforms() {
        try {
            JsonObject bye = kernel.control("shutdown_request", json("restart", false));
            assertEquals("ok", bye.get("status").getAsString(), bye.toString());
            assertFalse(bye.get("restart").getAsBoolean());
            kernel.drain(500);
            List<String> problems = new ArrayList<>();
            for (KernelClient.Received r : kernel.transcript()) {
                problems.addAll(violations(r).stream().map(p -> r.channel() + " " + r.type() + " " + p + " in " + brief(r)).toList());
            }
            Map<String, String> requests = kernel.requests();
            handshake.forEach(requests::remove);
            requests.forEach((id, type) -> {
                List<String> states = kernel.transcript().stream()
                        .filter(r -> r.type().equals("status") && r.parentId().equals(id))
                        .map(r -> r.content().get("execution_state").getAsString()).toList();
                if (!states.equals(List.of("busy", "idle"))) {
                    problems.add(type + " " + id + ": iopub status " + states + ", expected [busy, idle]");
                }
                // the idle status is dated when the request ended: not before its reply
                Instant idle = dateOf(id, "status", "idle");
                Instant reply = dateOf(id, type.replace("_request", "_reply"), null);
                if (idle != null && reply != null && idle.isBefore(reply)) {
                    problems.add(type + " " + id + ": idle dated " + idle + ", before its reply " + reply);
                }
            });
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertTrue(requests.size() > 30, "the transcript covers the requests: " + requests.size());
        } finally {
            kernel.close();
        }
    }

    private Instant dateOf(String parent, String type, String state) {
        return kernel.transcript().stream()
                .filter(r -> r.parentId().equals(parent) && r.type().equals(type)
                        && (state == null || state.equals(r.content().get("execution_state").getAsString())))
                .map(r -> OffsetDateTime.parse(r.message().getAsJsonObject("header").get("date").getAsString()).toInstant())
                .findFirst().orElse(null);
    }

    private static String brief(KernelClient.Received r) {
        String s = r.message().toString();
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    /** Schema violations of one message: its envelope and the content for its msg_type. */
    static List<String> violations(KernelClient.Received r) {
        List<String> out = new ArrayList<>(SCHEMA.validate(SCHEMA.at("#/definitions/message"), r.message()));
        JsonObject content = SCHEMA.at("#/messages/" + r.type());
        if (content == null) {
            out.add("is not a message type the spec lets a kernel send");
        } else {
            out.addAll(SCHEMA.validate(content, r.content()));
        }
        return out;
    }

    /** The kernel's last message of {@code type} (a reply), checked against the schema. */
    private JsonObject valid(String type) {
        List<KernelClient.Received> all = kernel.transcript();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).type().equals(type)) {
                List<String> v = violations(all.get(i));
                assertTrue(v.isEmpty(), type + " " + all.get(i).content() + ":\n" + String.join("\n", v));
                return all.get(i).content();
            }
        }
        throw new AssertionError("no " + type + " received");
    }

    private JsonObject request(String type, Object... keyValues) {
        kernel.request(type, json(keyValues));
        return valid(type.replace("_request", "_reply"));
    }

    private static JsonObject executeContent(String code, boolean silent, boolean storeHistory, JsonObject userExpressions) {
        return json("code", code, "silent", silent, "store_history", storeHistory, "user_expressions", userExpressions,
                "allow_stdin", false, "stop_on_error", true);
    }

    @Test
    void kernelInfo() {
        JsonObject info = request("kernel_info_request");
        assertEquals("5.3", info.get("protocol_version").getAsString());
        assertEquals("frugal-java", info.get("implementation").getAsString());
        JsonObject language = info.getAsJsonObject("language_info");
        assertEquals("java", language.get("name").getAsString());
        assertEquals(Runtime.version().feature(), Integer.parseInt(language.get("version").getAsString().split("\\.")[0]));
    }

    @Test
    void executeOkErrorAndResult() {
        KernelClient.Execution ok = kernel.execute(executeContent("int protocolX = 20; protocolX + 1", false, true,
                json("twice", "protocolX * 2", "broken", "noSuchName + 1")));
        JsonObject reply = valid("execute_reply");
        assertEquals("ok", reply.get("status").getAsString());
        int count = reply.get("execution_count").getAsInt();
        assertEquals(List.of(count), ok.of("execute_input").stream().map(c -> c.get("execution_count").getAsInt()).toList());
        assertEquals("21", ok.result("text/plain"));
        JsonObject expressions = reply.getAsJsonObject("user_expressions");
        assertEquals("ok", expressions.getAsJsonObject("twice").get("status").getAsString());
        assertEquals("40", expressions.getAsJsonObject("twice").getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("error", expressions.getAsJsonObject("broken").get("status").getAsString());
        assertEquals("CompileError", expressions.getAsJsonObject("broken").get("ename").getAsString());

        KernelClient.Execution failed = kernel.execute("throw new IllegalStateException(\"protocol\")");
        JsonObject error = valid("execute_reply");
        assertEquals("error", error.get("status").getAsString());
        assertEquals(count + 1, error.get("execution_count").getAsInt());
        assertEquals("java.lang.IllegalStateException", failed.error().get("ename").getAsString());
        valid("error");
    }

    @Test
    void silentAndUnstoredExecutionsLeaveCounterAndHistoryAlone() {
        int before = kernel.execute("1 + 1").reply().get("execution_count").getAsInt();
        KernelClient.Execution silent = kernel.execute(executeContent("40 + 2", true, true, new JsonObject()));
        JsonObject reply = valid("execute_reply");
        assertEquals(before, reply.get("execution_count").getAsInt(), "silent: the current counter, not the next");
        assertTrue(silent.of("execute_input").isEmpty() && silent.of("execute_result").isEmpty(), silent.messages().toString());
        kernel.execute(executeContent("\"unstored\"", false, false, new JsonObject()));
        assertEquals(before, valid("execute_reply").get("execution_count").getAsInt());
        assertEquals(before + 1, kernel.execute("2 + 2").reply().get("execution_count").getAsInt());
        JsonArray all = request("history_request", "hist_access_type", "tail", "n", 1000, "output", false, "raw", true)
                .getAsJsonArray("history");
        all.forEach(row -> assertFalse(row.getAsJsonArray().get(2).getAsString().matches("40 \\+ 2|\"unstored\""), all.toString()));
    }

    @Test
    void helpSyntaxSendsAPagerPayload() {
        kernel.execute("Math.abs?");
        JsonObject reply = valid("execute_reply");
        JsonArray payload = reply.getAsJsonArray("payload");
        assertEquals(1, payload.size(), reply.toString());
        JsonObject page = payload.get(0).getAsJsonObject();
        assertEquals("page", page.get("source").getAsString());
        assertTrue(page.getAsJsonObject("data").get("text/plain").getAsString().contains("int Math.abs(int a)"), page.toString());
    }

    @Test
    void abortedCellsQueuedBehindAFailureSayWhichCount() {
        String failing = kernel.submit("throw new RuntimeException(\"first\")");
        String queued = kernel.submit("int neverRuns = 1;");
        assertEquals("error", kernel.await(failing, java.time.Duration.ofSeconds(60), true).status());
        KernelClient.Execution aborted = kernel.await(queued, java.time.Duration.ofSeconds(60), true);
        assertEquals("aborted", aborted.status(), aborted.reply().toString());
        assertTrue(aborted.reply().has("execution_count"), aborted.reply().toString());
        valid("execute_reply");
    }

    @Test
    void displaysUpdatesAndClearOutput() {
        KernelClient.Execution e = kernel.execute("""
                System.out.println("before");
                var h = display("first");
                h.update("second");
                clearOutput();
                System.out.println("after");
                clearOutput(true);
                display("last");
                """);
        assertEquals("ok", e.status(), e.reply().toString());
        List<String> order = e.messages().stream().map(m -> m.get("msg_type").getAsString()).toList();
        assertEquals(List.of("execute_input", "stream", "display_data", "update_display_data", "clear_output", "stream",
                "clear_output", "display_data"), order);
        List<JsonObject> clears = e.of("clear_output");
        assertFalse(clears.get(0).get("wait").getAsBoolean());
        assertTrue(clears.get(1).get("wait").getAsBoolean());
        String id = e.of("display_data").get(0).getAsJsonObject("transient").get("display_id").getAsString();
        assertEquals(id, e.of("update_display_data").get(0).getAsJsonObject("transient").get("display_id").getAsString());
        valid("update_display_data");
        valid("clear_output");
        valid("display_data");
        valid("stream");
    }

    @Test
    void inspect() {
        JsonObject found = request("inspect_request", "code", "Math.abs(-1)", "cursor_pos", 7, "detail_level", 0);
        assertTrue(found.get("found").getAsBoolean());
        assertTrue(found.getAsJsonObject("data").get("text/plain").getAsString().startsWith("int Math.abs(int a)"), found.toString());
        request("inspect_request", "code", "Math.abs(-1)", "cursor_pos", 7, "detail_level", 1);
        JsonObject missing = request("inspect_request", "code", "zzzNothing", "cursor_pos", 3, "detail_level", 0);
        assertFalse(missing.get("found").getAsBoolean());
        assertEquals(0, missing.getAsJsonObject("data").size());
    }

    /**
     * A match replaces code[cursor_start, cursor_end): what a client inserts. Positions are code points, so a
     * character outside the BMP before the cursor counts once.
     */
    @Test
    void completionMatchesReplaceTheirRange() {
        assertCompletes("Math.ab", "Math.abs(");
        assertCompletes("int n = 1;\nint m = Math.ab", "int n = 1;\nint m = Math.abs(");
        assertCompletes("%time Math.ab", "%time Math.abs(");
        assertCompletes("int astral = 1; \"\uD835\uDC1A\".toUpperC", "int astral = 1; \"\uD835\uDC1A\".toUpperCase(");
        assertCompletes("System.out.println(Math.ab", "System.out.println(Math.abs(");
        assertCompletes("%ti", "%time");
        JsonObject none = request("complete_request", "code", "zzzNothing.", "cursor_pos", 11);
        assertEquals(0, none.getAsJsonArray("matches").size());
        assertEquals(11, none.get("cursor_end").getAsInt());
    }

    /** Completes at the end of {@code code}; the cursor is sent in code points, as the spec asks. */
    private void assertCompletes(String code, String expected) {
        int cursor = code.codePointCount(0, code.length());
        JsonObject reply = request("complete_request", "code", code, "cursor_pos", cursor);
        int start = reply.get("cursor_start").getAsInt();
        int end = reply.get("cursor_end").getAsInt();
        assertEquals(cursor, end, reply.toString());
        int[] cps = code.codePoints().toArray();
        String before = new String(cps, 0, start);
        String typed = new String(cps, start, end - start);
        List<String> matches = strings(reply.getAsJsonArray("matches"));
        assertTrue(matches.stream().allMatch(m -> m.startsWith(typed)), "every match starts with " + typed + ": " + matches);
        assertTrue(matches.stream().anyMatch(m -> (before + m).equals(expected)), expected + " from " + reply);
    }

    @Test
    void isComplete() {
        JsonObject complete = request("is_complete_request", "code", "int a = 1;");
        assertEquals("complete", complete.get("status").getAsString());
        assertFalse(complete.has("indent"));
        JsonObject open = request("is_complete_request", "code", "for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", open.get("status").getAsString());
        assertEquals("    ", open.get("indent").getAsString());
        JsonObject invalid = request("is_complete_request", "code", "int 3 = ;");
        assertEquals("invalid", invalid.get("status").getAsString());
        assertFalse(invalid.has("indent"));
    }

    @Test
    void historyEveryAccessTypeWithAndWithoutOutput() {
        int count = kernel.execute("String historyMarker = \"h\"; historyMarker + 1").reply().get("execution_count").getAsInt();
        for (boolean raw : new boolean[] {true, false}) {
            JsonArray tail = request("history_request", "hist_access_type", "tail", "n", 1, "output", false, "raw", raw)
                    .getAsJsonArray("history");
            assertEquals(1, tail.size(), tail.toString());
            assertRow(tail.get(0), count, "String historyMarker = \"h\"; historyMarker + 1");
        }
        JsonArray withOutput = request("history_request", "hist_access_type", "tail", "n", 1, "output", true, "raw", true)
                .getAsJsonArray("history");
        JsonArray pair = withOutput.get(0).getAsJsonArray().get(2).getAsJsonArray();
        assertEquals("String historyMarker = \"h\"; historyMarker + 1", pair.get(0).getAsString());
        assertEquals("\"h1\"", pair.get(1).getAsString());

        JsonArray range = request("history_request", "hist_access_type", "range", "session", 0, "start", count,
                "stop", count + 1, "output", false, "raw", true).getAsJsonArray("history");
        assertEquals(1, range.size(), range.toString());
        assertRow(range.get(0), count, "String historyMarker = \"h\"; historyMarker + 1");
        JsonArray earlier = request("history_request", "hist_access_type", "range", "session", -1, "start", 1,
                "stop", 0, "output", false, "raw", true).getAsJsonArray("history");
        assertEquals(0, earlier.size(), "no earlier session: " + earlier);

        kernel.execute("String historyMarker = \"h\"; historyMarker + 1");
        JsonArray search = request("history_request", "hist_access_type", "search", "pattern", "String historyMarker*",
                "n", 10, "unique", true, "output", true, "raw", true).getAsJsonArray("history");
        assertEquals(1, search.size(), "unique: " + search);
        JsonArray repeated = request("history_request", "hist_access_type", "search", "pattern", "String historyMarker*",
                "n", 10, "unique", false, "output", false, "raw", true).getAsJsonArray("history");
        assertEquals(2, repeated.size(), repeated.toString());
    }

    private static void assertRow(JsonElement row, int line, String input) {
        JsonArray r = row.getAsJsonArray();
        assertEquals(History.SESSION, r.get(0).getAsInt());
        assertEquals(line, r.get(1).getAsInt());
        assertEquals(input, r.get(2).getAsString());
    }

    @Test
    void commInfo() {
        assertEquals(0, request("comm_info_request").getAsJsonObject("comms").size());
        assertEquals(0, request("comm_info_request", "target_name", "jupyter.widget").getAsJsonObject("comms").size());
    }

    @Test
    void interruptReplyAndTheInterruptedCell() throws Exception {
        String busy = kernel.submit("while (true) {}");
        Thread.sleep(1500);
        JsonObject reply = kernel.interrupt();
        assertEquals(Set.of("status"), reply.keySet(), reply.toString());
        assertEquals("ok", reply.get("status").getAsString());
        KernelClient.Execution stopped = kernel.await(busy, java.time.Duration.ofSeconds(10), true);
        assertNotNull(stopped, "the loop stopped");
        assertEquals("Interrupted", stopped.reply().get("ename").getAsString());
        valid("interrupt_reply");
        valid("execute_reply");
    }
}
