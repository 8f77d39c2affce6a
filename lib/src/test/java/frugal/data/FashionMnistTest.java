package frugal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fashion-MNIST loading and batching on a tiny generated copy (30 train, 20 test images). */
class FashionMnistTest {
    private static final int TRAIN = 30;
    private static final int TEST = 20;

    @TempDir
    Path tmp;

    private FashionMnist data;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @BeforeEach
    void load() throws IOException {
        data = FashionMnist.load(Fixtures.fashionMnist(tmp.resolve("fashion-mnist"), TRAIN, TEST));
    }

    @Test
    void loadsSizesLabelsAndClassNames() {
        ImageSet train = data.train();
        assertEquals(TRAIN, train.size());
        assertEquals(TEST, data.test().size());
        assertEquals(10, train.numClasses());
        assertEquals("Ankle boot", train.classNames().get(9));
        int[] threeEach = new int[10];
        Arrays.fill(threeEach, 3);
        assertArrayEquals(threeEach, train.classCounts());
        for (int i = 0; i < TRAIN; i++) {
            assertEquals(Fixtures.label(i), train.label(i));
        }
        assertEquals(Fixtures.pixel(7, 100), train.pixels(7)[100]);
    }

    @Test
    void makesNormalizedFloatImagesAndInt64Labels() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] idx = {4, 0};
            var x = data.train().images(m, idx);
            assertEquals(new Shape(2, 1, 28, 28), x.getShape());
            assertEquals(DataType.FLOAT32, x.getDataType());
            float[] v = x.toFloatArray();
            var n = FashionMnist.NORMALIZATION;
            assertEquals((Fixtures.pixel(4, 30) / 255.0 - n.mean()) / n.std(), v[30], 1e-5);
            assertEquals((Fixtures.pixel(0, 783) / 255.0 - n.mean()) / n.std(), v[784 + 783], 1e-5);

            float[] unit = data.train().unitRange().images(m, idx).toFloatArray();
            assertEquals(Fixtures.pixel(4, 30) / 255.0, unit[30], 1e-6);
            for (float u : unit) {
                assertTrue(u >= 0 && u <= 1);
            }
            var y = data.train().labels(m, idx);
            assertEquals(DataType.INT64, y.getDataType());
            assertArrayEquals(new long[] {4, 0}, y.toLongArray());
        }
    }

    @Test
    void shuffledBatchesCoverTheSetOnceAndDependOnlyOnTheSeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageSet train = data.train();
            List<int[]> a = indices(train.batches(m, 8, 1));
            assertEquals(List.of(8, 8, 8, 6), a.stream().map(b -> b.length).toList());
            int[] all = a.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(IntStream.range(0, TRAIN).toArray(), all);
            assertTrue(sameBatches(a, indices(train.batches(m, 8, 1))), "same seed, same order");
            assertFalse(sameBatches(a, indices(train.batches(m, 8, 2))), "another seed, another order");

            List<int[]> dropped = indices(train.batches(m, 8, 1, true));
            assertEquals(3, dropped.size());
            assertEquals(3, train.batchCount(8, true));
            assertEquals(4, train.batchCount(8, false));
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, indices(train.batchesInOrder(m, 8)).get(0));
        }
    }

    @Test
    void stepIndexedBatchesWalkSeededEpochs() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageSet train = data.train();
            // 30 images in batches of 8: 3 full batches per epoch, the last 6 images of each order unused
            for (int epoch = 0; epoch < 2; epoch++) {
                List<int[]> pass = indices(train.batches(m, 8, StepRandom.mix(4, epoch), true));
                for (int b = 0; b < 3; b++) {
                    try (ImageBatch batch = train.batchAt(m, epoch * 3 + b, 8, 4)) {
                        assertArrayEquals(pass.get(b), batch.indices(), "epoch " + epoch + ", batch " + b);
                    }
                }
            }
            try (ImageBatch a = train.batchAt(m, 1, 8, 4); ImageBatch b = train.batchAt(m, 4, 8, 4)) {
                assertFalse(Arrays.equals(a.indices(), b.indices()), "epochs are shuffled differently");
            }
        }
    }

    @Test
    void eachBatchHoldsItsImagesAndLabelsInItsOwnManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (ImageBatch b : data.test().batches(m, 16, 5)) {
                try (b) {
                    assertEquals(new Shape(b.size(), 1, 28, 28), b.images().getShape());
                    long[] labels = b.labels().toLongArray();
                    for (int i = 0; i < b.size(); i++) {
                        assertEquals(Fixtures.label(b.indices()[i]), labels[i]);
                    }
                }
                assertFalse(b.manager().isOpen(), "closing the batch frees its arrays");
            }
        }
    }

    @Test
    void subsetsPerClassAreBalancedAndSeeded() {
        ImageSet train = data.train();
        ImageSet two = train.subsetPerClass(2, 7);
        assertEquals(20, two.size());
        for (int c : two.classCounts()) {
            assertEquals(2, c);
        }
        assertArrayEquals(two.labels(), train.subsetPerClass(2, 7).labels());
        assertFalse(Arrays.equals(pixels(two), pixels(train.subsetPerClass(2, 8))), "another seed, other images");
        var e = assertThrows(FrugalException.class, () -> train.subsetPerClass(4, 7));
        assertTrue(e.getMessage().contains("class 0 (T-shirt/top) has only 3 images, asked for 4"), e.getMessage());

        ImageSet picked = train.subset(new int[] {5, 2});
        assertArrayEquals(new int[] {5, 2}, picked.labels());
        assertArrayEquals(train.pixels(5), picked.pixels(0));
        assertEquals(Arrays.toString(train.shuffled(3).labels()), Arrays.toString(train.shuffled(3).labels()));
    }

    @Test
    void splitsBySeed() {
        Split<ImageSet> s = data.train().split(0.8, 11);
        assertEquals(24, s.train().size());
        assertEquals(6, s.val().size());
        assertArrayEquals(s.val().labels(), data.train().split(0.8, 11).val().labels());
    }

    @Test
    void buildsAnImageSetFromGeneratedPixelsAndChecksIt() {
        byte[] pixels = {0, (byte) 255, 10, 20, 30, 40, 50, 60};
        ImageSet s = ImageSet.of("generated", 2, 2, pixels, new int[] {1, 0}, List.of("a", "b"), Normalization.UNIT);
        pixels[0] = 99;
        assertArrayEquals(new int[] {0, 255, 10, 20}, s.pixels(0), "the pixels were copied");
        var e = assertThrows(FrugalException.class,
                () -> ImageSet.of("generated", 2, 2, pixels, new int[] {1, 2}, List.of("a", "b"), Normalization.UNIT));
        assertTrue(e.getMessage().contains("label 2 of image 1 is outside [0, 2)"), e.getMessage());
        e = assertThrows(FrugalException.class,
                () -> ImageSet.of("generated", 2, 2, pixels, new int[] {1}, List.of("a", "b"), Normalization.UNIT));
        assertTrue(e.getMessage().contains("1 labels need 4 pixel bytes for 2x2 images, got 8"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Path dir = data.dir();
        Files.delete(dir.resolve(FashionMnist.TEST_LABELS + ".gz"));
        var e = assertThrows(FrugalException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("no t10k-labels-idx1-ubyte[.gz]"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void mismatchedImageAndLabelFilesAreAnError() {
        IdxFile.write(data.dir().resolve(FashionMnist.TEST_LABELS + ".gz"), new int[] {3}, new byte[3]);
        var e = assertThrows(FrugalException.class, () -> FashionMnist.load(data.dir()));
        assertTrue(e.getMessage().contains("holds 20 images but t10k-labels-idx1-ubyte.gz holds 3 labels"),
                e.getMessage());
    }

    @Test
    void searchesFrugalDataThenRepositoryThenDebian() throws IOException {
        Path env = tmp.resolve("env");
        Path repo = tmp.resolve("repo");
        Path debian = tmp.resolve("debian");
        List<Path> places = DataDirs.candidates("fashion-mnist", env.toString(), Optional.of(repo), debian);
        assertEquals(List.of(env.resolve("fashion-mnist"), env, repo.resolve("datasets/fashion-mnist"), debian),
                places);

        var e = assertThrows(FrugalException.class, () -> FashionMnist.find(places));
        for (Path p : places) {
            assertTrue(e.getMessage().contains(p.toString()), "lists " + p + ": " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());

        Fixtures.fashionMnist(debian, 10, 10);
        assertEquals(debian, FashionMnist.find(places));
        Fixtures.fashionMnist(repo.resolve("datasets/fashion-mnist"), 10, 10);
        assertEquals(repo.resolve("datasets/fashion-mnist"), FashionMnist.find(places));
    }

    private static List<int[]> indices(Iterable<ImageBatch> batches) {
        var out = new ArrayList<int[]>();
        for (ImageBatch b : batches) {
            try (b) {
                out.add(b.indices());
            }
        }
        return out;
    }

    private static boolean sameBatches(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int[] pixels(ImageSet s) {
        return IntStream.range(0, s.size()).flatMap(i -> Arrays.stream(s.pixels(i))).toArray();
    }
}
