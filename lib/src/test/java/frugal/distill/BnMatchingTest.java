package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.BatchNormLayer;
import frugal.nn.BnStats;
import frugal.nn.Classifier;
import frugal.nn.ConvNet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BnMatchingTest {
    private static final Shape INPUT = new Shape(5, 1, 8, 8);

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    /** A 2-layer BN ConvNet whose running statistics moved away from (0, 1) by a few training forwards. */
    private static Classifier model(NDManager m) {
        Seeds.set(3);
        Classifier net = Architecture.of(ConvNet.Config.batchNorm(1, 8, 3, 2, 4)).build(m, INPUT);
        for (int i = 0; i < 3; i++) {
            net.forward(new ParameterStore(m, false), new NDList(m.randomNormal(INPUT).add(0.5f)), true);
        }
        return net;
    }

    /** Per-channel mean and biased variance of an N x C x H x W array, by loops. */
    private static double[][] handStats(float[] v, Shape s) {
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int hw = (int) (s.get(2) * s.get(3));
        double[][] out = new double[2][c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    sum += v[(i * c + ch) * hw + j];
                }
            }
            double mean = sum / (n * hw);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    double d = v[(i * c + ch) * hw + j] - mean;
                    sq += d * d;
                }
            }
            out[0][ch] = mean;
            out[1][ch] = sq / (n * hw);
        }
        return out;
    }

    private static double l2(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void statisticsAtEveryBnInputAndTheLossEqualAHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier net = model(m);
            SequentialBlock features = (SequentialBlock) net.featurizer();
            NDArray x = m.randomNormal(INPUT);
            // the inputs of the two BN layers, computed block by block: conv1, then conv2 after bn1, relu, pool
            var children = features.getChildren().values();
            ParameterStore ps = new ParameterStore(m, false);
            NDList h = new NDList(x);
            List<NDArray> bnInputs = new ArrayList<>();
            for (var block : children) {
                if (block instanceof BatchNormLayer) {
                    bnInputs.add(h.head());
                }
                h = block.forward(ps, h, false);
            }
            assertEquals(2, bnInputs.size());
            List<BatchNormLayer> layers = BatchNormLayer.inOrder(net);
            double expected = 0;
            try (BnStats stats = BnStats.capture(net)) {
                net.forward(ps, new NDList(x), false);
                assertEquals(2, stats.entries().size());
                for (int l = 0; l < 2; l++) {
                    double[][] hand = handStats(bnInputs.get(l).toFloatArray(), bnInputs.get(l).getShape());
                    BnStats.Entry e = stats.entries().get(l);
                    float[] mean = e.batchMean().toFloatArray();
                    float[] var = e.batchVariance().toFloatArray();
                    for (int c = 0; c < mean.length; c++) {
                        assertEquals(hand[0][c], mean[c], 1e-4, "mean, layer " + l + " channel " + c);
                        assertEquals(hand[1][c], var[c], 1e-4, "variance, layer " + l + " channel " + c);
                    }
                    double term = l2(hand[0], layers.get(l).runningMean().toFloatArray())
                            + l2(hand[1], layers.get(l).runningVar().toFloatArray());
                    assertTrue(term > 1e-3, "running statistics should differ from the batch's");
                    expected += (l == 0 ? 10 : 1) * term;
                }
                double loss = BnMatching.loss(stats.entries(), 10, m).getFloat();
                assertEquals(expected, loss, 1e-4 * expected);
            }
        }
    }

    @Test
    void theLossReachesThePixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier net = model(m);
            net.freezeParameters(true);
            NDArray x = m.randomNormal(INPUT);
            x.setRequiresGradient(true);
            try (BnStats stats = BnStats.capture(net);
                    GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                net.forward(new ParameterStore(m, false), new NDList(x), false);
                collector.backward(BnMatching.loss(stats.entries(), 10, m));
            }
            assertTrue(x.getGradient().abs().sum().getFloat() > 0, "BN matching must give the pixels a gradient");
        }
    }

    @Test
    void noRecordedStatisticsIsAClearError() {
        try (NDManager m = NDManager.newBaseManager()) {
            var e = assertThrows(FrugalException.class, () -> BnMatching.loss(List.of(), 10, m));
            assertTrue(e.getMessage().contains("BnStats.capture"), e.getMessage());
        }
    }
}
