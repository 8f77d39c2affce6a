package frugal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST files of the Debian package; skipped only when the package is absent. */
class FashionMnistRealDataTest {
    private static FashionMnist data;

    @BeforeAll
    static void load() {
        assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR),
                "dataset-fashion-mnist is not installed (sudo apt-get install dataset-fashion-mnist)");
        data = FashionMnist.load(FashionMnist.DEBIAN_DIR);
    }

    @Test
    void hasSixtyThousandTrainAndTenThousandTestImagesBalancedOverTenClasses() {
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        int[] train = new int[10];
        Arrays.fill(train, 6_000);
        assertArrayEquals(train, data.train().classCounts());
        int[] test = new int[10];
        Arrays.fill(test, 1_000);
        assertArrayEquals(test, data.test().classCounts());
    }

    @Test
    void documentedNormalizationCentresTheTrainingPixels() {
        ImageSet train = data.train();
        double sum = 0;
        double sq = 0;
        long n = 0;
        // every 10th image: enough to pin the mean and std to about 0.003
        for (int i = 0; i < train.size(); i += 10) {
            for (int p : train.pixels(i)) {
                double x = p / 255.0;
                sum += x;
                sq += x * x;
                n++;
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(sq / n - mean * mean);
        assertEquals(FashionMnist.NORMALIZATION.mean(), mean, 0.005);
        assertEquals(FashionMnist.NORMALIZATION.std(), std, 0.005);
    }

    @Test
    void firstBatchHasTheNotebookShape() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            try (ImageBatch b = data.train().batches(m, 128, 0).iterator().next()) {
                assertEquals(new Shape(128, 1, 28, 28), b.images().getShape());
                assertEquals(new Shape(128), b.labels().getShape());
            }
        }
    }
}
