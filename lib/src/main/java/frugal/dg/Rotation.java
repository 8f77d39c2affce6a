package frugal.dg;

import frugal.core.FrugalException;
import frugal.data.ImageSet;

/**
 * Rotation of grey images about their centre, as torchvision's {@code rotate} does for DomainBed's
 * RotatedMNIST: a positive angle turns the picture counter-clockwise, pixels are sampled bilinearly, and
 * pixels that come from outside the image are filled with 0.
 *
 * <p>The centre is the middle of the pixel grid ({@code (size - 1) / 2} in pixel indices), so a quarter
 * turn of a square image maps pixels onto pixels and four of them give the image back exactly.
 */
public final class Rotation {
    private final int rows;
    private final int cols;
    // for output pixel p: the four source pixels (row-major index, -1 when outside) and their weights
    private final int[] source;
    private final double[] weight;

    private Rotation(int rows, int cols, double degrees) {
        if (rows <= 0 || cols <= 0) {
            throw new FrugalException("rotation needs a positive image size, got " + rows + "x" + cols);
        }
        if (!Double.isFinite(degrees)) {
            throw new FrugalException("rotation angle must be finite, got " + degrees);
        }
        this.rows = rows;
        this.cols = cols;
        source = new int[4 * rows * cols];
        weight = new double[4 * rows * cols];
        double theta = Math.toRadians(degrees);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double cx = (cols - 1) / 2.0;
        double cy = (rows - 1) / 2.0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // inverse map: the output pixel shows the source point rotated clockwise by theta (rows grow down)
                double dx = c - cx;
                double dy = r - cy;
                double sx = cx + dx * cos - dy * sin;
                double sy = cy + dx * sin + dy * cos;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                int k = 4 * (r * cols + c);
                set(k, y0, x0, (1 - fy) * (1 - fx));
                set(k + 1, y0, x0 + 1, (1 - fy) * fx);
                set(k + 2, y0 + 1, x0, fy * (1 - fx));
                set(k + 3, y0 + 1, x0 + 1, fy * fx);
            }
        }
    }

    /** The rotation by {@code degrees} (counter-clockwise) of {@code rows x cols} images. */
    public static Rotation of(int rows, int cols, double degrees) {
        return new Rotation(rows, cols, degrees);
    }

    /** Every image of {@code set} rotated by {@code degrees}, labels and normalization kept, named {@code name}. */
    public static ImageSet rotate(ImageSet set, double degrees, String name) {
        Rotation rotation = of(set.rows(), set.cols(), degrees);
        int n = set.rows() * set.cols();
        byte[] pixels = new byte[set.size() * n];
        for (int i = 0; i < set.size(); i++) {
            System.arraycopy(rotation.apply(set.pixels(i)), 0, pixels, i * n, n);
        }
        return ImageSet.of(name, set.rows(), set.cols(), pixels, set.labels(), set.classNames(), set.normalization());
    }

    /** One image of unsigned pixel values {@code 0..255}, row by row, rotated and rounded back to bytes. */
    public byte[] apply(int[] pixels) {
        if (pixels.length != rows * cols) {
            throw new FrugalException("rotation of " + rows + "x" + cols + " images got " + pixels.length + " pixels");
        }
        byte[] out = new byte[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
            double v = 0;
            for (int k = 4 * p; k < 4 * p + 4; k++) {
                if (source[k] >= 0) {
                    v += weight[k] * pixels[source[k]];
                }
            }
            out[p] = (byte) Math.min(255, Math.max(0, Math.round(v)));
        }
        return out;
    }

    private void set(int k, int y, int x, double w) {
        boolean inside = y >= 0 && y < rows && x >= 0 && x < cols;
        source[k] = inside ? y * cols + x : -1;
        weight[k] = w;
    }
}
