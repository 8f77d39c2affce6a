package frugal.dg;

import ai.djl.ndarray.NDManager;
import frugal.data.ImageBatch;
import frugal.nn.Classifier;
import java.util.List;

/** One run of an {@link Algorithm}: its models and optimisers, from the first step to the test. */
public interface Learner extends AutoCloseable {
    /**
     * One training step. {@code batches.get(d)} is the minibatch of training domain {@code d}; arrays made
     * here go on {@code scope}, which is closed after the step.
     *
     * @return the value of the objective the predictor was trained on
     */
    double update(List<ImageBatch> batches, NDManager scope);

    /** The only network used at test time. */
    Classifier predictor();

    /** Models trained alongside the predictor but dropped at test time (LFME's experts); none by default. */
    default List<Classifier> experts() {
        return List.of();
    }

    /** Frees optimiser state; the models' parameters stay with the run's manager. */
    @Override
    void close();
}
