package frugal.train;

import ai.djl.nn.Parameter;

/** Assigns each named model parameter (DJL's parameter path, e.g. {@code 01Linear_weight}) to a group. */
@FunctionalInterface
public interface ParamGrouping {
    ParamGroup groupOf(String path, Parameter parameter);

    /** One group for all; biases and norm gains are usually excluded from decay by the caller's grouping. */
    static ParamGrouping uniform(double weightDecay) {
        ParamGroup all = new ParamGroup("all", 1.0, weightDecay);
        return (path, p) -> all;
    }

    /**
     * Decay for matrices and kernels only: parameters with fewer than two dimensions (biases, norm gains and
     * shifts) go to a "no_decay" group, as GPT-style training does.
     */
    static ParamGrouping decayMatricesOnly(double weightDecay) {
        ParamGroup decay = new ParamGroup("decay", 1.0, weightDecay);
        ParamGroup noDecay = new ParamGroup("no_decay", 1.0, 0.0);
        return (path, p) -> p.getArray().getShape().dimension() >= 2 ? decay : noDecay;
    }
}
