package frugal.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message schema and its validator reject what the kernel used to send (jjava 1.0-a6's forms), so the
 * protocol test can fail; and accept the spec's own examples.
 */
class MessageSchemaTest {
    private static final JsonSchema SCHEMA = ProtocolConformanceTest.SCHEMA;

    private static List<String> content(String type, String json) {
        return SCHEMA.validate(SCHEMA.at("#/messages/" + type), new Gson().fromJson(json, JsonObject.class));
    }

    @Test
    void rejectsTheOldReplies() {
        assertFalse(content("kernel_info_reply", """
                {"protocol_version": "5.3", "implementation": "frugal-java", "implementation_version": "0.1.0",
                 "language_info": {"name": "java", "version": "17", "mimetype": "text/x-java", "file_extension": ".jsh"},
                 "banner": "java 17", "help_links": []}""").isEmpty(), "no status, version not X.Y.Z");
        assertFalse(content("is_complete_reply", "{\"status\": \"complete\", \"indent\": \"\"}").isEmpty(),
                "indent only exists for incomplete");
        assertFalse(content("comm_info_reply", "{\"comms\": {}}").isEmpty(), "no status");
        assertFalse(content("interrupt_reply", "{}").isEmpty(), "no status");
        assertFalse(content("shutdown_reply", "{\"restart\": false}").isEmpty(), "no status");
        assertFalse(content("execute_reply", "{\"status\": \"aborted\"}").isEmpty(), "no execution_count");
        assertFalse(content("history_reply", "{\"status\": \"ok\", \"history\": [{\"session\": 1, \"line\": 1, \"input\": \"x\"}]}")
                .isEmpty(), "entries as objects, not triples");
        assertFalse(content("complete_reply", "{\"status\": \"ok\", \"matches\": [\"abs(\"], \"cursor_start\": 5}").isEmpty(),
                "no cursor_end, no metadata");
    }

    @Test
    void rejectsMinutePrecisionDates() {
        JsonObject header = new Gson().fromJson("""
                {"msg_id": "a", "username": "kernel", "session": "s", "date": "2026-12-06T19:01+0000",
                 "msg_type": "status", "version": "5.3"}""", JsonObject.class);
        List<String> errors = SCHEMA.validate(SCHEMA.at("#/definitions/header"), header);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("$.date"), errors.toString());
        header.addProperty("date", "2026-12-06T19:01:46.301Z");
        assertTrue(SCHEMA.validate(SCHEMA.at("#/definitions/header"), header).isEmpty());
    }

    @Test
    void acceptsTheSpecsExamples() {
        assertTrue(content("complete_reply", """
                {"status": "ok", "matches": ["a.isalnum", "a.isalpha"], "cursor_start": 6, "cursor_end": 12, "metadata": {}}
                """).isEmpty());
        assertTrue(content("history_reply", "{\"status\": \"ok\", \"history\": [[1, 2, \"x = 1\"], [1, 3, [\"x\", \"1\"]], [1, 4, [\"y = 2\", null]]]}")
                .isEmpty());
        assertTrue(content("execute_reply", "{\"status\": \"error\", \"execution_count\": 3, \"ename\": \"E\", \"evalue\": \"v\", \"traceback\": []}")
                .isEmpty());
        assertTrue(content("is_complete_reply", "{\"status\": \"incomplete\", \"indent\": \"    \"}").isEmpty());
        assertTrue(content("display_data", "{\"data\": {\"text/plain\": \"x\"}, \"metadata\": {}, \"transient\": {\"display_id\": \"d\"}}")
                .isEmpty());
        assertFalse(content("display_data", "{\"data\": {\"not a mime type\": \"x\"}, \"metadata\": {}}").isEmpty());
    }
}
