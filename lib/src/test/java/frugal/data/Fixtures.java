package frugal.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny data sets written into a test's temporary folder, so no test needs the real files. */
final class Fixtures {
    private Fixtures() {}

    /** The pixel at {@code p} of image {@code i}: every image differs, values cover 0..255. */
    static int pixel(int i, int p) {
        return (i * 37 + p * 11) % 256;
    }

    /** The label of image {@code i}: classes in turn, so n images give n/10 per class. */
    static int label(int i) {
        return i % 10;
    }

    /** A Fashion-MNIST folder of gzip IDX files: {@code train} and {@code test} 28x28 images. */
    static Path fashionMnist(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        write(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, train);
        write(dir, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, test);
        return dir;
    }

    private static void write(Path dir, String images, String labels, int n) {
        int size = FashionMnist.ROWS * FashionMnist.COLS;
        byte[] pixels = new byte[n * size];
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < size; p++) {
                pixels[i * size + p] = (byte) pixel(i, p);
            }
            y[i] = (byte) label(i);
        }
        IdxFile.write(dir.resolve(images + ".gz"), new int[] {n, FashionMnist.ROWS, FashionMnist.COLS}, pixels);
        IdxFile.write(dir.resolve(labels + ".gz"), new int[] {n}, y);
    }
}
