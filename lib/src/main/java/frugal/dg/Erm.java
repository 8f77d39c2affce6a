package frugal.dg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import frugal.data.ImageBatch;
import frugal.nn.Classifier;
import frugal.train.Losses;
import java.util.List;

/** Empirical risk minimisation: cross-entropy on all training domains' minibatches together (DomainBed's ERM). */
public final class Erm implements Algorithm {
    @Override
    public String name() {
        return "ERM";
    }

    @Override
    public Learner start(RunSetup setup) {
        Trainee model = setup.newTrainee(0);
        return new Learner() {
            @Override
            public double update(List<ImageBatch> batches, NDManager scope) {
                NDArray images = Minibatches.images(batches);
                NDArray labels = Minibatches.labels(batches);
                return model.step(scope, m -> Losses.softmaxCrossEntropy()
                        .loss(new NDList(m.logits(images)), new NDList(labels)));
            }

            @Override
            public Classifier predictor() {
                return model.model();
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
