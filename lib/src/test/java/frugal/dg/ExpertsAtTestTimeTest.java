package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import frugal.data.ImageBatch;
import frugal.data.ImageSet;
import frugal.nn.Classifier;
import frugal.nn.CountingBlock;
import frugal.nn.GroupNormCnn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertsAtTestTimeTest {
    @Test
    void expertsAreTrainedButNeverCalledAtPredictionTime() {
        Engines.pytorch();
        List<CountingBlock> built = new ArrayList<>();
        Network counted = classes -> {
            Classifier plain = new MnistCnn(16).build(classes);
            CountingBlock featurizer = new CountingBlock(plain.featurizer());
            built.add(featurizer);
            return new Classifier(featurizer, GroupNormCnn.head(classes));
        };
        ImageSet images = TinyDomains.images(30, 8, 6);
        try (NDManager m = NDManager.newBaseManager()) {
            RunSetup setup = new RunSetup(counted, 3, 3, new Shape(2, 1, 8, 8), 1e-3, 0, 1, m);
            try (Learner lfme = Lfme.withExperts(1.0).start(setup)) {
                assertEquals(4, built.size(), "a target and one expert per training domain");
                for (int s = 0; s < 3; s++) {
                    try (NDManager step = m.newSubManager()) {
                        List<ImageBatch> batches = new ArrayList<>();
                        for (int d = 0; d < 3; d++) {
                            batches.add(images.batchAt(step, s, 2, d));
                        }
                        lfme.update(batches, step);
                    }
                }
                int[] afterTraining = built.stream().mapToInt(CountingBlock::calls).toArray();
                for (int e = 1; e < 4; e++) {
                    assertTrue(afterTraining[e] > 0, "expert " + e + " was trained");
                }
                var predictions = LeaveOneDomainOut.predict(lfme.predictor(), images, m);
                assertEquals(images.size(), predictions.classes().length);
                assertTrue(built.get(0).calls() > afterTraining[0], "the target predicts");
                for (int e = 1; e < 4; e++) {
                    assertEquals(afterTraining[e], built.get(e).calls(), "expert " + e + " was called at test time");
                    assertNotSame(lfme.predictor(), lfme.experts().get(e - 1));
                }
            }
        }
    }
}
