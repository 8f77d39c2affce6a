package frugal.train;

import frugal.core.Display;
import frugal.core.Html;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A progress bar through {@link Display}: one terminal line redrawn with a carriage return, or an HTML bar
 * redrawn in place in a notebook. Redraws at most ~10 times a second (4 in a notebook) plus the last one.
 *
 * <pre>step 120/500 [=====>              ] loss 2.314 lr 3.0e-04  41 it/s  eta 0:09</pre>
 */
public final class Progress implements AutoCloseable {
    private static final int BAR_WIDTH = 20;

    private final String unit;
    private final long total;
    private final boolean rich;
    private final long minIntervalNanos;
    private final Display.Handle handle;
    private long firstDone = -1;
    private long firstNanos;
    private long lastDrawNanos;
    private long done;
    private String status = "";
    private int widest;
    private boolean closed;

    private Progress(String title, String unit, long total) {
        this.unit = unit;
        this.total = total;
        this.rich = Display.rich();
        this.minIntervalNanos = rich ? 250_000_000L : 100_000_000L;
        this.handle = Display.show(rich ? new Html("<div style=\"font-family:monospace\">" + escape(title) + "</div>", title)
                : title);
    }

    /**
     * Shows {@code title} and returns a bar counting {@code unit}s up to {@code total}.
     *
     * @param title the first line, for example "training 500 steps, AdamW"
     */
    public static Progress start(String title, String unit, long total) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be >= 1, got " + total);
        }
        return new Progress(title, unit, total);
    }

    /** Records that {@code done} units are complete; {@code status} follows the bar (for example the loss). */
    public void update(long done, String status) {
        long now = System.nanoTime();
        if (firstDone < 0) {
            firstDone = done;
            firstNanos = now;
        }
        this.done = done;
        this.status = status;
        if (done >= total || now - lastDrawNanos >= minIntervalNanos) {
            draw(now, false);
        }
    }

    /** Draws the final state (ending the terminal line). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            draw(System.nanoTime(), true);
        }
    }

    private void draw(long now, boolean last) {
        lastDrawNanos = now;
        double seconds = (now - firstNanos) / 1e9;
        double rate = firstDone >= 0 && seconds > 0 ? (done - firstDone) / seconds : Double.NaN;
        if (rich) {
            handle.update(html(unit, done, total, rate, status));
            return;
        }
        // a carriage return does not clear the line: pad over the tail of a longer previous line
        String text = line(unit, done, total, rate, status);
        String padded = text + " ".repeat(Math.max(0, widest - text.length()));
        widest = Math.max(widest, text.length());
        handle.update(last ? padded + "\n" : padded);
    }

    /** The terminal line. */
    static String line(String unit, long done, long total, double perSecond, String status) {
        int filled = (int) (BAR_WIDTH * Math.min(done, total) / total);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        return Stream.of(unit + " " + done + "/" + total, bar.toString(), status, timing(done, total, perSecond))
                .filter(part -> !part.isBlank())
                .collect(Collectors.joining(" "));
    }

    /** The notebook bar: a filled div, then the same numbers as the terminal line. */
    static Html html(String unit, long done, long total, double perSecond, String status) {
        double percent = 100.0 * Math.min(done, total) / total;
        String html = String.format(Locale.ROOT,
                "<div style=\"font-family:monospace;white-space:nowrap\">"
                        + "<span style=\"display:inline-block;width:240px;height:12px;background:#e6e6e6;"
                        + "border-radius:3px;vertical-align:middle;overflow:hidden\">"
                        + "<span style=\"display:block;width:%.1f%%;height:100%%;background:#4c78a8\"></span></span>"
                        + " %s</div>",
                percent, Stream.of(escape(unit) + " " + done + "/" + total, escape(status),
                        escape(timing(done, total, perSecond)))
                        .filter(part -> !part.isBlank()).collect(Collectors.joining(" &middot; ")));
        return new Html(html, line(unit, done, total, perSecond, status));
    }

    private static String timing(long done, long total, double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            return "";
        }
        String rate = perSecond >= 1 ? String.format(Locale.ROOT, "%.1f it/s", perSecond)
                : String.format(Locale.ROOT, "%.2f s/it", 1 / perSecond);
        return done >= total ? rate : rate + " eta " + clock((total - done) / perSecond);
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
