package frugal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchNormLayerTest {
    private static final int N = 3;
    private static final int C = 2;
    private static final int H = 2;
    private static final int W = 3;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    private static float[] input() {
        Random r = new Random(11);
        float[] v = new float[N * C * H * W];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 2 + (i % 5));
        }
        return v;
    }

    /** Per-channel mean and biased variance by loops over n, h, w. */
    private static double[][] handStats(float[] v) {
        double[] mean = new double[C];
        double[] var = new double[C];
        int count = N * H * W;
        for (int c = 0; c < C; c++) {
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < H * W; i++) {
                    mean[c] += v[(n * C + c) * H * W + i];
                }
            }
            mean[c] /= count;
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < H * W; i++) {
                    double d = v[(n * C + c) * H * W + i] - mean[c];
                    var[c] += d * d;
                }
            }
            var[c] /= count;
        }
        return new double[][] {mean, var};
    }

    @Test
    void recorderSeesPerChannelMeanAndBiasedVariance() {
        float[] v = input();
        double[][] hand = handStats(v);
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNormLayer bn = new BatchNormLayer();
            Shape shape = new Shape(N, C, H, W);
            bn.initialize(m, DataType.FLOAT32, shape);
            NDArray[] seen = new NDArray[2];
            bn.setRecorder((layer, mean, var) -> {
                assertEquals(bn, layer);
                seen[0] = mean;
                seen[1] = var;
            });
            bn.forward(new ParameterStore(m, false), new NDList(m.create(v, shape)), false);
            float[] mean = seen[0].toFloatArray();
            float[] var = seen[1].toFloatArray();
            assertEquals(C, mean.length);
            for (int c = 0; c < C; c++) {
                assertEquals(hand[0][c], mean[c], 1e-5);
                assertEquals(hand[1][c], var[c], 1e-4);
            }
        }
    }

    @Test
    void trainingForwardNormalisesAndUpdatesRunningStatsLikePyTorch() {
        float[] v = input();
        double[][] hand = handStats(v);
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNormLayer bn = new BatchNormLayer();
            Shape shape = new Shape(N, C, H, W);
            bn.initialize(m, DataType.FLOAT32, shape);
            float[] y = bn.forward(new ParameterStore(m, false), new NDList(m.create(v, shape)), true)
                    .singletonOrThrow().toFloatArray();
            int count = N * H * W;
            for (int c = 0; c < C; c++) {
                double expected = (v[c * H * W] - hand[0][c]) / Math.sqrt(hand[1][c] + 1e-5);
                assertEquals(expected, y[c * H * W], 1e-4);
                // momentum 0.1 from (0, 1); running variance is the unbiased one
                assertEquals(0.1 * hand[0][c], bn.runningMean().toFloatArray()[c], 1e-5);
                assertEquals(0.9 + 0.1 * hand[1][c] * count / (count - 1), bn.runningVar().toFloatArray()[c], 1e-4);
            }
        }
    }

    @Test
    void captureRecordsEveryLayerOnceInOrderAndDetachesOnClose() {
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier net = ConvNet.build(ConvNet.Config.batchNorm(1, 8, 3, 2, 4));
            Shape shape = new Shape(5, 1, 8, 8);
            net.initialize(m, DataType.FLOAT32, shape);
            var ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(shape);
            try (BnStats stats = BnStats.capture(net)) {
                net.forward(ps, new NDList(x), false);
                assertEquals(2, stats.entries().size());
                for (int i = 0; i < 2; i++) {
                    var e = stats.entries().get(i);
                    assertEquals(i, e.layerIndex());
                    assertEquals(new Shape(4), e.batchMean().getShape());
                    assertEquals(new Shape(4), e.batchVariance().getShape());
                    assertEquals(new Shape(4), e.runningVar().getShape());
                }
                // the first BN sees the first conv's output: check against a direct computation
                NDArray conv = net.featurizer().getChildren().get(0).getValue()
                        .forward(ps, new NDList(x), false).singletonOrThrow();
                float[] mean = conv.mean(new int[] {3}).mean(new int[] {2}).mean(new int[] {0}).toFloatArray();
                float[] recorded = stats.entries().get(0).batchMean().toFloatArray();
                for (int c = 0; c < 4; c++) {
                    assertEquals(mean[c], recorded[c], 1e-5);
                }
                stats.clear();
                assertTrue(stats.entries().isEmpty());
            }
            var leftover = new int[1];
            BatchNormLayer.inOrder(net).forEach(l -> l.setRecorder((a, b, c) -> leftover[0]++));
            BatchNormLayer.inOrder(net).forEach(l -> l.setRecorder(null));
            net.forward(ps, new NDList(x), false);
            assertEquals(0, leftover[0]);
        }
    }
}
