package frugal.galore;

import frugal.core.TorchTest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import frugal.train.AdamW;
import frugal.train.Optimizer;
import frugal.train.ParamGroup;
import frugal.train.ParamGrouping;
import frugal.train.TrainableParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import smile.math.matrix.Matrix;

class GaLoreTest extends TorchTest {
    private static final ParamGroup DECAY = new ParamGroup("decay", 1.0, 0.1);
    private static final ParamGroup NO_DECAY = new ParamGroup("no_decay", 0.5, 0.0);
    private static final AdamW.Config ADAM = new AdamW.Config(0.9, 0.99, 1e-6);

    /**
     * Full rank and a basis refreshed every step: the projection is then a rotation, and Adam is not rotation
     * invariant (its second moment is element-wise), so GaLore equals AdamW exactly only where the gradients'
     * singular vectors are the coordinate axes. Such gradients, G = D Q (rows x cols, rows <= cols, Q with
     * orthonormal rows, D diagonal and changing every step) and G = Q D for a tall matrix, take the whole
     * projected path (SVD, projection, AdamW on R, projection back) and must give AdamW's weights.
     */
    @Test
    void fullRankRefreshedEveryStepEqualsAdamW() {
        Random random = new Random(3);
        double[][] wide = orthonormalRows(4, 6, random);
        double[][] tall = transpose(orthonormalRows(3, 5, random));
        List<float[]> init = List.of(randomFloats(24, random), randomFloats(15, random), randomFloats(5, random));
        TrainableParams galoreParams = params(init);
        TrainableParams adamParams = params(init);
        double lr = 0.01;
        try (GaLore galore = new GaLore(galoreParams, new GaLore.Config(100, 1, 1.0), ADAM, GaLore.allMatrices());
                AdamW adam = new AdamW(adamParams, ADAM)) {
            assertEquals(List.of(4, 3), galore.matrices().stream().map(GaLore.Matrix::rank).toList(),
                    "rank 100 is cut to each matrix's smaller side");
            for (int t = 1; t <= 6; t++) {
                double[] d = {3 + t, -2 - 0.5 * t, 1.5, 0.5 / t}; // |d| decreasing: a fixed order of singular values
                List<float[]> grads = List.of(flat(scaleRows(d, wide)), flat(transpose(scaleRows(d, transpose(tall)))),
                        randomFloats(5, random));
                double scale = t == 3 ? 0.5 : 1.0; // a clipped step
                step(galore, galoreParams, grads, lr, scale);
                step(adam, adamParams, grads, lr, scale);
                for (int i = 0; i < init.size(); i++) {
                    assertArrayEquals(adamParams.entries().get(i).array().toFloatArray(),
                            galoreParams.entries().get(i).array().toFloatArray(), 2e-6f, "parameter " + i + " step " + t);
                }
            }
            float[] moved = galoreParams.entries().get(0).array().toFloatArray();
            assertTrue(Math.abs(moved[0] - init.get(0)[0]) > 1e-3, "six steps moved the weights");
        }
    }

    /** A random gradient at rank r: the basis is orthonormal and captures the top-r singular values of G. */
    @Test
    void projectionKeepsTheTopSingularSubspaceOnTheSmallerSide() {
        Random random = new Random(5);
        for (long[] shape : new long[][] {{5, 8}, {8, 5}}) {
            float[] g = randomFloats(40, random);
            Projector p = new Projector(new Shape(shape), 2, manager);
            try (NDManager scope = manager.newSubManager()) {
                NDArray grad = scope.create(g, new Shape(shape));
                p.refresh(grad);
                assertEquals(shape[0] <= shape[1] ? Projector.Side.LEFT : Projector.Side.RIGHT, p.side());
                assertEquals(new Shape(5, 2), p.basis().getShape());
                NDArray gram = p.basis().transpose().matMul(p.basis());
                gram.attach(scope);
                assertArrayEquals(new float[] {1, 0, 0, 1}, gram.toFloatArray(), 1e-5f, "orthonormal basis");
                NDArray low = p.project(grad);
                assertEquals(shape[0] <= shape[1] ? new Shape(2, 8) : new Shape(8, 2), low.getShape());
                double[] s = svd(g, shape).s;
                double kept = low.square().sum().getFloat();
                assertEquals(s[0] * s[0] + s[1] * s[1], kept, 1e-4 * kept, "||R||^2 = s1^2 + s2^2 for " + shape[0]
                        + " x " + shape[1]);
                assertEquals(new Shape(shape), p.projectBack(low, scope).getShape());
            }
        }
    }

    /** One step at rank 2 against the formula: W1 = W0 - lr alpha U2 (R / (|R| + eps)), R = U2^T G. */
    @Test
    void oneProjectedStepMatchesHandComputation() {
        Random random = new Random(11);
        float[] w0 = randomFloats(40, random);
        float[] g = randomFloats(40, random);
        TrainableParams params = TrainableParams.of(List.of(
                new TrainableParams.Entry("w", manager.create(w0, new Shape(5, 8)), NO_DECAY)));
        double lr = 0.02;
        double alpha = 0.25;
        try (GaLore galore = new GaLore(params, new GaLore.Config(2, 200, alpha), ADAM, GaLore.allMatrices())) {
            step(galore, params, List.of(g), lr, 1.0);
        }
        Matrix.SVD svd = svd(g, new long[] {5, 8});
        double[][] r = new double[2][8];
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < 8; j++) {
                for (int i = 0; i < 5; i++) {
                    r[k][j] += svd.U.get(i, k) * g[i * 8 + j];
                }
            }
        }
        double groupLr = lr * NO_DECAY.lrMultiplier() * alpha;
        float[] expected = new float[40];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 8; j++) {
                double u = 0;
                for (int k = 0; k < 2; k++) {
                    // step 1: m_hat = R, v_hat = R^2 (the sign of U's columns cancels)
                    u += svd.U.get(i, k) * r[k][j] / (Math.abs(r[k][j]) + ADAM.eps());
                }
                expected[i * 8 + j] = (float) (w0[i * 8 + j] - groupLr * u);
            }
        }
        assertArrayEquals(expected, params.entries().get(0).array().toFloatArray(), 1e-6f);
    }

    /**
     * State bytes of a 1-layer TinyGpt (vocab 10, context 8, d 16, no biases) at rank 4, by hand:
     * qkv 48x16 (right: 2*48*4 + 16*4), proj 16x16 (left: 2*4*16 + 16*4), up 64x16 (2*64*4 + 16*4),
     * down 16x64 (2*4*64 + 16*4); full moments for embeddings 10x16 + 8x16, head 10x16, three LayerNorm gains 16:
     * 2 * 496. Total 2,784 floats = 11,136 bytes; AdamW: 2 * 3,568 floats = 28,544 bytes.
     */
    @Test
    void stateBytesOfTinyGptAsComputedByHand() {
        TinyGpt model = new TinyGpt(TinyGpt.Config.of(10, 8, 1, 16, 2).withBias(false));
        model.initialize(manager);
        TrainableParams params = TrainableParams.of(model, ParamGrouping.decayMatricesOnly(0.1));
        assertEquals(3568, params.count());
        try (GaLore galore = new GaLore(params, new GaLore.Config(4, 200, 0.25), ADAM, GaLore.hiddenMatrices(model));
                AdamW adam = new AdamW(params, ADAM)) {
            assertEquals(28544, adam.stateBytes());
            assertEquals(11136, galore.stateBytes());
            assertEquals(4 * (48 * 4 + 4 * 16 + 64 * 4 + 4 * 64), galore.bufferBytes());
            List<String> sides = new ArrayList<>();
            long predicted = 0;
            for (GaLore.Matrix m : galore.matrices()) {
                sides.add(m.side());
                assertEquals(m.predictedStateBytes(), m.momentBytes() + m.basisBytes(), m.path());
                predicted += m.predictedStateBytes();
            }
            assertEquals(List.of("right", "left", "right", "left"), sides, "qkv, proj, up, down");
            assertEquals(4 * (384 + 64 + 128 + 64 + 512 + 64 + 512 + 64), predicted);
        }
    }

    @Test
    void stateRoundTripsAndRefusesAnotherConfig() throws Exception {
        Random random = new Random(2);
        List<float[]> init = List.of(randomFloats(24, random), randomFloats(15, random), randomFloats(5, random));
        List<float[]> grads = List.of(randomFloats(24, random), randomFloats(15, random), randomFloats(5, random));
        TrainableParams a = params(init);
        TrainableParams b = params(init);
        GaLore.Config config = new GaLore.Config(2, 3, 0.5);
        try (GaLore first = new GaLore(a, config, ADAM, GaLore.allMatrices());
                GaLore second = new GaLore(b, config, ADAM, GaLore.allMatrices())) {
            step(first, a, grads, 0.01, 1.0);
            step(second, b, grads, 0.01, 1.0);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.saveState(new DataOutputStream(bytes));
            step(first, a, grads, 0.01, 1.0);
            step(second, b, grads, 0.01, 1.0);
            second.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(1, second.stepCount());
            try (GaLore other = new GaLore(params(init), new GaLore.Config(3, 3, 0.5), ADAM, GaLore.allMatrices())) {
                FrugalException e = assertThrows(FrugalException.class,
                        () -> other.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
                assertTrue(e.getMessage().contains("r 2"), e.getMessage());
            }
        }
        assertThrows(FrugalException.class, () -> new GaLore.Config(0, 1, 1));
        assertThrows(FrugalException.class, () -> new GaLore.Config(2, -1, 1));
        assertThrows(FrugalException.class, () -> new GaLore(params(init), new GaLore.Config(2, 1, 1), ADAM, e -> false));
    }

    /** Two matrices (4 x 6 decayed, 5 x 3 decayed) and a vector (no decay, half the lr), on the test's manager. */
    private TrainableParams params(List<float[]> init) {
        Shape[] shapes = {new Shape(4, 6), new Shape(5, 3), new Shape(5)};
        List<TrainableParams.Entry> entries = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            entries.add(new TrainableParams.Entry("p" + i, manager.create(init.get(i), shapes[i]),
                    i < 2 ? DECAY : NO_DECAY));
        }
        return TrainableParams.of(entries);
    }

    /** Backward of sum_i sum(p_i * c_i), whose gradient is c_i, then one optimiser step. */
    private void step(Optimizer optimizer, TrainableParams params, List<float[]> grads, double lr, double scale) {
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = null;
                for (int i = 0; i < grads.size(); i++) {
                    NDArray p = params.entries().get(i).array();
                    NDArray term = scope.create(grads.get(i), p.getShape()).mul(p).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
            }
            optimizer.step(params.gradients(scope), lr, scale);
        }
        for (TrainableParams.Entry e : params.entries()) {
            assertEquals(0f, e.array().getGradient().abs().sum().getFloat(), "the step zeroes the gradient");
        }
    }

    private static Matrix.SVD svd(float[] g, long[] shape) {
        Matrix m = new Matrix((int) shape[0], (int) shape[1]);
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                m.set(i, j, g[(int) (i * shape[1] + j)]);
            }
        }
        return m.svd(true, true);
    }

    /** rows x cols (rows <= cols) with orthonormal rows: Gram-Schmidt on random rows. */
    private static double[][] orthonormalRows(int rows, int cols, Random random) {
        double[][] q = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                q[i][j] = random.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < cols; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < cols; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < cols; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** diag(d) q, using the first q.length entries of d. */
    private static double[][] scaleRows(double[] d, double[][] q) {
        double[][] out = new double[q.length][];
        for (int i = 0; i < q.length; i++) {
            out[i] = new double[q[i].length];
            for (int j = 0; j < q[i].length; j++) {
                out[i][j] = d[i] * q[i][j];
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static float[] flat(double[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return f;
    }

    private static float[] randomFloats(int n, Random random) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) random.nextGaussian();
        }
        return f;
    }
}
