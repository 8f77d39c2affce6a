package frugal.distill;

import frugal.core.AtomicFiles;
import frugal.core.FrugalException;
import frugal.data.ImageSet;
import frugal.data.Normalization;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A distilled set on disk, readable by any tool: one 8-bit grey PNG per image ({@code 0000.png}, ...),
 * {@code labels.csv} ({@code file,label}) and {@code classes.txt} (one class name per line, line i = label
 * i). Every file is written atomically; labels.csv last, so a folder with labels.csv is complete.
 */
public final class DistilledSets {
    static final String LABELS = "labels.csv";
    static final String CLASSES = "classes.txt";

    private DistilledSets() {}

    /** Writes {@code set} into {@code dir} (created if needed); returns {@code dir}. */
    public static Path save(ImageSet set, Path dir) {
        StringBuilder labels = new StringBuilder("file,label\n");
        for (int i = 0; i < set.size(); i++) {
            String file = String.format(Locale.ROOT, "%04d.png", i);
            BufferedImage image = new BufferedImage(set.cols(), set.rows(), BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setPixels(0, 0, set.cols(), set.rows(), set.pixels(i));
            AtomicFiles.write(dir.resolve(file), out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer in this JVM");
                }
            });
            labels.append(file).append(',').append(set.label(i)).append('\n');
        }
        AtomicFiles.write(dir.resolve(CLASSES), (String.join("\n", set.classNames()) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve(LABELS), labels.toString().getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    /** Reads a set written by {@link #save}; its arrays are normalised with {@code normalization}. */
    public static ImageSet load(Path dir, Normalization normalization) {
        Path labelsFile = dir.resolve(LABELS);
        Path classesFile = dir.resolve(CLASSES);
        if (!Files.isRegularFile(labelsFile) || !Files.isRegularFile(classesFile)) {
            throw new FrugalException(dir + " is not a distilled set: it needs " + LABELS + " and " + CLASSES
                    + " (written by DistilledSets.save)");
        }
        try {
            List<String> classNames = Files.readAllLines(classesFile, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isEmpty()).toList();
            List<String> lines = Files.readAllLines(labelsFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals("file,label")) {
                throw new FrugalException(labelsFile + ": the first line must be the header 'file,label'");
            }
            List<int[]> pixels = new ArrayList<>();
            int[] labels = new int[lines.size() - 1];
            int rows = -1;
            int cols = -1;
            for (int i = 1; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",");
                if (cells.length != 2) {
                    throw new FrugalException(labelsFile + " line " + (i + 1) + ": expected 'file,label', got '"
                            + lines.get(i) + "'");
                }
                Path file = dir.resolve(cells[0]);
                BufferedImage image = ImageIO.read(file.toFile());
                if (image == null) {
                    throw new FrugalException(file + " is not a readable image");
                }
                if (rows < 0) {
                    rows = image.getHeight();
                    cols = image.getWidth();
                } else if (image.getHeight() != rows || image.getWidth() != cols) {
                    throw new FrugalException(file + " is " + image.getWidth() + "x" + image.getHeight()
                            + " but the set's images are " + cols + "x" + rows);
                }
                if (image.getRaster().getNumBands() != 1) {
                    throw new FrugalException(file + " has " + image.getRaster().getNumBands()
                            + " channels; a distilled set holds grey images");
                }
                pixels.add(image.getRaster().getPixels(0, 0, cols, rows, (int[]) null));
                try {
                    labels[i - 1] = Integer.parseInt(cells[1].trim());
                } catch (NumberFormatException e) {
                    throw new FrugalException(labelsFile + " line " + (i + 1) + ": label '" + cells[1]
                            + "' is not an integer");
                }
            }
            if (labels.length == 0) {
                throw new FrugalException(labelsFile + " lists no images");
            }
            byte[] bytes = new byte[labels.length * rows * cols];
            for (int i = 0; i < labels.length; i++) {
                int[] p = pixels.get(i);
                for (int j = 0; j < p.length; j++) {
                    bytes[i * p.length + j] = (byte) p[j];
                }
            }
            return ImageSet.of(dir.getFileName().toString(), rows, cols, bytes, labels, classNames, normalization);
        } catch (IOException e) {
            throw new FrugalException(dir + ": could not read the distilled set (" + e.getMessage() + ")", e);
        }
    }
}
