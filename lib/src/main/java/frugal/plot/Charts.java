package frugal.plot;

import frugal.core.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Charts and images as PNG: bytes for notebooks and reports, files written atomically. */
public final class Charts {
    static {
        Theme.headless();
    }

    private Charts() {}

    /** The chart rendered at its own size. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        return png(image(chart));
    }

    /** The image as PNG bytes. */
    public static byte[] png(RenderedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves the chart as a PNG file, atomically. */
    public static void save(Chart<?, ?> chart, Path file) {
        AtomicFiles.write(file, png(chart));
    }

    /** Saves the image as a PNG file, atomically. */
    public static void save(RenderedImage image, Path file) {
        AtomicFiles.write(file, png(image));
    }
}
