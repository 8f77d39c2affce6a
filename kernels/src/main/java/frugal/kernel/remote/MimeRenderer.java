package frugal.kernel.remote;

import ai.djl.ndarray.NDArray;
import frugal.core.Display;
import frugal.core.Html;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a value into a MIME bundle, in the JVM where the value lives.
 *
 * <ul>
 *   <li>XChart charts and {@link RenderedImage}s (BufferedImage) become image/png;</li>
 *   <li>DJL {@link NDArray}s a compact HTML table with shape, dtype and device, plus a numpy-like repr;</li>
 *   <li>{@link Html} its HTML; lists of records or maps, and maps, an HTML table;</li>
 *   <li>a {@link Display.Handle} nothing (it was shown when it was made);</li>
 *   <li>everything else its text, as JShell would print it.</li>
 * </ul>
 * A value that fails to render shows its text and the reason, never an exception in place of output.
 */
public final class MimeRenderer {
    private MimeRenderer() {}

    public static MimeBundle render(Object value) {
        try {
            return renderOrThrow(value);
        } catch (RuntimeException | IOException | LinkageError e) {
            String text = safeText(value);
            return MimeBundle.text(text + "\n(could not render " + value.getClass().getName() + " richly: " + e + ")");
        }
    }

    private static MimeBundle renderOrThrow(Object value) throws IOException {
        if (value instanceof MimeBundle b) {
            return b;
        }
        if (value instanceof Display.Handle) {
            return MimeBundle.empty();
        }
        if (value instanceof Html h) {
            return MimeBundle.html(h.html(), h.text());
        }
        if (value instanceof Chart<?, ?> chart) {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : " '" + chart.getTitle() + "'";
            return MimeBundle.png(base64(png), chart.getWidth(), chart.getHeight(),
                    chart.getClass().getSimpleName() + title + " (" + chart.getWidth() + "x" + chart.getHeight() + ")");
        }
        if (value instanceof RenderedImage image) {
            return MimeBundle.png(png(image), image.getWidth(), image.getHeight(),
                    "image " + image.getWidth() + "x" + image.getHeight());
        }
        if (value instanceof NDArray array) {
            return NdArrayFormat.render(array);
        }
        if (value instanceof Collection<?> rows && Tables.isTable(rows)) {
            return Tables.rows(rows);
        }
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            return Tables.map(map);
        }
        return MimeBundle.text(TextFormat.value(value));
    }

    static String png(RenderedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer for this image type");
        }
        return base64(bytes.toByteArray());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String safeText(Object value) {
        try {
            return TextFormat.value(value);
        } catch (RuntimeException e) {
            return value.getClass().getName() + " (toString failed: " + e + ")";
        }
    }
}
