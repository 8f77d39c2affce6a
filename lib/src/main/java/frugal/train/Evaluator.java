package frugal.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.Map;

/**
 * Measures the model during training (held-out loss, accuracy...). Runs without gradients; arrays it
 * creates belong on {@code manager}, which is closed afterwards.
 */
@FunctionalInterface
public interface Evaluator {
    /** Metric name to value, recorded in the {@link History} at the current step. */
    Map<String, Double> evaluate(Block model, NDManager manager);
}
