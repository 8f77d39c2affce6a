package frugal.train;

/**
 * Optimiser settings for a group of parameters: muP gives hidden matrices lr / m, embeddings the base lr.
 *
 * @param name shown in logs and checkpoints
 * @param lrMultiplier multiplies the schedule's learning rate for the group's parameters
 * @param weightDecay decoupled (AdamW) weight decay for the group
 */
public record ParamGroup(String name, double lrMultiplier, double weightDecay) {
    public ParamGroup {
        if (!(lrMultiplier >= 0) || Double.isInfinite(lrMultiplier)) {
            throw new IllegalArgumentException("group " + name + ": lrMultiplier must be finite and >= 0");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("group " + name + ": weightDecay must be finite and >= 0");
        }
    }
}
