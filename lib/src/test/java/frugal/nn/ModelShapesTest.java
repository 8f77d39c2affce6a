package frugal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelShapesTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
        Seeds.set(7);
    }

    private static NDArray run(Block model, NDManager m, Shape input, boolean training) {
        model.initialize(m, DataType.FLOAT32, input);
        NDArray x = m.randomNormal(input);
        return model.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
    }

    @Test
    void convNetEveryNormAndPoolingGivesLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (ConvNet.Norm norm : ConvNet.Norm.values()) {
                for (ConvNet.Pooling pool : ConvNet.Pooling.values()) {
                    var config = new ConvNet.Config(1, 28, 8, 3, 10, norm, pool);
                    Classifier net = ConvNet.build(config);
                    NDArray logits = run(net, m, new Shape(4, 1, 28, 28), true);
                    assertEquals(new Shape(4, 10), logits.getShape(), config.name());
                    // 28 -> 14 -> 7 -> 3: 8 channels x 3 x 3
                    assertEquals(72, config.featureSize());
                    NDArray images = m.randomNormal(new Shape(2, 1, 28, 28));
                    NDArray features = net.features(new ParameterStore(m, false), images, false);
                    assertEquals(new Shape(2, 72), features.getShape());
                    assertEquals(norm == ConvNet.Norm.BATCH ? 3 : 0, BatchNormLayer.inOrder(net).size());
                }
            }
        }
    }

    @Test
    void convNetRejectsTooDeepForItsImage() {
        assertThrows(FrugalException.class, () -> ConvNet.Config.batchNorm(1, 28, 10, 5, 8));
        assertEquals("ConvNet-D3W64-BN", ConvNet.Config.batchNorm(1, 28, 10, 3, 64).name());
    }

    @Test
    void resNetMiniHalvesPerStageAndListsBatchNormsInForwardOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            var config = new ResNetMini.Config(3, 8, 3, 1, 7);
            Classifier net = ResNetMini.build(config);
            NDArray logits = run(net, m, new Shape(2, 3, 16, 16), true);
            assertEquals(new Shape(2, 7), logits.getShape());
            assertEquals(32, config.featureSize());
            // stem 1 + stage 1 (2, identity shortcut) + stages 2, 3 (3 each, projected shortcut)
            var bns = BatchNormLayer.inOrder(net);
            assertEquals(9, bns.size());
            long[] channels = bns.stream().mapToLong(BatchNormLayer::channels).toArray();
            assertArrayEquals(new long[] {8, 8, 8, 16, 16, 16, 32, 32, 32}, channels);
        }
    }

    @Test
    void groupNormCnnHasSeparableFeaturizerAndHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            Classifier net = GroupNormCnn.build(1, 10);
            NDArray logits = run(net, m, new Shape(3, 1, 28, 28), true);
            assertEquals(new Shape(3, 10), logits.getShape());
            var ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
            NDArray features = net.features(ps, x, false);
            assertEquals(new Shape(3, GroupNormCnn.FEATURES), features.getShape());
            NDArray viaHead = net.head().forward(ps, new NDList(features), false).singletonOrThrow();
            NDArray whole = net.forward(ps, new NDList(x), false).singletonOrThrow();
            assertEquals(0f, viaHead.sub(whole).abs().max().getFloat(), 1e-5f);
        }
    }

    @Test
    void tinyGptMapsTokensToLogitsAtAnyLengthUpToContext() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(11, 8, 2, 16, 2));
            gpt.initialize(m);
            var ps = new ParameterStore(m, false);
            for (int t : new int[] {8, 3}) {
                NDArray tokens = m.randomInteger(0, 11, new Shape(2, t), DataType.INT64);
                NDArray logits = gpt.forward(ps, new NDList(tokens), true).singletonOrThrow();
                assertEquals(new Shape(2, t, 11), logits.getShape());
            }
            NDArray tooLong = m.zeros(new Shape(1, 9), DataType.INT64);
            assertThrows(FrugalException.class, () -> gpt.forward(ps, new NDList(tooLong), false));
        }
    }
}
