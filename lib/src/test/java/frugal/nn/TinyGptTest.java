package frugal.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.mup.MupConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TinyGptTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void parameterCountsMatchTheFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean bias : new boolean[] {true, false}) {
                int v = 13;
                int t = 7;
                int layers = 3;
                int d = 12;
                TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(v, t, layers, d, 3).withBias(bias));
                gpt.initialize(m);
                int b = bias ? 1 : 0;
                long perBlock = 2L * (d + b * d)                 // two LayerNorms
                        + 3L * d * d + b * 3L * d                // q, k, v
                        + (long) d * d + b * d                   // attention out
                        + 4L * d * d + b * 4L * d                // MLP up
                        + 4L * d * d + b * d;                    // MLP down
                long nonEmbedding = layers * perBlock + (d + b * d) + (long) d * v;
                assertEquals(nonEmbedding, gpt.nonEmbeddingParameterCount(), "bias " + bias);
                assertEquals(nonEmbedding + (long) v * d + (long) t * d, gpt.parameterCount(), "bias " + bias);
            }
        }
    }

    @Test
    void parameterNamesArePredictable() {
        TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(5, 4, 2, 8, 2));
        List<String> names = gpt.getParameters().keys();
        assertEquals("tok_emb", names.get(0));
        assertEquals("pos_emb", names.get(1));
        assertTrue(names.contains("01block0_02attn_qkv_weight"), names.toString());
        assertTrue(names.contains("02block1_06mlp_down_bias"), names.toString());
        assertTrue(names.contains("03ln_f_gamma"), names.toString());
        assertEquals("04head_weight", names.get(names.size() - 1));
    }

    @Test
    void savedParametersLoadIntoAFreshModelWithTheSameLogits() throws Exception {
        Seeds.set(4);
        var config = TinyGpt.Config.of(9, 6, 2, 8, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt trained = new TinyGpt(config);
            trained.initialize(m);
            var bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));
            TinyGpt loaded = new TinyGpt(config);
            loaded.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            var ps = new ParameterStore(m, false);
            NDArray tokens = m.create(new long[] {1, 8, 0, 4}, new Shape(1, 4));
            NDArray a = trained.forward(ps, new NDList(tokens), false).singletonOrThrow();
            NDArray b = loaded.forward(ps, new NDList(tokens), false).singletonOrThrow();
            assertEquals(0f, a.sub(b).abs().max().getFloat());
            assertEquals(trained.parameterCount(), loaded.parameterCount());
        }
    }

    /** All gradients of one forward / backward; optionally the JVM frees and reuses memory in between. */
    private static List<float[]> gradients(TinyGpt gpt, NDManager m, boolean collectBetween)
            throws InterruptedException {
        var ps = new ParameterStore(m, false);
        List<float[]> grads = new ArrayList<>();
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.pytorch().newGradientCollector()) {
            NDArray tokens = s.create(new long[] {1, 4, 2, 7, 7, 0, 3, 5}, new Shape(2, 4));
            NDArray loss = TinyGpt.loss(gpt.forward(ps, new NDList(tokens), true).singletonOrThrow(), tokens);
            if (collectBetween) {
                System.gc();
                Thread.sleep(20);
                for (int i = 0; i < 2000; i++) {
                    s.create(1e30f);
                }
            }
            gc.backward(loss);
        }
        for (Parameter p : gpt.getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray g = p.getArray().getGradient();
                grads.add(g.toFloatArray());
                g.subi(g);
                g.close();
            }
        }
        return grads;
    }

    /**
     * Regression: DJL's mul(Number) makes a temporary array that autograd keeps for the backward; if the
     * JVM frees and reuses it in between, gradients were wrong (NaN). The model's multipliers are owned
     * arrays, so the gradients do not depend on what the JVM does between forward and backward.
     */
    @Test
    void gradientsDoNotDependOnGarbageCollectionBetweenForwardAndBackward() throws InterruptedException {
        Seeds.set(12);
        try (NDManager m = NDManager.newBaseManager()) {
            var mup = new MupConfig(true, 8, 3, 0.5, 0.02);
            TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(8, 4, 2, 16, 2).withMup(mup));
            gpt.initialize(m);
            List<float[]> clean = gradients(gpt, m, false);
            List<float[]> collected = gradients(gpt, m, true);
            for (int i = 0; i < clean.size(); i++) {
                assertArrayEquals(clean.get(i), collected.get(i), 1e-6f, "gradient " + i);
            }
        }
    }

    @Test
    void laterTokensDoNotChangeEarlierLogits() {
        Seeds.set(3);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(10, 8, 2, 16, 4));
            gpt.initialize(m);
            var ps = new ParameterStore(m, false);
            long[] a = {1, 2, 3, 4, 5, 6, 7, 8};
            long[] b = {1, 2, 3, 4, 9, 0, 9, 0};
            NDArray la = gpt.forward(ps, new NDList(m.create(a, new Shape(1, 8))), false).singletonOrThrow();
            NDArray lb = gpt.forward(ps, new NDList(m.create(b, new Shape(1, 8))), false).singletonOrThrow();
            for (int pos = 0; pos < 8; pos++) {
                float diff = la.get(0, pos).sub(lb.get(0, pos)).abs().max().getFloat();
                if (pos <= 3) {
                    assertEquals(0f, diff, 1e-5f, "position " + pos);
                } else {
                    assertTrue(diff > 1e-4f, "position " + pos + " should see the changed token");
                }
            }
        }
    }

    @Test
    void swappedLinearFactoryBuildsAndRunsEveryBlockLinear() {
        Map<LinearFactory.Role, List<int[]>> made = new EnumMap<>(LinearFactory.Role.class);
        AtomicInteger calls = new AtomicInteger();
        LinearFactory counting = (role, in, out, bias) -> {
            made.computeIfAbsent(role, r -> new ArrayList<>()).add(new int[] {in, out});
            return new CountingBlock(Linear.builder().setUnits(out).optBias(bias).build(), calls);
        };
        int layers = 3;
        int d = 8;
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(6, 5, layers, d, 2), counting);
            gpt.initialize(m);
            assertEquals(4, made.size());
            made.values().forEach(list -> assertEquals(layers, list.size()));
            assertArrayEquals(new int[] {d, 3 * d}, made.get(LinearFactory.Role.ATTN_QKV).get(0));
            assertArrayEquals(new int[] {4 * d, d}, made.get(LinearFactory.Role.MLP_DOWN).get(0));
            assertEquals(4 * layers, gpt.blockLinears().size());
            assertTrue(gpt.blockLinears().stream().allMatch(b -> b instanceof CountingBlock));
            gpt.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(2, 5), DataType.INT64)), false);
            assertEquals(4 * layers, calls.get());
            // the factory's weight got the GPT-2 init std, not DJL's default
            Parameter qkv = gpt.getParameters().get("01block0_02attn_qkv_01inner_weight");
            float std = qkv.getArray().sub(qkv.getArray().mean()).square().mean().sqrt().getFloat();
            assertEquals(0.02, std, 0.006);
        }
    }

    @Test
    void lossIsMeanNegativeLogSoftmaxOfTheTargets() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] logits = {1f, 2f, 0.5f, -1f, 0f, 3f, 2f, 2f, 2f, 0f, -2f, 5f};
            long[] targets = {1, 2, 0, 2};
            double expected = 0;
            for (int i = 0; i < 4; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 3; k++) {
                    max = Math.max(max, logits[i * 3 + k]);
                }
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += Math.exp(logits[i * 3 + k] - max);
                }
                expected -= logits[i * 3 + (int) targets[i]] - max - Math.log(sum);
            }
            expected /= 4;
            NDArray loss = TinyGpt.loss(m.create(logits, new Shape(2, 2, 3)), m.create(targets, new Shape(2, 2)));
            assertEquals(expected, loss.getFloat(), 1e-5);
            assertThrows(FrugalException.class,
                    () -> TinyGpt.loss(m.create(logits, new Shape(2, 2, 3)), m.create(targets, new Shape(4))));
        }
    }

    @Test
    void memorisesASixteenTokenStringAndGeneratesIt() {
        Seeds.set(1);
        int[] text = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2};
        long[] in = new long[16];
        long[] next = new long[16];
        for (int i = 0; i < 16; i++) {
            in[i] = text[i];
            next[i] = text[i + 1];
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(10, 16, 2, 32, 4));
            gpt.initialize(m);
            var ps = new ParameterStore(m, false);
            List<Parameter> params = gpt.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
            Adam adam = new Adam(params, m);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 100; step++) {
                try (NDManager s = m.newSubManager();
                        GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                    NDArray tokens = s.create(in, new Shape(1, 16));
                    NDArray logits = gpt.forward(ps, new NDList(tokens), true).singletonOrThrow();
                    NDArray loss = TinyGpt.loss(logits, s.create(next, new Shape(1, 16)));
                    gc.backward(loss);
                    last = loss.getFloat();
                    if (step == 0) {
                        first = last;
                    }
                }
                adam.step(1e-2f);
            }
            assertTrue(first > 2.0f, "initial loss near ln(10): " + first);
            assertTrue(last < 0.1f * first, "loss should fall a lot: " + first + " -> " + last);
            int[] generated = gpt.generate(m, new int[] {3, 1, 4}, 13, 0.0, 0);
            int[] expected = java.util.Arrays.copyOf(text, 16);
            assertArrayEquals(expected, generated);
            int[] sampled = gpt.generate(m, new int[] {3}, 20, 1.0, 42);
            assertEquals(21, sampled.length);
            assertArrayEquals(sampled, gpt.generate(m, new int[] {3}, 20, 1.0, 42), "same seed, same sample");
            assertNotEquals(-1, sampled[20]);
        }
    }

    /** Plain Adam for the sanity check (frugal.train owns the real optimiser). */
    private static final class Adam {
        private final List<Parameter> params;
        private final List<NDArray> m1 = new ArrayList<>();
        private final List<NDArray> m2 = new ArrayList<>();
        private int t;

        Adam(List<Parameter> params, NDManager manager) {
            this.params = params;
            for (Parameter p : params) {
                m1.add(manager.zeros(p.getShape()));
                m2.add(manager.zeros(p.getShape()));
            }
        }

        void step(float lr) {
            t++;
            float c1 = (float) (1 - Math.pow(0.9, t));
            float c2 = (float) (1 - Math.pow(0.999, t));
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                try (NDManager s = w.getManager().newSubManager()) {
                    NDArray g = w.getGradient();
                    g.attach(s);
                    m1.get(i).muli(0.9f).addi(g.mul(0.1f));
                    m2.get(i).muli(0.999f).addi(g.square().mul(0.001f));
                    w.subi(m1.get(i).div(c1).div(m2.get(i).div(c2).sqrt().add(1e-8f)).mul(lr));
                    g.subi(g);
                }
            }
        }
    }
}
