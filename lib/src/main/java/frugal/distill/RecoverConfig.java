package frugal.distill;

import frugal.core.FrugalException;

/**
 * How synthetic images are recovered from a frozen teacher (or committee): Adam on the pixels with
 * cosine-decayed learning rate, loss {@code CE + rBn * BN matching} on augmented images, pixels clamped to
 * the valid range after every step.
 *
 * @param method the name shown in tables ("SRe2L", "SRe2L++", "DELT", "CV-DD")
 * @param iterations optimisation steps (the total, for EarlyLate: rounds x round length)
 * @param lr peak learning rate of the cosine schedule (no warmup), on normalised pixels
 * @param rBn weight of the BN-matching term (0.01 for CIFAR-sized images in SRe2L and CV-DD)
 * @param firstBnMultiplier extra weight of the first BN layer's term (10)
 * @param beta1 Adam's first-moment decay (0.5 in SRe2L)
 * @param beta2 Adam's second-moment decay (0.9 in SRe2L)
 * @param augment the augmentation applied before every forward
 * @param easyToHardCrops DELT: the crop's smallest area follows a cosine from 1 down to
 *     {@code augment.minScale()} over the iterations
 * @param realInit start from real "medium" images ranked by the teacher, else from N(0, 1) noise
 * @param rounds EarlyLate rounds; 1 optimises every image for all iterations
 * @param poolPerClass real images per class ranked for the medium selection
 * @param batchSize images optimised together (their BN statistics are matched together); larger sets are
 *     recovered batch after batch, as SRe2L's and DELT's scripts do ({@code --batch-size 100})
 */
public record RecoverConfig(String method, int iterations, double lr, double rBn, double firstBnMultiplier,
        double beta1, double beta2, Augment augment, boolean easyToHardCrops, boolean realInit, int rounds,
        int poolPerClass, int batchSize) {
    /** DELT's and CV-DD's {@code --batch-size}. */
    public static final int BATCH = 100;
    /** SRe2L's jitter for 32-pixel images, kept for 28-pixel ones. */
    public static final int ROLL = 4;
    /** The smallest crop area of RandomResizedCrop in SRe2L++, CV-DD and DELT. */
    public static final double MIN_CROP = 0.08;

    public RecoverConfig {
        if (method == null || method.isBlank()) {
            throw new FrugalException("RecoverConfig needs a method name");
        }
        if (iterations < 1 || rounds < 1) {
            throw new FrugalException(method + ": iterations and rounds must be >= 1, got " + iterations + ", " + rounds);
        }
        if (iterations % rounds != 0) {
            throw new FrugalException(method + ": " + iterations + " iterations do not split into " + rounds
                    + " equal EarlyLate rounds; use a multiple of " + rounds);
        }
        if (!(lr > 0) || !(rBn >= 0) || !(firstBnMultiplier >= 0)) {
            throw new FrugalException(method + ": lr must be > 0, rBn and firstBnMultiplier >= 0; got " + lr + ", " + rBn
                    + ", " + firstBnMultiplier);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new FrugalException(method + ": Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (augment == null) {
            throw new FrugalException(method + ": augment is null; use Augment.none() for no augmentation");
        }
        if (batchSize < 1) {
            throw new FrugalException(method + ": batchSize must be >= 1, got " + batchSize);
        }
        if (realInit && poolPerClass < 2) {
            throw new FrugalException(method + ": real initialisation ranks a pool of images per class; poolPerClass"
                    + " must be >= 2, got " + poolPerClass);
        }
    }

    /** SRe2L: noise init, small random roll only, lr 0.25, r_bn 0.01, Adam (0.5, 0.9). */
    public static RecoverConfig sre2l(int iterations) {
        return new RecoverConfig("SRe2L", iterations, 0.25, 0.01, BnMatching.FIRST_LAYER_MULTIPLIER, 0.5, 0.9,
                Augment.roll(ROLL), false, false, 1, 0, BATCH);
    }

    /** SRe2L++: real medium init, random resized crop (0.08..1) + flip + roll. */
    public static RecoverConfig sre2lPlusPlus(int iterations, int poolPerClass) {
        return new RecoverConfig("SRe2L++", iterations, 0.25, 0.01, BnMatching.FIRST_LAYER_MULTIPLIER, 0.5, 0.9,
                Augment.cropFlipRoll(MIN_CROP, ROLL), false, true, 1, poolPerClass, BATCH);
    }

    /** CV-DD: SRe2L++'s recipe, each image recovered by a pair of committee members. */
    public static RecoverConfig cvdd(int iterations, int poolPerClass) {
        return sre2lPlusPlus(iterations, poolPerClass).withMethod("CV-DD");
    }

    /** DELT: SRe2L++'s recipe with EarlyLate rounds and easy-to-hard crops. */
    public static RecoverConfig delt(int iterations, int rounds, int poolPerClass) {
        return new RecoverConfig("DELT", iterations, 0.25, 0.01, BnMatching.FIRST_LAYER_MULTIPLIER, 0.5, 0.9,
                Augment.cropFlipRoll(MIN_CROP, ROLL), true, true, rounds, poolPerClass, BATCH);
    }

    public RecoverConfig withMethod(String name) {
        return new RecoverConfig(name, iterations, lr, rBn, firstBnMultiplier, beta1, beta2, augment, easyToHardCrops,
                realInit, rounds, poolPerClass, batchSize);
    }

    public RecoverConfig withIterations(int steps) {
        return new RecoverConfig(method, steps, lr, rBn, firstBnMultiplier, beta1, beta2, augment, easyToHardCrops,
                realInit, rounds, poolPerClass, batchSize);
    }

    public RecoverConfig withBatchSize(int size) {
        return new RecoverConfig(method, iterations, lr, rBn, firstBnMultiplier, beta1, beta2, augment, easyToHardCrops,
                realInit, rounds, poolPerClass, size);
    }

    /** The learning rate of iteration {@code t}: {@code lr * (1 + cos(pi t / iterations)) / 2}. */
    public double lrAt(int t) {
        return lr * 0.5 * (1 + Math.cos(Math.PI * t / iterations));
    }

    /** The augmentation of iteration {@code t} (DELT's smallest crop area: cosine from 1 to the floor). */
    public Augment augmentAt(int t) {
        if (!easyToHardCrops) {
            return augment;
        }
        double floor = augment.minScale();
        return augment.withMinScale(floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t / iterations)));
    }
}
