package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.CellThread;
import frugal.core.Engines;
import frugal.core.OneThreadEach;
import frugal.data.ImageSet;
import frugal.data.Normalization;
import frugal.nn.ConvNet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
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

    @Test
    void studentsTrainedSideBySideEqualStudentsTrainedOneAtATime() {
        // one shared teacher whose batch-statistics forward moves and restores its running statistics, and a
        // random crop: what DistillExperiment.evaluateAll runs two at a time
        Architecture tiny = Architecture.of(ConvNet.Config.batchNorm(1, 12, 2, 2, 8));
        var model = tiny.build(manager, new Shape(8, 1, 12, 12));
        model.freezeParameters(true);
        Teacher teacher = new Teacher(tiny, model, 0.5, 0, false);
        StudentConfig config = new StudentConfig(tiny, 30, 8, 3e-3, 0.01, 3, 2, Augment.cropFlipRoll(0.5, 1));
        ImageSet images = bars(8, 1);
        ImageSet test = bars(50, 2);
        List<Callable<Student.Result>> students = IntStream.range(0, 4).mapToObj(seed -> (Callable<Student.Result>)
                () -> Student.train(images, Labeler.of(teacher, seed % 2 == 0), config, test, 10 + seed, manager))
                .toList();
        List<Student.Result> oneAtATime = OneThreadEach.run(students, 1);
        List<Student.Result> sideBySide = OneThreadEach.run(students, 2);
        for (int i = 0; i < students.size(); i++) {
            assertEquals(oneAtATime.get(i).testAccuracy(), sideBySide.get(i).testAccuracy(), "student " + i);
            assertArrayEquals(oneAtATime.get(i).history().series("loss").y(),
                    sideBySide.get(i).history().series("loss").y(), "student " + i);
        }
    }
}
