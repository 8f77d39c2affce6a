package frugal.kernel;

import com.google.gson.annotations.SerializedName;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.List;
import java.util.Map;

/**
 * The reply contents this kernel sends itself, in the shapes of the Jupyter messaging specification 5.3
 * (every reply has a {@code status}; a field the spec says does not exist is left out, not sent empty).
 * jjava 1.0-a6's own classes for these replies leave out {@code status} (kernel_info, comm_info, shutdown,
 * interrupt), send is_complete's {@code indent} for every status, or miss {@code execution_count} on an
 * aborted execute_reply. Gson serializes the record components by their wire names; null ones are omitted.
 */
final class Replies {
    static final String OK = "ok";

    private Replies() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> MessageType<T> as(MessageType<?> type) {
        return (MessageType) type;
    }

    record KernelInfo(String status,
                      @SerializedName("protocol_version") String protocolVersion,
                      String implementation,
                      @SerializedName("implementation_version") String implementationVersion,
                      @SerializedName("language_info") LanguageInfo languageInfo,
                      String banner,
                      @SerializedName("help_links") List<Map<String, String>> helpLinks) implements ContentType<KernelInfo> {
        @Override
        public MessageType<KernelInfo> getType() {
            return as(MessageType.KERNEL_INFO_REPLY);
        }
    }

    /**
     * execute_reply. {@code payload} carries a pager page for {@code name?}; {@code user_expressions} maps each
     * requested name to its result bundle or error. Both are null (omitted) on an aborted reply.
     */
    record Execute(String status,
                   @SerializedName("execution_count") int executionCount,
                   List<Map<String, Object>> payload,
                   @SerializedName("user_expressions") Map<String, Map<String, Object>> userExpressions)
            implements ContentType<Execute> {
        static Execute ok(int count, List<Map<String, Object>> payload, Map<String, Map<String, Object>> userExpressions) {
            return new Execute(OK, count, payload, userExpressions);
        }

        /** A cell queued behind a failing one ("Run all"): not run. */
        static Execute aborted(int count) {
            return new Execute("aborted", count, null, null);
        }

        @Override
        public MessageType<Execute> getType() {
            return as(MessageType.EXECUTE_REPLY);
        }
    }

    /** is_complete_reply: {@code indent} only when the status is "incomplete". */
    record IsComplete(String status, String indent) implements ContentType<IsComplete> {
        static IsComplete of(String status) {
            return new IsComplete(status, null);
        }

        static IsComplete incomplete(String indent) {
            return new IsComplete("incomplete", indent);
        }

        @Override
        public MessageType<IsComplete> getType() {
            return as(MessageType.IS_COMPLETE_REPLY);
        }
    }

    /** comm_info_reply: open comms by id, each with its target name. */
    record CommInfo(String status, Map<String, Map<String, String>> comms) implements ContentType<CommInfo> {
        @Override
        public MessageType<CommInfo> getType() {
            return as(MessageType.COMM_INFO_REPLY);
        }
    }

    record Shutdown(String status, boolean restart) implements ContentType<Shutdown> {
        @Override
        public MessageType<Shutdown> getType() {
            return as(MessageType.SHUTDOWN_REPLY);
        }
    }

    record Interrupt(String status) implements ContentType<Interrupt> {
        @Override
        public MessageType<Interrupt> getType() {
            return as(MessageType.INTERRUPT_REPLY);
        }
    }

    /** history_reply: {@code [session, line, input]} or, with output, {@code [session, line, [input, output]]}. */
    record History(String status, List<List<Object>> history) implements ContentType<History> {
        @Override
        public MessageType<History> getType() {
            return as(MessageType.HISTORY_REPLY);
        }
    }
}
