package frugal.binary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import frugal.train.Losses;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FlipTrackerTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void countsTheFractionOfSignsChangedSinceTheLastCheck() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(41);
            TinyGpt model = FbiGpt.binarized(TinyGpt.Config.of(5, 4, 1, 8, 2));
            model.initialize(m);
            FlipTracker tracker = FlipTracker.of(model);
            long total = 8 * 24 + 8 * 8 + 8 * 32 + 32 * 8;
            assertEquals(total, tracker.weights());
            assertEquals(0.0, tracker.check());
            List<FbiLinear> layers = FbiGpt.layers(model);
            float[] w = layers.get(0).latentWeight().toFloatArray();
            for (int i = 0; i < 10; i++) {
                w[i] = -w[i];
            }
            w[11] *= 0.5f; // same sign: not a flip
            layers.get(0).latentWeight().set(w);
            float[] down = layers.get(3).latentWeight().toFloatArray();
            down[0] = -down[0];
            layers.get(3).latentWeight().set(down);
            assertEquals(11.0 / total, tracker.check(), 1e-12);
            assertEquals(0.0, tracker.check(), "the last check is the new baseline");
        }
    }

    @Test
    void needsABinarizedModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt dense = new TinyGpt(TinyGpt.Config.of(5, 4, 1, 8, 2));
            dense.initialize(m);
            assertThrows(FrugalException.class, () -> FlipTracker.of(dense));
        }
    }

    @Test
    void postTrainingBinarizationKeepsTheTrainedSignsAndComputesTheScales() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(42);
            TinyGpt teacher = new TinyGpt(TinyGpt.Config.of(9, 6, 2, 16, 2));
            teacher.initialize(m);
            PackedGptTest.perturb(teacher, m, new Random(42));
            TinyGpt binary = FbiGpt.postTraining(teacher, m);
            List<Block> dense = teacher.blockLinears();
            List<FbiLinear> fbi = FbiGpt.layers(binary);
            assertEquals(dense.size(), fbi.size());
            for (int i = 0; i < fbi.size(); i++) {
                float[] w = dense.get(i).getParameters().get("weight").getArray().toFloatArray();
                assertArrayEquals(w, fbi.get(i).latentWeight().toFloatArray(), "latent weight = trained weight");
                int in = fbi.get(i).in();
                int out = fbi.get(i).out();
                float[] beta = fbi.get(i).beta().toFloatArray();
                for (int j = 0; j < in; j++) {
                    double mean = 0;
                    for (int o = 0; o < out; o++) {
                        mean += w[o * in + j];
                    }
                    assertEquals(mean / out, beta[j], 1e-6);
                }
                assertArrayEquals(dense.get(i).getParameters().get("bias").getArray().toFloatArray(),
                        fbi.get(i).bias().toFloatArray());
            }
            assertArrayEquals(teacher.getParameters().get("tok_emb").getArray().toFloatArray(),
                    binary.getParameters().get("tok_emb").getArray().toFloatArray());
            // the baseline is a working binarized model: its logits differ from the teacher's but are finite
            try (NDManager s = m.newSubManager()) {
                var tokens = new NDList(s.create(new long[] {1, 2, 3}, new Shape(1, 3)));
                float[] a = Losses.forward(teacher, tokens, false).head().toFloatArray();
                float[] b = Losses.forward(binary, tokens, false).head().toFloatArray();
                double diff = 0;
                for (int i = 0; i < a.length; i++) {
                    assertTrue(Float.isFinite(b[i]));
                    diff = Math.max(diff, Math.abs(a[i] - b[i]));
                }
                assertTrue(diff > 1e-3, "binarization changes the function");
            }
            assertThrows(FrugalException.class, () -> FbiGpt.postTraining(binary, m));
        }
    }
}
