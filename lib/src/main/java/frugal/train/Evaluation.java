package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import frugal.core.FrugalException;
import java.util.Map;

/** Loss and accuracy over a set of batches, without gradients, one batch scope at a time. */
public final class Evaluation {
    private Evaluation() {}

    /** Mean loss and arg-max accuracy with one forward pass per batch (batches 0 .. batches-1 of the source). */
    public static EvalResult classification(
            Block model, OutputLoss loss, BatchSource source, long batches, NDManager manager) {
        requireBatches(batches);
        double lossSum = 0;
        long correct = 0;
        long count = 0;
        long tokens = 0;
        for (long b = 0; b < batches; b++) {
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = source.batch(scope, b);
                NDList outputs = Losses.forward(model, batch.inputs(), false);
                lossSum += scalar(loss.loss(outputs, batch.targets()), "evaluation loss") * batch.tokens();
                tokens += batch.tokens();
                correct += correct(outputs.head(), batch.targets().head());
                count += batch.targets().head().size();
            }
        }
        return new EvalResult(tokens == 0 ? Double.NaN : lossSum / tokens, count == 0 ? Double.NaN : (double) correct / count, count);
    }

    /** Mean of a model-level loss (training flag off), weighted by each batch's token count. */
    public static double meanLoss(Block model, LossFunction loss, BatchSource source, long batches, NDManager manager) {
        requireBatches(batches);
        double sum = 0;
        long tokens = 0;
        for (long b = 0; b < batches; b++) {
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = source.batch(scope, b);
                sum += scalar(loss.loss(model, batch.inputs(), batch.targets(), false), "evaluation loss") * batch.tokens();
                tokens += batch.tokens();
            }
        }
        return tokens == 0 ? Double.NaN : sum / tokens;
    }

    /**
     * The loss of each of the first {@code batches} batches (training flag off): two models evaluated on the
     * same source can be compared batch by batch (a paired test over evaluation data).
     */
    public static double[] batchLosses(Block model, LossFunction loss, BatchSource source, int batches,
            NDManager manager) {
        requireBatches(batches);
        double[] losses = new double[batches];
        for (int b = 0; b < batches; b++) {
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = source.batch(scope, b);
                losses[b] = scalar(loss.loss(model, batch.inputs(), batch.targets(), false), "evaluation loss");
            }
        }
        return losses;
    }

    /** Fraction of targets equal to the arg-max of the model's first output over its last axis. */
    public static double accuracy(Block model, BatchSource source, long batches, NDManager manager) {
        requireBatches(batches);
        long correct = 0;
        long count = 0;
        for (long b = 0; b < batches; b++) {
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = source.batch(scope, b);
                correct += correct(Losses.forward(model, batch.inputs(), false).head(), batch.targets().head());
                count += batch.targets().head().size();
            }
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** An {@link Evaluator} for the training loop reporting {@code loss} and {@code accuracy}. */
    public static Evaluator classifier(OutputLoss loss, BatchSource source, long batches) {
        requireBatches(batches);
        return (model, manager) -> {
            EvalResult r = classification(model, loss, source, batches, manager);
            return Map.of("loss", r.loss(), "accuracy", r.accuracy());
        };
    }

    private static long correct(NDArray outputs, NDArray targets) {
        if (!outputs.getShape().slice(0, outputs.getShape().dimension() - 1).equals(targets.getShape())) {
            throw new FrugalException("accuracy needs targets of shape "
                    + outputs.getShape().slice(0, outputs.getShape().dimension() - 1) + " (class indices) for outputs "
                    + outputs.getShape() + ", got " + targets.getShape());
        }
        NDArray predicted = outputs.argMax(-1);
        return predicted.eq(targets.toType(predicted.getDataType(), false)).countNonzero().getLong();
    }

    static double scalar(NDArray value, String what) {
        if (value.size() != 1) {
            throw new FrugalException(what + " must be a scalar, got shape " + value.getShape()
                    + "; reduce it (for example .mean()) in the loss function");
        }
        // a float32 scalar (the usual case) is read without a conversion op
        return value.getDataType() == DataType.FLOAT32 ? value.getFloat() : value.toType(DataType.FLOAT64, false).getDouble();
    }

    private static void requireBatches(long batches) {
        if (batches <= 0) {
            throw new IllegalArgumentException("batches must be > 0, got " + batches);
        }
    }
}
