package frugal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import ai.djl.training.GradientCollector;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.GradMode;
import frugal.core.HelperThreads;
import frugal.core.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final ParamGroup WEIGHTS = new ParamGroup("weights", 1.0, 0.1);
    private static final ParamGroup BIASES = new ParamGroup("biases", 0.5, 0.0);
    private static final ParamGrouping BY_KIND = (path, p) -> path.endsWith("weight") ? WEIGHTS : BIASES;

    private NDManager manager;
    private Block model;

    @BeforeEach
    void setUp() {
        Engines.pytorch();
        Seeds.set(7);
        manager = NDManager.newBaseManager();
        model = Linear.builder().setUnits(2).build();
        model.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Backward of sum((x W^T + b) * c) for a fixed x and c: gradients differ per element. */
    private void backward(int seed) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = scope.arange(12f).reshape(4, 3).mul(0.1 * seed).sub(0.3);
            NDArray c = scope.arange(8f).reshape(4, 2).sub(3.5);
            NDArray out = Losses.forward(model, new NDList(x), true).head();
            gc.backward(out.mul(c).sum());
        }
    }

    private static double[] values(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void adamWTwoStepsMatchHandComputationForTwoGroups() {
        double lr = 0.01;
        AdamW.Config cfg = new AdamW.Config(0.9, 0.99, 0.05); // a large eps makes its placement visible
        TrainableParams params = TrainableParams.of(model, BY_KIND);
        Map<String, double[]> w = new LinkedHashMap<>();
        Map<String, double[]> m = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        for (TrainableParams.Entry e : params.entries()) {
            w.put(e.path(), values(e.array()));
            m.put(e.path(), new double[(int) e.array().size()]);
            v.put(e.path(), new double[(int) e.array().size()]);
        }
        try (AdamW adam = new AdamW(params, cfg)) {
            for (int t = 1; t <= 2; t++) {
                backward(t);
                for (TrainableParams.Entry e : params.entries()) {
                    double[] g = values(e.array().getGradient());
                    double[] wi = w.get(e.path());
                    double[] mi = m.get(e.path());
                    double[] vi = v.get(e.path());
                    double groupLr = lr * e.group().lrMultiplier();
                    double bc1 = 1 - Math.pow(cfg.beta1(), t);
                    double bc2 = 1 - Math.pow(cfg.beta2(), t);
                    for (int i = 0; i < wi.length; i++) {
                        wi[i] -= groupLr * e.group().weightDecay() * wi[i];
                        mi[i] = cfg.beta1() * mi[i] + (1 - cfg.beta1()) * g[i];
                        vi[i] = cfg.beta2() * vi[i] + (1 - cfg.beta2()) * g[i] * g[i];
                        wi[i] -= groupLr / bc1 * mi[i] / (Math.sqrt(vi[i]) / Math.sqrt(bc2) + cfg.eps());
                    }
                }
                adam.step(lr);
                assertEquals(t, adam.stepCount());
                for (TrainableParams.Entry e : params.entries()) {
                    assertArrayEquals(w.get(e.path()), values(e.array()), 2e-6, e.path() + " after step " + t);
                    assertArrayEquals(new double[(int) e.array().size()], values(e.array().getGradient()), 0.0,
                            "the update zeroes the gradient");
                }
            }
        }
    }

    @Test
    void sgdWithMomentumMatchesHandComputation() {
        double lr = 0.1;
        double mu = 0.9;
        TrainableParams params = TrainableParams.of(model, BY_KIND);
        Map<String, double[]> w = new LinkedHashMap<>();
        Map<String, double[]> buf = new LinkedHashMap<>();
        for (TrainableParams.Entry e : params.entries()) {
            w.put(e.path(), values(e.array()));
            buf.put(e.path(), new double[(int) e.array().size()]);
        }
        try (Sgd sgd = new Sgd(params, mu)) {
            for (int t = 1; t <= 2; t++) {
                backward(t);
                for (TrainableParams.Entry e : params.entries()) {
                    double[] g = values(e.array().getGradient());
                    double[] wi = w.get(e.path());
                    double[] bi = buf.get(e.path());
                    double groupLr = lr * e.group().lrMultiplier();
                    for (int i = 0; i < wi.length; i++) {
                        wi[i] -= groupLr * e.group().weightDecay() * wi[i];
                        bi[i] = mu * bi[i] + g[i];
                        wi[i] -= groupLr * bi[i];
                    }
                }
                sgd.step(lr);
                for (TrainableParams.Entry e : params.entries()) {
                    assertArrayEquals(w.get(e.path()), values(e.array()), 1e-5, e.path() + " after step " + t);
                }
            }
        }
    }

    /** Each array updated whole on one thread: the same arithmetic, so the same bits as on the caller alone. */
    @Test
    void adamWSharedOverTwoThreadsEqualsOneThread() {
        TrainableParams params = TrainableParams.of(model, BY_KIND);
        List<float[]> start = params.entries().stream().map(e -> e.array().toFloatArray()).toList();
        List<float[]> alone = threeAdamWSteps(params, HelperThreads.SINGLE);
        GradMode.noGrad(() -> {
            for (int i = 0; i < start.size(); i++) {
                params.entries().get(i).array().set(FloatBuffer.wrap(start.get(i)));
            }
        });
        List<float[]> shared;
        try (HelperThreads two = HelperThreads.of(2)) {
            shared = threeAdamWSteps(params, two);
        }
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), shared.get(i), params.entries().get(i).path());
        }
        assertTrue(alone.get(0)[0] != start.get(0)[0], "the steps moved the weights");
    }

    private List<float[]> threeAdamWSteps(TrainableParams params, HelperThreads threads) {
        try (AdamW adam = new AdamW(params, AdamW.Config.defaults())) {
            for (int s = 1; s <= 3; s++) {
                backward(s);
                try (NDManager scope = manager.newSubManager()) {
                    adam.step(params.gradients(scope), 0.01, 0.5, threads);
                }
            }
        }
        return params.entries().stream().map(e -> e.array().toFloatArray()).toList();
    }

    @Test
    void gradScaleMultipliesTheGradient() {
        TrainableParams params = TrainableParams.of(model, ParamGrouping.uniform(0));
        try (Sgd sgd = new Sgd(params, 0)) {
            double[] before = values(params.entries().get(0).array());
            backward(1);
            double[] g = values(params.entries().get(0).array().getGradient());
            try (NDManager scope = manager.newSubManager()) {
                sgd.step(params.gradients(scope), 1.0, 0.25);
            }
            double[] after = values(params.entries().get(0).array());
            for (int i = 0; i < g.length; i++) {
                assertEquals(before[i] - 0.25 * g[i], after[i], 1e-5);
            }
        }
    }

    @Test
    void stateRoundTripsAndRefusesAnotherOptimiser() throws Exception {
        TrainableParams params = TrainableParams.of(model, BY_KIND);
        byte[] saved;
        try (AdamW adam = new AdamW(params, AdamW.Config.defaults())) {
            backward(1);
            adam.step(0.01);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adam.saveState(new DataOutputStream(bytes));
            saved = bytes.toByteArray();
        }
        try (AdamW fresh = new AdamW(params, AdamW.Config.defaults())) {
            fresh.loadState(new DataInputStream(new ByteArrayInputStream(saved)));
            assertEquals(1, fresh.stepCount());
        }
        try (Sgd sgd = new Sgd(params, 0.9)) {
            FrugalException e = assertThrows(FrugalException.class,
                    () -> sgd.loadState(new DataInputStream(new ByteArrayInputStream(saved))));
            assertTrue(e.getMessage().contains("adamw"), e.getMessage());
        }
    }

    @Test
    void gradientNormAndClipping() {
        try (NDManager scope = manager.newSubManager()) {
            NDList grads = new NDList(scope.create(new float[] {3, 0}), scope.create(new float[][] {{0, 4}, {0, 0}}));
            assertEquals(5.0, GradClip.globalNorm(grads), 1e-6);
            assertEquals(5.0, GradClip.clip(grads, 10.0), 1e-6, "returns the norm before clipping");
            assertEquals(5.0, GradClip.globalNorm(grads), 1e-6, "under the limit nothing changes");
            assertEquals(5.0, GradClip.clip(grads, 1.0), 1e-6);
            assertEquals(1.0, GradClip.globalNorm(grads), 1e-5);
            assertArrayEquals(new float[] {0.6f, 0f}, grads.get(0).toFloatArray(), 1e-5f, "direction kept");
            assertEquals(1.0, GradClip.scaleFor(0.5, 1.0));
            assertThrows(IllegalArgumentException.class, () -> GradClip.scaleFor(1, 0));
        }
    }

    @Test
    void configsRejectBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1.0, 0.99, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(0.9, 0.99, 0));
        assertThrows(IllegalArgumentException.class, () -> Sgd.factory(-0.1));
    }
}
