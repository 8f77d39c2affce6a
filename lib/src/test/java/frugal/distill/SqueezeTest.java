package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import frugal.core.CellThread;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.nn.BatchNormLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqueezeTest {
    private static final Squeeze.Config CONFIG = new Squeeze.Config(30, 64, 3e-3, 5e-4, 4);

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void aCachedTeacherComesBackIdentical(@TempDir Path dir) {
        TeacherCache cache = TeacherCache.at(dir);
        Architecture a = Architecture.convNet(2, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Teacher trained = Squeeze.teacher(a, DistillFixtures.train(), DistillFixtures.test(), CONFIG, cache, m);
            assertFalse(trained.fromCache());
            assertTrue(trained.testAccuracy() > 0.3, "30 steps should beat chance, got " + trained.testAccuracy());
            Teacher loaded = Squeeze.teacher(a, DistillFixtures.train(), DistillFixtures.test(), CONFIG, cache, m);
            assertTrue(loaded.fromCache());
            assertEquals(trained.testAccuracy(), loaded.testAccuracy(), 0);
            NDArray x = DistillFixtures.test().images(m, IntStream.range(0, 8).toArray());
            assertArrayEquals(trained.logits(x).toFloatArray(), loaded.logits(x).toFloatArray(), 1e-6f);
            assertFalse(loaded.model().getParameters().get(0).getValue().requiresGradient(), "teachers are frozen");
        }
    }

    @Test
    void batchStatisticsLogitsLeaveTheRunningStatisticsAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            // trained in a fresh thread (grad mode on, as in a notebook cell): AdamW's in-place decay must work
            Teacher t = CellThread.call(() -> Squeeze.teacher(Architecture.convNet(2, 4),
                    DistillFixtures.train(), DistillFixtures.test(), CONFIG, TeacherCache.disabled(), m));
            BatchNormLayer first = BatchNormLayer.inOrder(t.model()).get(0);
            float[] mean = first.runningMean().toFloatArray();
            float[] var = first.runningVar().toFloatArray();
            NDArray x = DistillFixtures.test().images(m, IntStream.range(0, 16).toArray()).mul(2);
            float[] batchSpecific = t.batchStatisticsLogits(x).toFloatArray();
            float[] eval = t.logits(x).toFloatArray();
            assertArrayEquals(mean, first.runningMean().toFloatArray(), 0);
            assertArrayEquals(var, first.runningVar().toFloatArray(), 0);
            double diff = 0;
            for (int i = 0; i < eval.length; i++) {
                diff += Math.abs(eval[i] - batchSpecific[i]);
            }
            assertTrue(diff > 1e-3, "train-mode BN normalises by the batch, so the logits differ");
        }
    }

    @Test
    void aCorruptCacheFileIsAClearError(@TempDir Path dir) throws Exception {
        TeacherCache cache = TeacherCache.at(dir);
        Architecture a = Architecture.convNet(1, 4);
        Files.write(cache.fileFor(CONFIG.key(a, DistillFixtures.train())), new byte[] {1, 2, 3});
        try (NDManager m = NDManager.newBaseManager()) {
            var e = assertThrows(FrugalException.class,
                    () -> Squeeze.teacher(a, DistillFixtures.train(), DistillFixtures.test(), CONFIG, cache, m));
            assertTrue(e.getMessage().contains("Delete it"), e.getMessage());
        }
    }
}
