package frugal.binary;

import frugal.core.HelperThreads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.nn.Parameter;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PackedLinearTest {
    /** (out, in) pairs: widths below, at and above word boundaries, and odd row counts. */
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {5, 63}, {4, 64}, {7, 65}, {9, 127}, {17, 130}, {64, 200},
        {33, 1000}, {2, 1024}};
    /** Both kernels run every equality test, whatever this JVM would pick (the vector one is slow on JDK 17). */
    private static final String[] KERNELS = {"scalar", "vector"};

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void packedKernelEqualsTheUnpackedBinarizedMatmulOfDjl() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(11);
            Random random = new Random(11);
            for (int[] s : SHAPES) {
                for (boolean bias : new boolean[] {false, true}) {
                    int out = s[0];
                    int in = s[1];
                    FbiLinear layer = new FbiLinear(in, out, bias);
                    layer.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
                    layer.initialize(m, DataType.FLOAT32, new Shape(1, in));
                    if (bias) {
                        layer.bias().set(new NDIndex(":"), m.create(gaussian(random, out)));
                    }
                    float[] x = gaussian(random, in);
                    float[] expected = layer.forward(new ParameterStore(m, false),
                            new NDList(m.create(x, new Shape(1, in))), false).singletonOrThrow().toFloatArray();
                    for (String kernel : KERNELS) {
                        PackedLinear packed = PackedLinear.of(layer).onKernel(kernel);
                        float[] y = new float[out];
                        packed.apply(x, y);
                        assertClose(expected, y, 1e-5, kernel + " " + out + " x " + in + (bias ? " with bias" : ""));
                    }
                }
            }
        }
    }

    @Test
    void kernelEqualsADoublePrecisionReferenceAndSplitsRowsOverThreads() {
        Random random = new Random(12);
        try (HelperThreads threads = HelperThreads.of(3)) {
            for (int[] s : SHAPES) {
                int out = s[0];
                int in = s[1];
                float[] latent = gaussian(random, out * in);
                float[] alpha = positive(random, in);
                float[] beta = gaussian(random, in);
                float[] bias = gaussian(random, out);
                float[] x = gaussian(random, in);
                float[] reference = new float[out];
                for (int o = 0; o < out; o++) {
                    double sum = bias[o];
                    for (int j = 0; j < in; j++) {
                        sum += (double) x[j] * (alpha[j] * (latent[o * in + j] >= 0 ? 1 : -1) + beta[j]);
                    }
                    reference[o] = (float) sum;
                }
                PackedLinear packed = PackedLinear.of(latent, out, in, alpha, beta, bias);
                for (String kernel : KERNELS) {
                    PackedLinear k = packed.onKernel(kernel);
                    assertEquals(kernel, k.kernel().split(" ")[0]);
                    assertArrayEquals(packed.bits(), k.bits(), kernel + " keeps the signs it was given");
                    float[] single = new float[out];
                    k.apply(x, single);
                    assertClose(reference, single, 1e-5, kernel + " " + out + " x " + in);
                    float[] parallel = new float[out];
                    k.apply(x, parallel, threads);
                    assertArrayEquals(single, parallel, 0f, kernel + ": rows split over threads give the same floats");
                }
                DenseLinear dense = new DenseLinear(out, in, packed.unpacked(), bias);
                float[] viaDense = new float[out];
                dense.apply(x, viaDense);
                assertClose(reference, viaDense, 1e-5, "dense " + out + " x " + in);
            }
        }
    }

    @Test
    void packingRoundTripsTheSignsAndLeavesPaddingZero() {
        Random random = new Random(13);
        int rows = 3;
        int cols = 70;
        float[] w = gaussian(random, rows * cols);
        long[] bits = BitPacking.pack(w, rows, cols);
        assertEquals(rows * 2, bits.length);
        float[] signs = BitPacking.unpack(bits, rows, cols);
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i] >= 0 ? 1f : -1f, signs[i]);
        }
        for (int r = 0; r < rows; r++) {
            assertEquals(0L, bits[r * 2 + 1] >>> (cols - 64), "padding bits of row " + r);
        }
        float[] flipped = w.clone();
        flipped[0] = -flipped[0];
        flipped[69] = -flipped[69];
        flipped[140] = -flipped[140];
        assertEquals(3, BitPacking.differingBits(bits, BitPacking.pack(flipped, rows, cols)));
    }

    @Test
    void packedLayerTakesAboutOneThirtySecondOfItsFp32Bytes() {
        int out = 256;
        int in = 512;
        PackedLinear packed = PackedLinear.of(new float[out * in], out, in, new float[in], new float[in], null);
        assertEquals(out * in / 8 + 8L * in, packed.weightBytes());
        assertEquals(4L * out * in, packed.fp32Bytes());
        assertTrue(packed.weightBytes() * 25 < packed.fp32Bytes(), "1/32 for the signs plus 8 bytes per input column");
    }

    @Test
    void badShapesAreClearErrors() {
        FrugalException e = assertThrows(FrugalException.class,
                () -> new PackedLinear(2, 65, new long[3], new float[65], new float[65], null));
        assertTrue(e.getMessage().contains("bits"), e.getMessage());
        PackedLinear p = PackedLinear.of(new float[6], 2, 3, new float[3], new float[3], null);
        assertThrows(FrugalException.class, () -> p.apply(new float[2], new float[2]));
        assertThrows(FrugalException.class, () -> HelperThreads.of(0));
        FrugalException kernel = assertThrows(FrugalException.class, () -> p.onKernel("fast"));
        assertTrue(kernel.getMessage().contains("auto, scalar or vector"), kernel.getMessage());
    }

    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static float[] positive(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f + r.nextFloat();
        }
        return v;
    }

    /** max |a - b| <= tolerance x max(1, max |a|): relative to the output's scale. */
    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(diff <= tolerance * scale, what + ": max abs diff " + diff + " at scale " + scale);
    }
}
