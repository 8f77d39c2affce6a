package frugal.dg;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import frugal.nn.Classifier;
import java.util.Objects;

/**
 * What an {@link Algorithm} needs to start a run: the network, the data's shape, the optimiser settings and
 * where the parameters live.
 *
 * @param network builds every model of the run
 * @param classes number of classes
 * @param trainingDomains how many minibatches each step gets (one per training domain)
 * @param inputShape one minibatch's image shape, {@code B x C x H x W}
 * @param lr Adam's learning rate, constant (as in DomainBed)
 * @param weightDecay decoupled weight decay (0 in DomainBed's defaults)
 * @param seed initialises the models: model {@code k} of a run gets a seed derived from (seed, k)
 * @param manager owns the parameters for the run
 */
public record RunSetup(Network network, int classes, int trainingDomains, Shape inputShape, double lr,
        double weightDecay, long seed, NDManager manager) {
    public RunSetup {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(manager, "manager");
        if (classes < 2 || trainingDomains < 1 || inputShape.dimension() != 4) {
            throw new FrugalException("a run needs >= 2 classes, >= 1 training domain and B x C x H x W inputs, got "
                    + classes + " classes, " + trainingDomains + " domains, input " + inputShape);
        }
        if (!(lr > 0) || Double.isInfinite(lr) || !(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new FrugalException("learning rate must be finite and > 0 and weight decay finite and >= 0, got lr "
                    + lr + ", weight decay " + weightDecay);
        }
    }

    /** Model {@code k} of the run, initialised from (seed, k), with its own Adam. */
    Trainee newTrainee(int k) {
        Classifier model = network.build(classes);
        manager.getEngine().setRandomSeed(StepRandom.engineSeed(seed, k));
        model.initialize(manager, DataType.FLOAT32, inputShape);
        return new Trainee(model, lr, weightDecay);
    }
}
