package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.core.CellThread;
import frugal.core.Engines;
import frugal.data.ImageSet;
import frugal.data.Normalization;
import frugal.nn.ConvNet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StudentTest {
    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** Two classes of 12x12 images: a bright bar in the top half (class 0) or the bottom half (class 1). */
    static ImageSet bars(int perClass, long seed) {
        Random r = new Random(seed);
        int n = 2 * perClass;
        byte[] pixels = new byte[n * 144];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int row = labels[i] == 0 ? 1 + r.nextInt(4) : 7 + r.nextInt(4);
            for (int p = 0; p < 144; p++) {
                int noise = r.nextInt(40);
                pixels[i * 144 + p] = (byte) (p / 12 == row ? 255 - noise : noise);
            }
        }
        return ImageSet.of("bars", 12, 12, pixels, labels, List.of("top", "bottom"), new Normalization(0.2, 0.3));
    }

    private static StudentConfig config() {
        Architecture tiny = Architecture.of(ConvNet.Config.batchNorm(1, 12, 2, 2, 8));
        return new StudentConfig(tiny, 60, 8, 3e-3, 0.01, 3, 2, Augment.none());
    }

    @Test
    void hardLabelStudentLearnsATrivialSet() {
        Student.Result r = CellThread.call(
                () -> Student.train(bars(8, 1), null, config(), bars(100, 2), 7, manager));
        assertTrue(r.testAccuracy() >= 0.95, "accuracy " + r.testAccuracy());
        assertTrue(r.history().series("loss").y()[59] < r.history().series("loss").y()[0]);
    }

    @Test
    void softLabelStudentLearnsFromALabelerThatReadsTheImage() {
        // logits from the brightness of the top half against the bottom half: a perfect "teacher"
        Labeler labeler = images -> {
            long n = images.getShape().get(0);
            var top = images.get(":, :, 0:6, :").reshape(n, -1).mean(new int[] {1});
            var bottom = images.get(":, :, 6:12, :").reshape(n, -1).mean(new int[] {1});
            return top.sub(bottom).mul(20).stack(bottom.sub(top).mul(20), 1);
        };
        Student.Result r = Student.train(bars(8, 1), labeler, config(), bars(100, 2), 7, manager);
        assertTrue(r.testAccuracy() >= 0.95, "accuracy " + r.testAccuracy());
    }
}
