package frugal.mup;

/** What a parameter is to muP: decides its init, learning-rate multiplier and weight decay. */
public enum ParamRole {
    /** Token and position embedding tables: lr multiplier 1, decayed. */
    EMBEDDING,
    /** Matrices inside the hidden layers (q, k, v, attention out, MLP): lr multiplier 1/m, decayed. */
    HIDDEN_MATRIX,
    /** The output head's weight: lr multiplier 1 (its logits are divided by m instead), decayed. */
    HEAD,
    /** Biases, norm gains and shifts, any other 1-D parameter: lr multiplier 1, never decayed. */
    VECTOR
}
