package frugal.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A labelled set of grey images kept as raw bytes in Java arrays (one byte per pixel, so all of
 * Fashion-MNIST costs 55 MB); NDArrays are made only for the batches asked for.
 *
 * <p>Immutable: {@link #subset}, {@link #shuffled} and {@link #split} return new sets. Every random
 * choice takes a seed, and the same seed gives the same images in the same order.
 */
public final class ImageSet {
    private final String name;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private final Normalization normalization;

    private ImageSet(String name, int rows, int cols, byte[] pixels, int[] labels, List<String> classNames,
            Normalization normalization) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = classNames;
        this.normalization = normalization;
    }

    /**
     * An image set from raw pixels ({@code labels.length * rows * cols} bytes, image after image, row
     * by row) and labels in {@code [0, classNames.size())}. The arrays are copied.
     */
    public static ImageSet of(String name, int rows, int cols, byte[] pixels, int[] labels,
            List<String> classNames, Normalization normalization) {
        return checked(name, rows, cols, pixels.clone(), labels.clone(), List.copyOf(classNames), normalization);
    }

    // without copies, for this package's loaders that own the arrays
    static ImageSet checked(String name, int rows, int cols, byte[] pixels, int[] labels, List<String> classNames,
            Normalization normalization) {
        if (rows <= 0 || cols <= 0) {
            throw new FrugalException(name + ": image size must be positive, got " + rows + "x" + cols);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new FrugalException(name + ": " + labels.length + " labels need " + (long) labels.length * rows * cols
                    + " pixel bytes for " + rows + "x" + cols + " images, got " + pixels.length
                    + "; do the image and label files belong together?");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new FrugalException(name + ": label " + labels[i] + " of image " + i + " is outside [0, "
                        + classNames.size() + ")");
            }
        }
        return new ImageSet(name, rows, cols, pixels, labels, classNames, normalization);
    }

    public String name() {
        return name;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Class names, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    public int label(int index) {
        return labels[checkIndex(index)];
    }

    /** A copy of all labels, in set order. */
    public int[] labels() {
        return labels.clone();
    }

    /** How many images each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The pixel bytes of one image as unsigned values {@code 0..255}, row by row. */
    public int[] pixels(int index) {
        int offset = checkIndex(index) * rows * cols;
        int[] p = new int[rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = pixels[offset + i] & 0xFF;
        }
        return p;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The same images, normalized differently when made into NDArrays. */
    public ImageSet withNormalization(Normalization n) {
        return new ImageSet(name, rows, cols, pixels, labels, classNames, n);
    }

    /** The same images with pixels in {@code [0, 1]} ({@link Normalization#UNIT}). */
    public ImageSet unitRange() {
        return withNormalization(Normalization.UNIT);
    }

    /** The images at {@code indices}, in that order (an index may repeat). */
    public ImageSet subset(int[] indices) {
        int n = rows * cols;
        byte[] p = new byte[indices.length * n];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int k = checkIndex(indices[i]);
            System.arraycopy(pixels, k * n, p, i * n, n);
            l[i] = labels[k];
        }
        return new ImageSet(name, rows, cols, p, l, classNames, normalization);
    }

    /**
     * {@code perClass} images of every class, chosen at random by {@code seed}, kept in set order.
     * Fails when a class has fewer images than asked for.
     */
    public ImageSet subsetPerClass(int perClass, long seed) {
        if (perClass <= 0) {
            throw new FrugalException("images per class must be positive, got " + perClass);
        }
        int[] counts = classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < perClass) {
                throw new FrugalException(name + ": class " + c + " (" + classNames.get(c) + ") has only " + counts[c]
                        + " images, asked for " + perClass + " per class");
            }
        }
        int[] taken = new int[numClasses()];
        int[] chosen = new int[perClass * numClasses()];
        int n = 0;
        for (int i : Shuffle.permutation(size(), seed)) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                chosen[n++] = i;
            }
        }
        Arrays.sort(chosen);
        return subset(chosen);
    }

    /** All images in an order fixed by {@code seed}. */
    public ImageSet shuffled(long seed) {
        return subset(Shuffle.permutation(size(), seed));
    }

    /** A random split by {@code seed}: {@code trainFraction} of the images to train, the rest to val. */
    public Split<ImageSet> split(double trainFraction, long seed) {
        Split<int[]> s = Split.indices(size(), trainFraction, seed);
        return new Split<>(subset(s.train()), subset(s.val()));
    }

    /** All images as float32 {@code N x 1 x rows x cols}, normalized, on {@code manager}. */
    public NDArray images(NDManager manager) {
        return images(manager, range(0, size()));
    }

    /** The images at {@code indices} as float32 {@code N x 1 x rows x cols}, normalized. */
    public NDArray images(NDManager manager, int[] indices) {
        float[] table = normalization.table();
        int n = rows * cols;
        float[] x = new float[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            int offset = checkIndex(indices[i]) * n;
            for (int j = 0; j < n; j++) {
                x[i * n + j] = table[pixels[offset + j] & 0xFF];
            }
        }
        return manager.create(x, new Shape(indices.length, 1, rows, cols));
    }

    /** The labels at {@code indices} as int64 {@code N}. */
    public NDArray labels(NDManager manager, int[] indices) {
        long[] y = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            y[i] = labels[checkIndex(indices[i])];
        }
        return manager.create(y, new Shape(indices.length));
    }

    /** How many batches one pass yields. */
    public int batchCount(int batchSize, boolean dropLast) {
        checkBatchSize(batchSize, dropLast);
        return dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize;
    }

    /**
     * One shuffled pass over the set in batches, the last one possibly smaller. Each batch lives in a
     * child of {@code manager}; close it when done with it. Use {@code seed + epoch} for a new order
     * each epoch: iterating the same batches again repeats the same order.
     */
    public Iterable<ImageBatch> batches(NDManager manager, int batchSize, long seed) {
        return batches(manager, batchSize, seed, false);
    }

    /** As {@link #batches(NDManager, int, long)}; {@code dropLast} skips a last, smaller batch. */
    public Iterable<ImageBatch> batches(NDManager manager, int batchSize, long seed, boolean dropLast) {
        int count = batchCount(batchSize, dropLast);
        return () -> new Batches(manager, Shuffle.permutation(size(), seed), batchSize, count);
    }

    /**
     * The batch a step-indexed training loop (such as {@code frugal.train.BatchSource}) sees at
     * {@code step}: full batches only, epoch {@code e = step / batchCount(batchSize, true)} being the
     * pass {@code batches(manager, batchSize, StepRandom.mix(seed, e), true)}. A pure function of its
     * arguments, so a resumed run sees the same batches. The batch lives in a child of {@code manager}.
     */
    public ImageBatch batchAt(NDManager manager, long step, int batchSize, long seed) {
        if (step < 0) {
            throw new FrugalException("step must be >= 0, got " + step);
        }
        int perEpoch = batchCount(batchSize, true);
        int[] order = Shuffle.permutation(size(), StepRandom.mix(seed, step / perEpoch));
        int from = (int) (step % perEpoch) * batchSize;
        return batch(manager, Arrays.copyOfRange(order, from, from + batchSize));
    }

    /** One pass in set order, for evaluation; the last batch may be smaller. */
    public Iterable<ImageBatch> batchesInOrder(NDManager manager, int batchSize) {
        int count = batchCount(batchSize, false);
        return () -> new Batches(manager, range(0, size()), batchSize, count);
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images " + rows + "x" + cols + ", " + numClasses() + " classes";
    }

    private final class Batches implements Iterator<ImageBatch> {
        private final NDManager manager;
        private final int[] order;
        private final int batchSize;
        private final int count;
        private int next;

        Batches(NDManager manager, int[] order, int batchSize, int count) {
            this.manager = manager;
            this.order = order;
            this.batchSize = batchSize;
            this.count = count;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public ImageBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int from = next++ * batchSize;
            return batch(manager, Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length)));
        }
    }

    private ImageBatch batch(NDManager parent, int[] indices) {
        NDManager manager = parent.newSubManager();
        return new ImageBatch(manager, images(manager, indices), labels(manager, indices), indices);
    }

    private void checkBatchSize(int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new FrugalException("batch size must be positive, got " + batchSize);
        }
        if (dropLast && batchSize > size()) {
            throw new FrugalException(name + ": batch size " + batchSize + " is larger than the " + size()
                    + " images, so dropping the last batch leaves none; use a smaller batch");
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= labels.length) {
            throw new FrugalException(name + ": image index " + index + " is outside [0, " + labels.length + ")");
        }
        return index;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
