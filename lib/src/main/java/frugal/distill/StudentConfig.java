package frugal.distill;

import frugal.core.FrugalException;

/**
 * The evaluation protocol: a fresh student trained from scratch on a distilled set, AdamW with weight
 * decay on matrices, a "smoothed" cosine learning rate that decays only part of the way
 * ({@code lr_t = lr (1 + cos(pi t / (stretch * steps))) / 2}; stretch 2 ends at half the peak, as SRe2L++),
 * random augmentation of every batch, and with soft labels the loss {@code KL(softmax(z_t / T) ||
 * softmax(z_s / T))} (computed as the cross-entropy with the teacher's distribution, which differs from
 * the KL by the teacher's entropy, a constant).
 *
 * @param architecture the student network
 * @param steps optimiser steps
 * @param batchSize images per step (capped at the set's size)
 * @param lr peak learning rate
 * @param weightDecay AdamW decay of conv and linear weights
 * @param temperature T of the soft labels
 * @param cosineStretch 1 for a full cosine to 0, 2 for SRe2L++'s decay to half
 * @param augment applied to every batch (random resized crop + flip in SRe2L's protocol)
 */
public record StudentConfig(Architecture architecture, int steps, int batchSize, double lr, double weightDecay,
        double temperature, double cosineStretch, Augment augment) {
    public StudentConfig {
        if (architecture == null || augment == null) {
            throw new FrugalException("StudentConfig needs an architecture and an augmentation (Augment.none() for none)");
        }
        if (steps < 1 || batchSize < 1) {
            throw new FrugalException("StudentConfig needs steps >= 1 and batchSize >= 1, got " + steps + ", " + batchSize);
        }
        if (!(lr > 0) || !(weightDecay >= 0) || !(temperature > 0) || !(cosineStretch >= 1)) {
            throw new FrugalException("StudentConfig needs lr > 0, weightDecay >= 0, temperature > 0 and cosineStretch"
                    + " >= 1; got " + lr + ", " + weightDecay + ", " + temperature + ", " + cosineStretch);
        }
    }

    /**
     * The SRe2L++ / CV-DD protocol scaled to {@code steps}: batch 32, AdamW lr 1e-3, weight decay 0.01,
     * T = 3 (CV-DD's {@code train_fkd.py}), smoothed cosine, crops of 25-100% of the area + flip.
     */
    public static StudentConfig of(Architecture architecture, int steps) {
        return new StudentConfig(architecture, steps, 32, 1e-3, 0.01, 3, 2, new Augment(0.25, 1, true, 0));
    }

    public StudentConfig withArchitecture(Architecture a) {
        return new StudentConfig(a, steps, batchSize, lr, weightDecay, temperature, cosineStretch, augment);
    }

    public StudentConfig withBatchSize(int size) {
        return new StudentConfig(architecture, steps, size, lr, weightDecay, temperature, cosineStretch, augment);
    }

    public StudentConfig withSteps(int n) {
        return new StudentConfig(architecture, n, batchSize, lr, weightDecay, temperature, cosineStretch, augment);
    }

    /** The learning rate of step {@code t}. */
    public double lrAt(long t) {
        return lr * 0.5 * (1 + Math.cos(Math.PI * t / (cosineStretch * steps)));
    }
}
