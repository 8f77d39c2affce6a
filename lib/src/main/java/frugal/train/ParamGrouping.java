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
}
