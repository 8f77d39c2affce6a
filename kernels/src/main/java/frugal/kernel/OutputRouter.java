package frugal.kernel;

import frugal.kernel.remote.Frames;
import frugal.kernel.remote.MimeBundle;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishStream.StreamType;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything a cell shows, in the order it happened: text printed in the user's JVM (stdout and
 * stderr, also what native code writes), display frames, and the kernel's own notes. Text is
 * gathered for a few milliseconds into one stream message; a display first flushes the text before
 * it, so a chart shown between two prints appears between them.
 *
 * <p>Output that arrives between cells (a background thread still printing) goes to the last cell,
 * as in IPython.
 */
final class OutputRouter implements FrameDecoder.Listener {
    /** How long printed text may wait to be batched into one message. */
    static final long BATCH_MILLIS = 40;
    /** Text beyond this many bytes is sent at once. */
    static final int BATCH_BYTES = 64 * 1024;
    /** A line still being printed waits this long for its end before it is sent in pieces. */
    static final long PARTIAL_LINE_MILLIS = 500;

    private final Object lock = new Object();
    private final PrintStream kernelErr;
    private final TextBuffer out = new TextBuffer(StreamType.OUT);
    private final TextBuffer err = new TextBuffer(StreamType.ERR);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frugal-output-flush");
        t.setDaemon(true);
        return t;
    });
    private ShellReplyEnvironment env;
    private ShellReplyEnvironment lastEnv;
    private MimeBundle result;
    private boolean flushScheduled;

    /** {@code kernelErr}: where output goes before any cell ran (the kernel's own stderr). */
    OutputRouter(PrintStream kernelErr) {
        this.kernelErr = kernelErr;
    }

    /** A cell starts: its output goes to {@code cell}. */
    void begin(ShellReplyEnvironment cell) {
        synchronized (lock) {
            env = cell;
            lastEnv = cell;
            result = null;
        }
    }

    /** The cell is done: everything it printed is sent before its reply. */
    void end() {
        synchronized (lock) {
            flushLocked(true);
        }
        synchronized (lock) {
            env = null;
        }
    }

    /** The cell's result, as rendered by the user's JVM, or null. */
    MimeBundle takeResult() {
        synchronized (lock) {
            MimeBundle r = result;
            result = null;
            return r;
        }
    }

    @Override
    public void text(byte[] bytes, int off, int len) {
        append(out, err, bytes, off, len);
    }

    /** The user's JVM's stderr (JShell's channel and the process's own, where native code writes). */
    OutputStream stderr() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                append(err, out, b, off, len);
            }
        };
    }

    /** Text from the kernel itself (magics, notes), on stdout or stderr. */
    void print(boolean toErr, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (toErr) {
            append(err, out, b, 0, b.length);
        } else {
            append(out, err, b, 0, b.length);
        }
    }

    @Override
    public void frame(Frames.Kind kind, String id, MimeBundle bundle) {
        synchronized (lock) {
            flushLocked(true);
            switch (kind) {
                case RESULT -> result = bundle;
                case DISPLAY -> publish(new PublishDisplayData(displayData(bundle, id)), bundle);
                case UPDATE -> publish(new PublishUpdateDisplayData(displayData(bundle, id)), bundle);
                case CLEAR -> publish("wait".equals(id) ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW, bundle);
            }
        }
    }

    /** Sends what is waiting; a partly printed line only once it is old (see {@link #PARTIAL_LINE_MILLIS}). */
    void flush() {
        synchronized (lock) {
            flushLocked(false);
        }
    }

    static DisplayData displayData(MimeBundle bundle, String id) {
        DisplayData d = new DisplayData();
        bundle.data().forEach(d::putData);
        bundle.metadata().forEach(d::putMetaData);
        if (id != null) {
            d.setDisplayId(id);
        }
        return d;
    }

    private void append(TextBuffer to, TextBuffer other, byte[] b, int off, int len) {
        synchronized (lock) {
            if (other.size() > 0) {
                other.send(true);
            }
            to.write(b, off, len);
            if (to.size() >= BATCH_BYTES) {
                to.send(true);
            }
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled && (out.size() > 0 || err.size() > 0)) {
            flushScheduled = true;
            timer.schedule(this::flush, BATCH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void flushLocked(boolean force) {
        flushScheduled = false;
        out.send(force);
        err.send(force);
        scheduleFlush();
    }

    /** To the running cell, else the last one; before any cell, as text to the kernel's stderr. */
    private <T extends ContentType<T>> void publish(T content, MimeBundle bundle) {
        ShellReplyEnvironment target = env != null ? env : lastEnv;
        if (target != null) {
            target.publish(content);
        } else {
            kernelErr.print(bundle.data().getOrDefault(MimeBundle.TEXT, ""));
        }
    }

    /** Bytes of one stream waiting to be sent; an incomplete UTF-8 character waits for its rest. */
    private final class TextBuffer extends ByteArrayOutputStream {
        private final StreamType type;
        private long oldestNanos;

        TextBuffer(StreamType type) {
            this.type = type;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count == 0) {
                oldestNanos = System.nanoTime();
            }
            super.write(b, off, len);
        }

        /** Sends whole characters; unless forced, a young unfinished line stays for its newline. */
        void send(boolean force) {
            int complete = utf8Boundary(buf, count);
            if (!force && System.nanoTime() - oldestNanos < PARTIAL_LINE_MILLIS * 1_000_000) {
                int lineEnd = complete;
                while (lineEnd > 0 && buf[lineEnd - 1] != '\n') {
                    lineEnd--;
                }
                complete = lineEnd;
            }
            if (complete == 0) {
                return;
            }
            String text = new String(buf, 0, complete, StandardCharsets.UTF_8);
            System.arraycopy(buf, complete, buf, 0, count - complete);
            count -= complete;
            publish(new PublishStream(type, text), MimeBundle.text(text));
        }
    }

    /** The length of the longest prefix of {@code b[0..len)} that ends on a whole UTF-8 character. */
    static int utf8Boundary(byte[] b, int len) {
        for (int back = 1; back <= Math.min(3, len); back++) {
            int c = b[len - back] & 0xFF;
            if (c < 0x80) {
                return len;
            }
            if (c >= 0xC0) {
                int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
                return need <= back ? len : len - back;
            }
        }
        return len;
    }
}
