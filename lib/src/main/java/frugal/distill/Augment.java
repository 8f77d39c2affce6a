package frugal.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import java.util.Random;

/**
 * The random augmentations of recover and of student training, differentiable with respect to the
 * pixels: torchvision's RandomResizedCrop (scale in {@code [minScale, maxScale]}, aspect ratio in
 * [3/4, 4/3], bilinear resize back to full size), a horizontal flip with probability 1/2, then
 * {@code torch.roll} by a random 0..maxShift pixels along each axis (SRe2L's "jitter").
 *
 * <p>All three are linear maps of each image that act on rows and columns separately, so an image
 * {@code X} becomes {@code R X C^T} with a per-image row matrix R and column matrix C built here in Java;
 * the batch is then two batched matrix products, with gradients flowing back to the pixels.
 *
 * @param minScale smallest crop area as a fraction of the image (0.08 in SRe2L++ and CV-DD)
 * @param maxScale largest crop area fraction (1 = the whole image may be kept)
 * @param flip flip horizontally with probability 1/2
 * @param maxShift roll by 0..maxShift pixels (inclusive) down and right, wrapping around; 0 for none
 */
public record Augment(double minScale, double maxScale, boolean flip, int maxShift) {
    private static final double LOG_MIN_RATIO = Math.log(3.0 / 4.0);
    private static final double LOG_MAX_RATIO = Math.log(4.0 / 3.0);

    public Augment {
        if (!(minScale > 0) || !(minScale <= maxScale) || !(maxScale <= 1)) {
            throw new FrugalException("Augment needs 0 < minScale <= maxScale <= 1, got " + minScale + ", " + maxScale);
        }
        if (maxShift < 0) {
            throw new FrugalException("Augment maxShift must be >= 0 pixels, got " + maxShift);
        }
    }

    /** The identity. */
    public static Augment none() {
        return new Augment(1, 1, false, 0);
    }

    /** Only SRe2L's small random roll (its CIFAR setting). */
    public static Augment roll(int maxShift) {
        return new Augment(1, 1, false, maxShift);
    }

    /** Random resized crop with area in [minScale, 1], flip, roll (SRe2L++ / CV-DD / DELT recover). */
    public static Augment cropFlipRoll(double minScale, int maxShift) {
        return new Augment(minScale, 1, true, maxShift);
    }

    /** This augmentation with another smallest crop area (DELT's easy-to-hard schedule changes it per step). */
    public Augment withMinScale(double scale) {
        return new Augment(scale, Math.max(scale, maxScale), flip, maxShift);
    }

    /**
     * Augments {@code images} (N x C x H x W), each image with its own random draw. The result is on
     * {@code manager} and differentiable with respect to {@code images}.
     */
    public NDArray apply(NDArray images, Random random, NDManager manager) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4) {
            throw new FrugalException("Augment expects images of shape N x C x H x W, got " + shape);
        }
        int n = (int) shape.get(0);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        float[] rows = new float[n * h * h];
        float[] colsT = new float[n * w * w];
        for (int i = 0; i < n; i++) {
            int[] box = cropBox(h, w, random);
            boolean flipped = flip && random.nextBoolean();
            int shiftRows = maxShift == 0 ? 0 : random.nextInt(maxShift + 1);
            int shiftCols = maxShift == 0 ? 0 : random.nextInt(maxShift + 1);
            float[][] r = roll(resample(box[0], box[2], h), shiftRows);
            float[][] c = resample(box[1], box[3], w);
            if (flipped) {
                c = reversed(c);
            }
            c = roll(c, shiftCols);
            for (int o = 0; o < h; o++) {
                System.arraycopy(r[o], 0, rows, (i * h + o) * h, h);
            }
            for (int o = 0; o < w; o++) {
                for (int x = 0; x < w; x++) {
                    colsT[(i * w + x) * w + o] = c[o][x]; // transposed: (source column, output column)
                }
            }
        }
        NDArray r = manager.create(rows, new Shape(n, 1, h, h));
        NDArray cT = manager.create(colsT, new Shape(n, 1, w, w));
        return r.matMul(images).matMul(cT);
    }

    /** {top, left, height, width} of a random crop, as torchvision's RandomResizedCrop.get_params. */
    int[] cropBox(int h, int w, Random random) {
        if (minScale == 1) {
            return new int[] {0, 0, h, w};
        }
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + (maxScale - minScale) * random.nextDouble());
            double ratio = Math.exp(LOG_MIN_RATIO + (LOG_MAX_RATIO - LOG_MIN_RATIO) * random.nextDouble());
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                return new int[] {random.nextInt(h - ch + 1), random.nextInt(w - cw + 1), ch, cw};
            }
        }
        return new int[] {0, 0, h, w}; // torchvision's fallback for square images: the whole image
    }

    /**
     * The size x size matrix that resizes the {@code length} pixels from {@code start} to {@code size}
     * pixels, bilinear with half-pixel centres (PyTorch's align_corners=False, negative sources clamped to 0).
     */
    static float[][] resample(int start, int length, int size) {
        float[][] m = new float[size][size];
        double scale = (double) length / size;
        for (int o = 0; o < size; o++) {
            double src = Math.max(0, (o + 0.5) * scale - 0.5);
            int i0 = Math.min((int) src, length - 1);
            int i1 = Math.min(i0 + 1, length - 1);
            float f = (float) (src - i0);
            m[o][start + i0] += 1 - f;
            m[o][start + i1] += f;
        }
        return m;
    }

    /** Rows moved down by {@code shift}, wrapping around (torch.roll on that axis). */
    static float[][] roll(float[][] m, int shift) {
        if (shift == 0) {
            return m;
        }
        int size = m.length;
        float[][] out = new float[size][];
        for (int o = 0; o < size; o++) {
            out[Math.floorMod(o + shift, size)] = m[o];
        }
        return out;
    }

    private static float[][] reversed(float[][] m) {
        float[][] out = new float[m.length][];
        for (int o = 0; o < m.length; o++) {
            out[o] = m[m.length - 1 - o];
        }
        return out;
    }
}
