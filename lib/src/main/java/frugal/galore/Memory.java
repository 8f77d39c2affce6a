package frugal.galore;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import frugal.core.FrugalException;
import frugal.train.AdamW;
import frugal.train.Optimizer;
import frugal.train.TrainableParams;

/**
 * Training memory of one run in bytes, counted from the arrays as allocated.
 *
 * @param weights every model parameter, frozen ones included
 * @param gradients one gradient per trainable parameter (what autograd keeps between backward and update)
 * @param optimizerState moments, and GaLore's projection bases
 * @param buffers GaLore's low-rank update buffers (0 for the others)
 */
public record Memory(long weights, long gradients, long optimizerState, long buffers) {
    /** Counts the model's parameters and the optimiser's state right after the optimiser is made. */
    public static Memory of(Block model, TrainableParams params, Optimizer optimizer) {
        long weights = 0;
        for (Parameter p : model.getParameters().values()) {
            weights += bytes(p.getArray());
        }
        long gradients = 0;
        for (TrainableParams.Entry e : params.entries()) {
            gradients += bytes(e.array());
        }
        if (optimizer instanceof GaLore g) {
            return new Memory(weights, gradients, g.stateBytes(), g.bufferBytes());
        }
        if (optimizer instanceof AdamW a) {
            return new Memory(weights, gradients, a.stateBytes(), 0);
        }
        throw new FrugalException("Memory counts AdamW and GaLore state; got " + optimizer.kind());
    }

    public long total() {
        return weights + gradients + optimizerState + buffers;
    }

    private static long bytes(NDArray a) {
        return a.size() * a.getDataType().getNumOfBytes();
    }
}
