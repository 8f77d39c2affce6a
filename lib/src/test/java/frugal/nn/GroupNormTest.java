package frugal.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import frugal.core.FrugalException;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GroupNormTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    /** Normalises each (sample, group) over its channels and pixels, then the per-channel affine. */
    private static double[] hand(float[] x, int n, int c, int hw, int groups, float[] gamma, float[] beta) {
        double[] y = new double[x.length];
        int perGroup = c / groups;
        for (int s = 0; s < n; s++) {
            for (int g = 0; g < groups; g++) {
                int from = (s * c + g * perGroup) * hw;
                int len = perGroup * hw;
                double mean = 0;
                for (int i = 0; i < len; i++) {
                    mean += x[from + i];
                }
                mean /= len;
                double var = 0;
                for (int i = 0; i < len; i++) {
                    var += (x[from + i] - mean) * (x[from + i] - mean);
                }
                var /= len;
                for (int i = 0; i < len; i++) {
                    int channel = g * perGroup + i / hw;
                    y[from + i] = (x[from + i] - mean) / Math.sqrt(var + 1e-5) * gamma[channel] + beta[channel];
                }
            }
        }
        return y;
    }

    private static void check(int groups) {
        int n = 2;
        int c = 4;
        int h = 3;
        int w = 2;
        Random r = new Random(groups);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3 + 1);
        }
        float[] gamma = {0.5f, -1f, 2f, 1.5f};
        float[] beta = {0.1f, 0.2f, -0.3f, 0f};
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm gn = new GroupNorm(groups);
            Shape shape = new Shape(n, c, h, w);
            gn.initialize(m, DataType.FLOAT32, shape);
            for (Parameter p : gn.getParameters().values()) {
                p.getArray().set(p.getName().equals("gamma") ? gamma : beta);
            }
            float[] y = gn.forward(new ParameterStore(m, false), new NDList(m.create(x, shape)), true)
                    .singletonOrThrow().toFloatArray();
            double[] expected = hand(x, n, c, h * w, groups, gamma, beta);
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 1e-4, "element " + i + " with " + groups + " groups");
            }
        }
    }

    @Test
    void matchesHandComputationForGroupsAndInstanceNorm() {
        check(2);
        check(1);
        check(4);
    }

    @Test
    void rejectsGroupsThatDoNotDivideChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm gn = new GroupNorm(3);
            assertThrows(FrugalException.class, () -> gn.initialize(m, DataType.FLOAT32, new Shape(1, 4, 2, 2)));
        }
    }
}
