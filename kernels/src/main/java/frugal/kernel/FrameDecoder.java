package frugal.kernel;

import frugal.kernel.remote.Frames;
import frugal.kernel.remote.MimeBundle;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Splits the standard output of the JVM that runs user code into printed text and display frames
 * (format: {@link Frames}). Bytes arrive in arbitrary pieces; text passes through unchanged, frames
 * are handed over whole. Anything that starts like a frame but is not one is passed on as text.
 */
final class FrameDecoder extends OutputStream {
    /** Receives what the decoder finds, in stream order. */
    interface Listener {
        void text(byte[] bytes, int off, int len);

        void frame(Frames.Kind kind, String id, MimeBundle bundle);
    }

    private static final int MAX_HEADER = 200;
    /** A display larger than this is not believed (a PNG of a 4K screen is ~10 MB). */
    private static final int MAX_PAYLOAD = 512 << 20;

    private final byte[] prefix;
    private final Listener listener;

    private enum State { TEXT, PREFIX, HEADER, PAYLOAD }

    private State state = State.TEXT;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Frames.Kind kind;
    private String id;
    private byte[] payload;
    private int filled;

    FrameDecoder(String token, Listener listener) {
        this.prefix = Frames.prefix(token).getBytes(StandardCharsets.US_ASCII);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            switch (state) {
                case TEXT -> {
                    int start = i;
                    while (i < end && b[i] != Frames.MARK) {
                        i++;
                    }
                    if (i > start) {
                        listener.text(b, start, i - start);
                    }
                    if (i < end) {
                        pending.reset();
                        pending.write(b[i++]);
                        state = State.PREFIX;
                    }
                }
                case PREFIX -> {
                    int at = pending.size() - 1;
                    if (b[i] == prefix[at]) {
                        pending.write(b[i++]);
                        if (pending.size() - 1 == prefix.length) {
                            pending.reset();
                            state = State.HEADER;
                        }
                    } else {
                        notAFrame();
                    }
                }
                case HEADER -> {
                    byte c = b[i++];
                    if (c == '\n') {
                        startPayload(pending.toString(StandardCharsets.US_ASCII));
                    } else if (pending.size() >= MAX_HEADER) {
                        notAFrame();
                    } else {
                        pending.write(c);
                    }
                }
                case PAYLOAD -> {
                    int n = Math.min(end - i, payload.length - filled);
                    System.arraycopy(b, i, payload, filled, n);
                    filled += n;
                    i += n;
                    if (filled == payload.length) {
                        deliver();
                    }
                }
            }
        }
    }

    private void startPayload(String header) {
        String[] parts = header.split(":");
        try {
            kind = Frames.Kind.fromWire(parts[0]);
            id = parts[1];
            int length = Integer.parseInt(parts[2]);
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("payload length " + length);
            }
            payload = new byte[length];
            filled = 0;
            state = State.PAYLOAD;
            if (payload.length == 0) {
                deliver();
            }
        } catch (RuntimeException e) {
            state = State.TEXT;
            byte[] note = ("[frugal-kernel] dropped a malformed display frame: " + header + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            listener.text(note, 0, note.length);
        }
    }

    private void deliver() {
        state = State.TEXT;
        String json = new String(payload, StandardCharsets.UTF_8);
        payload = null;
        MimeBundle bundle;
        try {
            bundle = Frames.parse(json);
        } catch (RuntimeException e) {
            bundle = MimeBundle.text("(a display could not be decoded: " + e.getMessage() + ")");
        }
        listener.frame(kind, id, bundle);
    }

    /** What looked like a frame start was text after all: pass the held bytes on. */
    private void notAFrame() {
        byte[] held = pending.toByteArray();
        pending.reset();
        state = State.TEXT;
        listener.text(held, 0, held.length);
    }
}
