package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import frugal.core.Engines;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AugmentTest {
    private static final int N = 4;
    private static final int S = 6;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    private static float[] images() {
        float[] v = new float[N * 2 * S * S];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.01f + (i % 7);
        }
        return v;
    }

    private static float at(float[] v, int n, int c, int y, int x) {
        return v[((n * 2 + c) * S + y) * S + x];
    }

    @Test
    void noneIsTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = images();
            float[] out = Augment.none().apply(m.create(v, new Shape(N, 2, S, S)), new Random(1), m).toFloatArray();
            assertArrayEquals(v, out, 1e-5f);
        }
    }

    @Test
    void rollAndFlipMoveWholePixelsAsTorchDoes() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = images();
            Augment augment = new Augment(1, 1, true, 3);
            float[] out = augment.apply(m.create(v, new Shape(N, 2, S, S)), new Random(5), m).toFloatArray();
            // replay the same draws: per image flip, shift rows, shift cols
            Random replay = new Random(5);
            for (int n = 0; n < N; n++) {
                boolean flip = replay.nextBoolean();
                int dy = replay.nextInt(4);
                int dx = replay.nextInt(4);
                for (int c = 0; c < 2; c++) {
                    for (int y = 0; y < S; y++) {
                        for (int x = 0; x < S; x++) {
                            int sy = Math.floorMod(y - dy, S); // torch.roll: out[i] = in[i - shift]
                            int sxFlipped = Math.floorMod(x - dx, S);
                            int sx = flip ? S - 1 - sxFlipped : sxFlipped;
                            assertEquals(at(v, n, c, sy, sx), at(out, n, c, y, x), 1e-4f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void resizeRowsAreBilinearWeightsInsideTheCrop() {
        float[][] r = Augment.resample(2, 3, S);
        for (float[] row : r) {
            double sum = 0;
            for (int i = 0; i < S; i++) {
                sum += row[i];
                if (i < 2 || i > 4) {
                    assertEquals(0, row[i], 0, "weight outside the crop");
                }
            }
            assertEquals(1, sum, 1e-6);
        }
        // the full-size "crop" is the identity
        float[][] id = Augment.resample(0, S, S);
        for (int o = 0; o < S; o++) {
            assertEquals(1, id[o][o], 1e-6);
        }
    }

    @Test
    void cropsAreRandomAndDifferentiable() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(images(), new Shape(N, 2, S, S));
            x.setRequiresGradient(true);
            Augment augment = Augment.cropFlipRoll(0.08, 1);
            NDArray a;
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                a = augment.apply(x, new Random(2), m);
                collector.backward(a.sum());
            }
            assertEquals(new Shape(N, 2, S, S), a.getShape());
            assertTrue(x.getGradient().sum().getFloat() > 0);
            float[] b = augment.apply(x, new Random(3), m).toFloatArray();
            assertFalse(Arrays.equals(a.toFloatArray(), b), "another seed gives other crops");
            // crops never exceed the image and keep values within the input's range
            float max = x.max().getFloat();
            assertTrue(a.max().getFloat() <= max + 1e-3f);
        }
    }

    @Test
    void cropBoxesFitAndFollowTheScaleRange() {
        Augment augment = new Augment(0.3, 0.6, false, 0);
        Random random = new Random(9);
        for (int i = 0; i < 200; i++) {
            int[] box = augment.cropBox(28, 28, random);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 28 && box[1] + box[3] <= 28);
            double area = box[2] * box[3] / (28.0 * 28.0);
            assertTrue(area > 0.2 && area < 0.72, "area " + area);
        }
    }
}
