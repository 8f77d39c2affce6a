package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.data.ImageSet;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RealImagesTest {
    @Test
    void randomImagesAreIpcMajor() {
        ImageSet set = RealImages.random(DistillFixtures.train(), 3, 1);
        assertArrayEquals(RealImages.ipcMajorLabels(3, 10), set.labels());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, set.classCounts());
    }

    @Test
    void mediumImagesStartAtTheMedianAndAlternateAroundIt() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Teacher t = DistillFixtures.teacher(Architecture.convNet(1, 4), m);
            ImageSet train = DistillFixtures.train();
            ImageSet chosen = RealImages.medium(t, train, 3, 9, 5, m);
            assertArrayEquals(RealImages.ipcMajorLabels(3, 10), chosen.labels());
            // the pool is the same seeded draw; rank it again by hand
            ImageSet pool = train.subsetPerClass(9, 5);
            double[] p = RealImages.trueClassProbability(t, pool, m);
            double[] q = RealImages.trueClassProbability(t, chosen, m);
            for (int c = 0; c < 10; c++) {
                int label = c;
                double[] ranked = IntStream.range(0, pool.size()).filter(i -> pool.label(i) == label)
                        .mapToDouble(i -> p[i]).sorted().toArray();
                // 9 images: median index 4, then 5 (above), then 3 (below)
                assertEquals(ranked[4], q[c], 1e-6, "IPC index 0 of class " + c + " is the median");
                assertEquals(ranked[5], q[10 + c], 1e-6);
                assertEquals(ranked[3], q[20 + c], 1e-6);
            }
            assertThrows(FrugalException.class, () -> RealImages.medium(t, train, 3, 3, 5, m));
            assertEquals(30, Arrays.stream(chosen.classCounts()).sum());
        }
    }
}
