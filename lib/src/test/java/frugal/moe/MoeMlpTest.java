package frugal.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import frugal.core.Engines;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router's top-k and the capacity-free dispatch against a dense computation on a tiny batch. */
class MoeMlpTest {
    private static final int D = 4;
    private static final int N = 3;
    private static final int K = 2;
    private static final int B = 2;
    private static final int T = 3;

    private NDManager manager;
    private MoeMlp block;
    private RoutingTrace trace;
    private NDArray x;

    @BeforeEach
    void setUp() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
        Seeds.set(11);
        trace = new RoutingTrace(1);
        block = new MoeMlp(new MoeConfig(N, K, 5), TinyGpt.Config.of(10, 8, 1, D, 1), 0, trace);
        block.initialize(manager, DataType.FLOAT32, new Shape(B, T, D));
        Random r = new Random(3);
        float[] values = new float[B * T * D];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        x = manager.create(values, new Shape(B, T, D));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Softmax of x . W_router^T per token, computed in Java. */
    private float[][] handProbs() {
        float[] w = block.router().getParameters().get("weight").getArray().toFloatArray(); // N x D
        float[] xs = x.toFloatArray();
        float[][] probs = new float[B * T][N];
        for (int t = 0; t < B * T; t++) {
            double[] z = new double[N];
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < N; e++) {
                for (int j = 0; j < D; j++) {
                    z[e] += xs[t * D + j] * w[e * D + j];
                }
                max = Math.max(max, z[e]);
            }
            double sum = 0;
            for (int e = 0; e < N; e++) {
                z[e] = Math.exp(z[e] - max);
                sum += z[e];
            }
            for (int e = 0; e < N; e++) {
                probs[t][e] = (float) (z[e] / sum);
            }
        }
        return probs;
    }

    /** The K most probable experts of a token by sorting, largest first. */
    private static int[] handTopK(float[] p) {
        return IntStream.range(0, N).boxed().sorted(Comparator.comparingDouble((Integer e) -> -p[e]))
                .limit(K).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKAndDispatchEqualADenseHandComputation() {
        ParameterStore ps = new ParameterStore(manager, false);
        float[] out = block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        // every expert on every token (dense), then combined with the hand-made gates
        NDArray flat = x.reshape(B * T, D);
        float[][] dense = new float[N][];
        for (int e = 0; e < N; e++) {
            dense[e] = block.expert(e, ps, flat, false, null).toFloatArray();
        }
        float[][] probs = handProbs();
        int[] traced = trace.layers().get(0).choices();
        for (int t = 0; t < B * T; t++) {
            int[] top = handTopK(probs[t]);
            assertArrayEquals(top, Arrays.copyOfRange(traced, t * K, t * K + K), "top-" + K + " of token " + t);
            double gateSum = probs[t][top[0]] + probs[t][top[1]];
            for (int j = 0; j < D; j++) {
                double expected = 0;
                for (int e : top) {
                    expected += probs[t][e] / gateSum * dense[e][t * D + j];
                }
                assertEquals(expected, out[t * D + j], 1e-5, "output of token " + t + ", unit " + j);
            }
        }
        // the routing is not trivial: both routed slots of the batch reach more than one expert
        assertTrue(Arrays.stream(traced).distinct().count() > 1, "picks " + Arrays.toString(traced));
    }

    @Test
    void gradientsOfTheDispatchEqualThoseOfTheDenseMixture() {
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray probe = manager.randomNormal(new Shape(B, T, D));
        List<float[]> sparse = gradients(() -> block.forward(ps, new NDList(x), true).singletonOrThrow()
                .mul(probe).sum());
        List<float[]> dense = gradients(() -> {
            NDArray flat = x.reshape(B * T, D);
            NDArray probs = block.router().forward(ps, new NDList(flat), true).singletonOrThrow().softmax(-1);
            float[] mask = new float[B * T * N];
            int[] picks = MoeMlp.topK(probs.toFloatArray(), N, K);
            for (int s = 0; s < picks.length; s++) {
                mask[(s / K) * N + picks[s]] = 1;
            }
            NDArray masked = probs.mul(manager.create(mask, new Shape(B * T, N)));
            NDArray gates = masked.div(masked.sum(new int[] {1}, true));
            NDArray out = null;
            for (int e = 0; e < N; e++) {
                NDArray y = block.expert(e, ps, flat, true, null).mul(gates.get(":, {}:{}", e, e + 1));
                out = out == null ? y : out.add(y);
            }
            return out.reshape(B, T, D).mul(probe).sum();
        });
        for (int i = 0; i < sparse.size(); i++) {
            float[] a = sparse.get(i);
            float[] b = dense.get(i);
            for (int j = 0; j < a.length; j++) {
                assertEquals(b[j], a[j], 1e-5, "gradient of parameter " + i + " element " + j);
            }
        }
    }

    private List<float[]> gradients(java.util.function.Supplier<NDArray> objective) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            c.zeroGradients();
            c.backward(objective.get());
        }
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().getGradient().toFloatArray());
        }
        return out;
    }
}
