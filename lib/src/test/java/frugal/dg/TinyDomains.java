package frugal.dg;

import frugal.data.ImageSet;
import frugal.data.Normalization;
import java.util.List;
import java.util.Random;

/** Small generated image sets for the frugal.dg tests. */
final class TinyDomains {
    static final List<String> CLASSES = List.of("a", "b", "c");

    private TinyDomains() {}

    /** {@code n} random {@code size x size} images with labels i mod 3. */
    static ImageSet images(int n, int size, long seed) {
        var random = new Random(seed);
        byte[] pixels = new byte[n * size * size];
        random.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES.size();
        }
        return ImageSet.of("tiny", size, size, pixels, labels, CLASSES, Normalization.UNIT);
    }

    /**
     * Images whose class is visible (a bright bar whose row depends on the class, on noise), dealt into domains
     * rotated by {@code angles}: learnable in a few steps.
     */
    static DomainSet learnable(int n, List<Double> angles, long seed) {
        int size = 8;
        var random = new Random(seed);
        byte[] pixels = new byte[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(CLASSES.size());
            for (int p = 0; p < size * size; p++) {
                int row = p / size;
                int v = row == 1 + 3 * labels[i] ? 250 : random.nextInt(60);
                pixels[i * size * size + p] = (byte) v;
            }
        }
        ImageSet set = ImageSet.of("bars", size, size, pixels, labels, CLASSES, Normalization.UNIT);
        return RotatedFashionMnist.build(set, new RotatedFashionMnist.Config(angles, seed));
    }
}
