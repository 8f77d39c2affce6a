package frugal.kernel;

import org.dflib.jjava.jupyter.messages.KernelTimestamp;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.text.DateFormat;
import java.text.SimpleDateFormat;
import java.util.TimeZone;
import java.util.function.Supplier;

/**
 * The {@code date} of every message header as a full ISO 8601 / RFC 3339 timestamp in UTC with milliseconds
 * ({@code 2026-12-06T19:01:46.301Z}).
 *
 * <p>jjava 1.0-a6 formats header dates with the pattern {@code yyyy-MM-dd'T'HH:mmZ}: minutes only, and an offset
 * without its colon. Clients parse that, but every message of a minute then carries the same time, so the cell
 * timings nbclient records in executed notebooks (and the client's own ordering by date) are wrong by up to a
 * minute. jjava keeps its formatter in a private {@code ThreadLocal} created with {@code withInitial}; this
 * replaces that ThreadLocal's supplier before the first message is sent, so every thread formats with seconds.
 * It needs {@code --add-opens java.base/java.lang} (kernel.args has it); the protocol test checks the result.
 */
final class WireDates {
    static final String PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private WireDates() {}

    /** Installs the full-precision format; when that is impossible, says so on {@code err} and leaves jjava's. */
    static void install(PrintStream err) {
        try {
            Field formats = KernelTimestamp.class.getDeclaredField("DATE_FORMAT");
            formats.setAccessible(true);
            ThreadLocal<?> local = (ThreadLocal<?>) formats.get(null);
            Field supplier = local.getClass().getDeclaredField("supplier");
            supplier.setAccessible(true);
            supplier.set(local, (Supplier<DateFormat>) WireDates::format);
            local.remove();
        } catch (ReflectiveOperationException | RuntimeException e) {
            err.println("[frugal-kernel] message dates keep jjava's minute precision: " + e);
        }
    }

    static DateFormat format() {
        SimpleDateFormat f = new SimpleDateFormat(PATTERN);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f;
    }
}
