package frugal.kernel.remote;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The display channel from the JVM that runs user code to the kernel.
 *
 * <p>Displays travel inside that JVM's standard output as frames, so they keep their order with the
 * text a cell prints around them and need no second connection. A frame is
 * {@code RS "frugal:" token ":" kind ":" id ":" length "\n"} followed by {@code length} bytes of
 * UTF-8 JSON (a {@link MimeBundle}). RS (0x1E) never appears in ordinary text, and the token, a
 * random string the kernel hands to each JVM it starts, keeps printed text from ever passing for a
 * frame. A PNG of any size is just a long payload.
 */
public final class Frames {
    /** ASCII record separator: starts every frame. */
    public static final byte MARK = 0x1E;
    /** System property carrying the token of the JVM's frames. */
    public static final String TOKEN_PROPERTY = "frugal.kernel.token";

    /** What the kernel does with a frame's bundle. */
    public enum Kind {
        /** a new output with a display id (display_data) */
        DISPLAY,
        /** redraw the output with that id in place (update_display_data) */
        UPDATE,
        /** the value of the cell's last expression (execute_result) */
        RESULT,
        /** clear the cell's output (clear_output); the id says when: "now" or "wait" (before the next output) */
        CLEAR;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final PrintStream out;
    private final String token;

    /** Writes frames to {@code out}, the JVM's standard output as the kernel reads it. */
    public Frames(PrintStream out, String token) {
        this.out = Objects.requireNonNull(out, "out");
        this.token = Objects.requireNonNull(token, "token");
    }

    /** The bytes between MARK and the header: what the kernel matches to recognise a frame. */
    public static String prefix(String token) {
        return "frugal:" + token + ":";
    }

    /** Sends one frame; the whole frame is written under the stream's lock so no text splits it. */
    public void send(Kind kind, String id, MimeBundle bundle) {
        byte[] payload = GSON.toJson(bundle).getBytes(StandardCharsets.UTF_8);
        byte[] header = (prefix(token) + kind.wire() + ":" + id + ":" + payload.length + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[1 + header.length + payload.length];
        frame[0] = MARK;
        System.arraycopy(header, 0, frame, 1, header.length);
        System.arraycopy(payload, 0, frame, 1 + header.length, payload.length);
        synchronized (out) {
            out.flush();
            out.write(frame, 0, frame.length);
            out.flush();
        }
    }

    /** Parses a frame's JSON payload (the kernel side). */
    public static MimeBundle parse(String json) {
        return GSON.fromJson(json, MimeBundle.class);
    }
}
