package frugal.dg;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import frugal.core.FrugalException;
import frugal.core.ThreadGradients;
import frugal.nn.Classifier;
import frugal.train.AdamW;
import frugal.train.Losses;
import frugal.train.Optimizer;
import frugal.train.ParamGrouping;
import frugal.train.TrainableParams;
import java.util.function.Function;

/** One network with its own Adam: ERM's model, LFME's target, each LFME expert. */
final class Trainee implements AutoCloseable {
    private final Classifier model;
    private final TrainableParams params;
    private final Optimizer optimizer;
    private final double lr;

    Trainee(Classifier model, double lr, double weightDecay) {
        this.model = model;
        this.params = TrainableParams.of(model, ParamGrouping.uniform(weightDecay));
        this.optimizer = AdamW.factory().create(params);
        this.lr = lr;
    }

    Classifier model() {
        return model;
    }

    /** The model's logits for {@code images} (training mode, inside a gradient collector when one is open). */
    NDArray logits(NDArray images) {
        return Losses.forward(model, new NDList(images), true).singletonOrThrow();
    }

    /**
     * One Adam step on {@code loss(this)}, computed under a gradient collector; returns the loss value. Arrays the
     * loss uses (constants included) must live on {@code scope} until this returns.
     */
    double step(NDManager scope, Function<Trainee, NDArray> loss) {
        NDArray value;
        try (GradientCollector collector = ThreadGradients.collect()) {
            value = loss.apply(this);
            collector.backward(value);
        } catch (EngineException e) {
            throw new FrugalException("a training step's loss or backward pass failed: " + e.getMessage(), e);
        }
        double v = value.getFloat();
        if (!Double.isFinite(v)) {
            throw new FrugalException("training diverged: the loss is " + v + "; lower the learning rate (now " + lr
                    + ")");
        }
        optimizer.step(params.gradients(scope), lr, 1.0);
        return v;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
