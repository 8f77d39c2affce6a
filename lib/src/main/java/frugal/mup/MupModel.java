package frugal.mup;

import ai.djl.nn.Parameter;

/** A model that follows a {@link MupConfig} and can tell the muP role of each of its parameters. */
public interface MupModel {
    /** The muP settings the model was built with. */
    MupConfig mup();

    /** The width (d_model) that the width multiplier m is computed from. */
    int width();

    /**
     * The role of one of this model's parameters.
     *
     * @throws frugal.core.FrugalException if the parameter does not belong to this model
     */
    ParamRole roleOf(Parameter parameter);
}
