package frugal.dg;

import frugal.core.FrugalException;
import java.util.Objects;

/**
 * How a leave-one-domain-out benchmark is run: the same for every algorithm.
 *
 * @param network every model's network (DomainBed: {@link MnistCnn#domainBed()})
 * @param batchPerDomain images per training domain per step (DomainBed: 64)
 * @param steps training steps per run (DomainBed: 5,001)
 * @param evalEvery a checkpoint is evaluated every this many steps, and after the last step
 * @param lr Adam's constant learning rate (DomainBed: 1e-3)
 * @param weightDecay decoupled weight decay (DomainBed's default: 0)
 * @param inFraction each domain's share used to train (training domains) or test (the test domain); the rest
 *     is the "out" split that selects models (DomainBed: 0.8)
 * @param valImagesPerDomain at most this many out-split images of each domain are evaluated per checkpoint
 * @param testImages at most this many in-split images of the test domain are evaluated per checkpoint
 * @param trials independent repetitions (new in/out splits, batches and initialisations) (DomainBed: 3)
 * @param seed everything random derives from it
 */
public record DgConfig(Network network, int batchPerDomain, int steps, int evalEvery, double lr, double weightDecay,
        double inFraction, int valImagesPerDomain, int testImages, int trials, long seed) {
    public DgConfig {
        Objects.requireNonNull(network, "network");
        positive("batchPerDomain", batchPerDomain);
        positive("steps", steps);
        positive("evalEvery", evalEvery);
        positive("valImagesPerDomain", valImagesPerDomain);
        positive("testImages", testImages);
        positive("trials", trials);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new FrugalException("DgConfig.lr must be finite and > 0, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new FrugalException("DgConfig.weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (!(inFraction > 0 && inFraction < 1)) {
            throw new FrugalException("DgConfig.inFraction must lie strictly between 0 and 1, got " + inFraction);
        }
    }

    /** Checkpoints per run. */
    public int checkpoints() {
        return (steps + evalEvery - 1) / evalEvery;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new FrugalException("DgConfig." + name + " must be > 0, got " + value);
        }
    }
}
