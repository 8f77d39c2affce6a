package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.data.ImageSet;
import java.util.List;
import java.util.Random;
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
    void tsneSeparatesTwoWellSeparatedClusters() {
        // 40 points around 0 and 40 around (8, 8, ..., 8) in 10-D, unit spread
        Random random = new Random(3);
        double[][] points = new double[80][10];
        for (int i = 0; i < points.length; i++) {
            for (int j = 0; j < 10; j++) {
                points[i][j] = (i < 40 ? 0 : 8) + random.nextGaussian();
            }
        }
        double[][] map = Embedding.tsne(points, 10, 1000, 5);
        assertEquals(80, map.length);
        assertEquals(2, map[0].length);
        double[][] centre = {centroid(map, 0, 40), centroid(map, 40, 80)};
        for (int i = 0; i < map.length; i++) {
            int own = i < 40 ? 0 : 1;
            assertTrue(distance(map[i], centre[own]) < distance(map[i], centre[1 - own]),
                    "point " + i + " lies nearer the other cluster's centre in the t-SNE map");
        }
        double spread = 0;
        for (int i = 0; i < map.length; i++) {
            spread += distance(map[i], centre[i < 40 ? 0 : 1]) / map.length;
        }
        assertTrue(distance(centre[0], centre[1]) > 3 * spread,
                "clusters " + distance(centre[0], centre[1]) + " apart with mean spread " + spread);
        assertArrayEquals(map[7], Embedding.tsne(points, 10, 1000, 5)[7], 1e-9, "a seed gives the same map");
        assertThrows(FrugalException.class, () -> Embedding.tsne(points, 30, 300, 5)); // too few points
    }

    private static double[] centroid(double[][] map, int from, int to) {
        double[] c = new double[2];
        for (int i = from; i < to; i++) {
            c[0] += map[i][0] / (to - from);
            c[1] += map[i][1] / (to - from);
        }
        return c;
    }

    private static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
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
