package frugal.data;

import frugal.core.FrugalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 28x28 grey images of clothing in 10 classes, 60,000 to train
 * and 10,000 to test, read from the four IDX files of the Debian package
 * {@code dataset-fashion-mnist}.
 *
 * <p>{@link #load()} looks, in order, in {@code $FRUGAL_DATA/fashion-mnist}, {@code $FRUGAL_DATA},
 * {@code datasets/fashion-mnist} in the repository (found from the working directory upwards, or the
 * {@code frugal.repo} system property), then {@code /usr/share/datasets/fashion-mnist}. Each file may
 * be gzip-compressed ({@code .gz}) or raw. Typical use:
 * <pre>{@code
 * for (ImageBatch b : FashionMnist.load().train().batches(manager, 128, seed)) {
 *     try (b) { ... b.images() ... b.labels() ... }
 * }
 * }</pre>
 */
public final class FashionMnist {
    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * Mean and std of the 60,000 training images' pixels scaled to [0, 1] (0.28604, 0.35302, computed
     * from the files). Test images use the same, as the model must not see test statistics.
     */
    public static final Normalization NORMALIZATION = new Normalization(0.2860, 0.3530);

    /** Class names, indexed by label, as the data set's README gives them. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final int ROWS = 28;
    public static final int COLS = 28;

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private final Path dir;
    private final ImageSet train;
    private final ImageSet test;

    private FashionMnist(Path dir, ImageSet train, ImageSet test) {
        this.dir = dir;
        this.train = train;
        this.test = test;
    }

    /** Loads both splits from the first place that holds all four files (see the class comment). */
    public static FashionMnist load() {
        return load(find(DataDirs.candidates("fashion-mnist", DEBIAN_DIR)));
    }

    /** Loads both splits from {@code dir}, which must hold the four IDX files. */
    public static FashionMnist load(Path dir) {
        String lack = missing(dir);
        if (lack != null) {
            throw new FrugalException("Fashion-MNIST: " + dir + ": " + lack
                    + "; expected the four IDX files of `sudo apt-get install dataset-fashion-mnist`");
        }
        return new FashionMnist(dir, read(dir, "Fashion-MNIST train", TRAIN_IMAGES, TRAIN_LABELS),
                read(dir, "Fashion-MNIST test", TEST_IMAGES, TEST_LABELS));
    }

    static Path find(List<Path> candidates) {
        return DataDirs.find("Fashion-MNIST", candidates, FashionMnist::missing,
                "sudo apt-get install dataset-fashion-mnist");
    }

    /** The folder the files were read from. */
    public Path dir() {
        return dir;
    }

    /** The 60,000 training images, normalized with {@link #NORMALIZATION}. */
    public ImageSet train() {
        return train;
    }

    /** The 10,000 test images, normalized with {@link #NORMALIZATION}. */
    public ImageSet test() {
        return test;
    }

    @Override
    public String toString() {
        return "Fashion-MNIST from " + dir + ": " + train.size() + " train, " + test.size() + " test";
    }

    private static ImageSet read(Path dir, String name, String imagesFile, String labelsFile) {
        IdxFile images = IdxFile.read(file(dir, imagesFile), 3);
        IdxFile labels = IdxFile.read(file(dir, labelsFile), 1);
        int[] d = images.dims();
        if (d[1] != ROWS || d[2] != COLS) {
            throw new FrugalException(images.name() + ": images are " + d[1] + "x" + d[2] + ", Fashion-MNIST's are "
                    + ROWS + "x" + COLS);
        }
        if (d[0] != labels.dims()[0]) {
            throw new FrugalException(name + ": " + images.name() + " holds " + d[0] + " images but "
                    + labels.name() + " holds " + labels.dims()[0] + " labels");
        }
        byte[] raw = labels.sharedData();
        int[] y = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            y[i] = raw[i] & 0xFF;
        }
        return ImageSet.checked(name, ROWS, COLS, images.sharedData(), y, CLASS_NAMES, NORMALIZATION);
    }

    // the gzip file when present, else the raw one
    private static Path file(Path dir, String stem) {
        Path gz = dir.resolve(stem + ".gz");
        return Files.isRegularFile(gz) ? gz : dir.resolve(stem);
    }

    private static String missing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "no such folder";
        }
        var lacking = new ArrayList<String>();
        for (String stem : FILES) {
            if (!Files.isRegularFile(file(dir, stem))) {
                lacking.add(stem + "[.gz]");
            }
        }
        return lacking.isEmpty() ? null : "no " + String.join(", ", lacking);
    }
}
