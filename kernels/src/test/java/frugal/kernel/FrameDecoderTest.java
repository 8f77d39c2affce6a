package frugal.kernel;

import frugal.kernel.remote.Frames;
import frugal.kernel.remote.MimeBundle;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Display frames inside the user JVM's stdout: split from text whatever the chunking. */
class FrameDecoderTest {
    /** Records what the decoder finds, text and frames in one ordered log. */
    private static final class Log implements FrameDecoder.Listener {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();

        @Override
        public void text(byte[] bytes, int off, int len) {
            text.write(bytes, off, len);
            events.add("text");
        }

        @Override
        public void frame(Frames.Kind kind, String id, MimeBundle bundle) {
            events.add(kind + " " + id + " " + bundle.data().get(MimeBundle.TEXT) + " " + bundle.data().size());
        }
    }

    private static byte[] stream(String token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Frames frames = new Frames(out, token);
        out.print("before \u001e not a frame, ünïcödé\n");
        char[] big = new char[200_000];
        java.util.Arrays.fill(big, 'x');
        frames.send(Frames.Kind.DISPLAY, "id-1", MimeBundle.png(new String(big), 3, 4, "png"));
        out.print("between\u001efrugal:wrongtoken:display:x:3\n{}}");
        frames.send(Frames.Kind.UPDATE, "id-1", MimeBundle.text("second"));
        frames.send(Frames.Kind.RESULT, "-", MimeBundle.html("<b>r</b>", "r"));
        out.print("after");
        return bytes.toByteArray();
    }

    private static Log decode(byte[] all, int seed) {
        Log log = new Log();
        FrameDecoder decoder = new FrameDecoder("tok3n", log);
        Random r = new Random(seed);
        int at = 0;
        while (at < all.length) {
            int n = seed == 0 ? 1 : Math.min(all.length - at, 1 + r.nextInt(300));
            decoder.write(all, at, n);
            at += n;
        }
        return log;
    }

    @Test
    void framesAndTextSurviveAnyChunking() {
        byte[] all = stream("tok3n");
        for (int seed : new int[] {0, 1, 2, 3}) {
            Log log = decode(all, seed);
            assertEquals("before \u001e not a frame, ünïcödé\nbetween\u001efrugal:wrongtoken:display:x:3\n{}}after",
                    log.text.toString(StandardCharsets.UTF_8), "seed " + seed);
            List<String> frames = log.events.stream().filter(e -> !e.equals("text")).toList();
            assertEquals(List.of("DISPLAY id-1 png 2", "UPDATE id-1 second 1", "RESULT - r 2"), frames, "seed " + seed);
        }
    }

    @Test
    void framesOfAnotherTokenAreText() {
        Log log = decode(stream("other"), 5);
        assertEquals(List.of(), log.events.stream().filter(e -> !e.equals("text")).toList());
    }

    @Test
    void textIsCutOnlyBetweenWholeUtf8Characters() {
        byte[] b = "aé€😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(b.length, OutputRouter.utf8Boundary(b, b.length));
        assertEquals(6, OutputRouter.utf8Boundary(b, b.length - 1), "a cut emoji waits for its rest");
        assertEquals(3, OutputRouter.utf8Boundary(b, 5), "a cut euro sign waits");
        assertEquals(1, OutputRouter.utf8Boundary(b, 2));
        assertEquals(0, OutputRouter.utf8Boundary(new byte[] {(byte) 0xE2}, 1));
    }

    @Test
    void bundlesRoundTripThroughJson() {
        MimeBundle b = MimeBundle.png("AAAA", 640, 400, "chart");
        MimeBundle back = Frames.parse(new com.google.gson.Gson().toJson(b));
        assertEquals(b.data(), back.data());
        assertEquals(640, ((Number) back.metadata().get(MimeBundle.PNG).get("width")).intValue());
        assertEquals(Map.of(), MimeBundle.empty().data());
    }
}
