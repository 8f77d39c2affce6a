package frugal.binary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import frugal.core.CellThread;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import frugal.train.Batch;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FbiLinearTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void straightThroughGradientIsTheIdentityOnTheLatentWeights() {
        Engine engine = Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(1);
            NDArray w = m.randomNormal(new Shape(5, 7));
            w.setRequiresGradient(true);
            NDArray upstream = m.randomNormal(new Shape(5, 7));
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray binary = FbiLinear.signSte(w);
                assertArrayEquals(signs(w.toFloatArray()), binary.toFloatArray(), "forward is sign(w)");
                gc.backward(binary.mul(upstream).sum());
            }
            assertArrayEquals(upstream.toFloatArray(), w.getGradient().toFloatArray(), 0f,
                    "backward passes the upstream gradient through unchanged, no clipping");
        }
    }

    @Test
    void scalesStartAsThePapersColumnStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(2);
            int in = 9;
            int out = 6;
            FbiLinear layer = new FbiLinear(in, out, true);
            layer.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.5f),
                    ai.djl.nn.Parameter.Type.WEIGHT);
            layer.initialize(m, DataType.FLOAT32, new Shape(2, in));
            float[] w = layer.latentWeight().toFloatArray();
            float[] alpha = layer.alpha().toFloatArray();
            float[] beta = layer.beta().toFloatArray();
            assertEquals(in, alpha.length);
            for (int j = 0; j < in; j++) {
                double mean = 0;
                for (int i = 0; i < out; i++) {
                    mean += w[i * in + j];
                }
                mean /= out;
                double mad = 0;
                for (int i = 0; i < out; i++) {
                    mad += Math.abs(w[i * in + j] - mean);
                }
                mad /= out;
                assertEquals(mean, beta[j], 1e-6, "beta_" + j + " = mean_i W_ij");
                assertEquals(mad, alpha[j], 1e-6, "alpha_" + j + " = mean_i |W_ij - beta_j|");
                assertTrue(alpha[j] > 0.05, "alpha comes from the N(0, 0.5) weights, not the ones placeholder");
            }
        }
    }

    @Test
    void forwardAndGradientsFollowTheFormula() {
        Engine engine = Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(3);
            int in = 10;
            int out = 4;
            int batch = 3;
            FbiLinear layer = new FbiLinear(in, out, true);
            layer.initialize(m, DataType.FLOAT32, new Shape(batch, in));
            layer.bias().set(new float[] {0.1f, -0.2f, 0.3f, 0.05f});
            NDArray x = m.randomNormal(new Shape(batch, in));
            NDArray upstream = m.randomNormal(new Shape(batch, out));
            NDArray y;
            try (GradientCollector gc = engine.newGradientCollector()) {
                y = layer.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.mul(upstream).sum());
            }
            float[] w = layer.latentWeight().toFloatArray();
            float[] a = layer.alpha().toFloatArray();
            float[] b = layer.beta().toFloatArray();
            float[] bias = layer.bias().toFloatArray();
            float[] xs = x.toFloatArray();
            float[] g = upstream.toFloatArray();
            float[] ys = y.toFloatArray();
            float[] gradW = layer.latentWeight().getGradient().toFloatArray();
            float[] gradAlpha = layer.alpha().getGradient().toFloatArray();
            float[] gradBeta = layer.beta().getGradient().toFloatArray();
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < out; o++) {
                    double expected = bias[o];
                    for (int j = 0; j < in; j++) {
                        expected += xs[n * in + j] * (a[j] * sign(w[o * in + j]) + b[j]);
                    }
                    assertEquals(expected, ys[n * out + o], 1e-5, "y = x (alpha sign(W) + beta)^T + bias");
                }
            }
            for (int j = 0; j < in; j++) {
                double ga = 0;
                double gb = 0;
                for (int o = 0; o < out; o++) {
                    double gw = 0;
                    for (int n = 0; n < batch; n++) {
                        gw += g[n * out + o] * xs[n * in + j];
                    }
                    assertEquals(a[j] * gw, gradW[o * in + j], 1e-5, "dL/dW_oj = alpha_j dL/dW~_oj (STE)");
                    ga += gw * sign(w[o * in + j]);
                    gb += gw;
                }
                assertEquals(ga, gradAlpha[j], 1e-5, "dL/dalpha_j");
                assertEquals(gb, gradBeta[j], 1e-5, "dL/dbeta_j");
            }
        }
    }

    @Test
    void zeroWeightsBinarizeToPlusOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {-0f, 0f, -1e-30f, 2f});
            assertArrayEquals(new float[] {1, 1, -1, 1}, FbiLinear.signs(w).toFloatArray());
        }
    }

    @Test
    void factoryBinarizesOnlyTheBlockLinearsOfTinyGpt() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(4);
            TinyGpt.Config config = TinyGpt.Config.of(11, 8, 2, 16, 2);
            TinyGpt binary = FbiGpt.binarized(config);
            binary.initialize(m);
            assertEquals(8, binary.blockLinears().size());
            for (Block l : binary.blockLinears()) {
                assertInstanceOf(FbiLinear.class, l);
            }
            assertEquals(8, FbiGpt.layers(binary).size());
            assertInstanceOf(Linear.class, binary.getChildren().get(config.layers() + 1).getValue(), "head stays fp");
            TinyGpt dense = new TinyGpt(config);
            dense.initialize(m);
            long extra = 2L * config.layers() * (16 + 16 + 16 + 64); // alpha and beta per input column
            assertEquals(dense.parameterCount() + extra, binary.parameterCount());
            // alpha and beta were set from each layer's own initial weights
            for (FbiLinear l : FbiGpt.layers(binary)) {
                float[] alpha = l.alpha().toFloatArray();
                assertFalse(alpha[0] == 1f, "alpha was computed, not left at the placeholder");
            }
        }
    }

    @Test
    void binarizedGptTrainsWithFiniteLossAndMovesItsScales() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(5);
            TinyGpt model = FbiGpt.binarized(TinyGpt.Config.of(7, 6, 1, 16, 2));
            model.initialize(m);
            float[] alphaBefore = FbiGpt.layers(model).get(0).alpha().toFloatArray();
            History h = Trainer.train(model, (manager, step) -> {
                Random r = new Random(step);
                long[] x = new long[4 * 6];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(7);
                }
                NDArray tokens = manager.create(x, new Shape(4, 6));
                return Batch.of(tokens, tokens);
            }, LossFunction.of(Losses.softmaxCrossEntropy()), TrainConfig.of(20, 1e-2).quiet());
            assertTrue(Double.isFinite(h.lastLoss()));
            assertTrue(h.lastLoss() < h.steps().get(0).loss(), "copying the input is learnable");
            float[] alphaAfter = FbiGpt.layers(model).get(0).alpha().toFloatArray();
            assertFalse(java.util.Arrays.equals(alphaBefore, alphaAfter), "alpha is trained");
        }
    }

    @Test
    void initialisesInAFreshThreadWhereAutogradRecords() {
        // a notebook cell runs on its own thread, where PyTorch records autograd by default: writing the scales
        // in place into parameters that require gradients must still work there
        CellThread.run(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                assertTrue(JniUtils.isGradMode(), "a fresh thread records autograd");
                TinyGpt dense = new TinyGpt(TinyGpt.Config.of(5, 4, 1, 8, 2));
                dense.initialize(m);
                TinyGpt binary = FbiGpt.postTraining(dense, m);
                assertEquals(4, FbiGpt.layers(binary).size());
                assertTrue(JniUtils.isGradMode(), "recording is restored");
            }
        });
    }

    @Test
    void wrongInputWidthIsAClearError() {
        try (NDManager m = NDManager.newBaseManager()) {
            FbiLinear layer = new FbiLinear(5, 3, false);
            FrugalException e = assertThrows(FrugalException.class,
                    () -> layer.initialize(m, DataType.FLOAT32, new Shape(2, 4)));
            assertTrue(e.getMessage().contains("5 features"), e.getMessage());
            assertThrows(FrugalException.class, () -> new FbiLinear(0, 3, false));
        }
    }

    static float sign(float v) {
        return v >= 0 ? 1f : -1f;
    }

    static float[] signs(float[] v) {
        float[] s = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = sign(v[i]);
        }
        return s;
    }
}
