package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
    @Test
    void pcaFindsTheDirectionOfLargestSpread() {
        // points along (1, 2, 0) with a little spread along (0, 0, 1)
        double[][] points = new double[20][];
        for (int i = 0; i < points.length; i++) {
            double t = i - 9.5;
            points[i] = new double[] {1 + t, 2 + 2 * t, (i % 2 == 0 ? 0.1 : -0.1)};
        }
        Embedding pca = Embedding.pca(points);
        double[] first = pca.components()[0];
        assertEquals(1, Math.abs(first[0] + 2 * first[1]) / Math.sqrt(5), 1e-5);
        assertEquals(1, Math.abs(pca.components()[1][2]), 1e-5);
        double[][] projected = pca.project(new double[][] {pca.mean()});
        assertEquals(0, projected[0][0], 1e-12);
        assertEquals(0, projected[0][1], 1e-12);
        var chart = Embedding.chart("t", pca.project(points), new int[20], pca.project(points), new int[20], List.of("a"));
        assertEquals(2, chart.getSeriesMap().size());
    }

    @Test
    void diversityIsZeroForCopiesAndPositiveOtherwise() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Teacher t = DistillFixtures.teacher(Architecture.convNet(1, 4), m);
            ImageSet two = RealImages.random(DistillFixtures.train(), 2, 1);
            int[] copies = new int[20];
            for (int k = 0; k < 20; k++) {
                copies[k] = k % 10; // IPC index 1 repeats IPC index 0
            }
            assertEquals(0, Diversity.meanPairwiseCosineDistance(t, two.subset(copies), m), 1e-6);
            assertTrue(Diversity.meanPairwiseCosineDistance(t, two, m) > 0.001);
            assertTrue(Double.isNaN(Diversity.meanPairwiseCosineDistance(t, RealImages.random(DistillFixtures.train(), 1, 1), m)));
        }
    }
}
