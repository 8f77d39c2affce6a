package frugal.growth;

import frugal.core.FrugalException;
import frugal.nn.TinyGpt;

/**
 * Training FLOPs of a {@link TinyGpt}, counted by hand from its matrix products, so runs of different
 * depths are compared at equal compute. One multiply-add is 2 FLOPs; a token's forward pass costs
 * <pre>
 *   per block   2 (3 + 1 + 2 r) d^2      q/k/v, attention out, MLP up and down (r = MLP ratio)
 *             + 2 * 2 T d                 scores q.k and attention x values over all T keys of the window
 *   head        2 d V
 * </pre>
 * and training costs three forwards (the backward pass is two: gradients of activations and of weights),
 * Kaplan's C = 6 N per token plus the attention term. TinyGpt computes the full T x T product and masks it
 * afterwards, so the attention term counts all T keys, as executed. Embedding look-ups, LayerNorms, softmax,
 * GELU, biases and the optimiser update are left out: they are linear in d, the convention of Kaplan et
 * al. and of the growth paper's FLOP counts.
 */
public final class Flops {
    /** Forward and backward: three forwards. */
    private static final int TRAINING_PASSES = 3;

    private Flops() {}

    /** Forward FLOPs per token of a window of {@code sequence} tokens. */
    public static long forwardPerToken(TinyGpt.Config model, int sequence) {
        if (sequence < 1 || sequence > model.context()) {
            throw new FrugalException("Flops: sequence length must be in [1, context = " + model.context() + "], got "
                    + sequence);
        }
        long d = model.dModel();
        long linears = 2 * (3 + 1 + 2L * model.mlpRatio()) * d * d;
        long attention = 2 * 2L * sequence * d;
        return model.layers() * (linears + attention) + 2 * d * model.vocab();
    }

    /** Training FLOPs (forward and backward) per token. */
    public static long trainingPerToken(TinyGpt.Config model, int sequence) {
        return TRAINING_PASSES * forwardPerToken(model, sequence);
    }

    /** Training FLOPs of one optimiser step on {@code batch} windows of {@code sequence} tokens. */
    public static long trainingPerStep(TinyGpt.Config model, int batch, int sequence) {
        if (batch < 1) {
            throw new FrugalException("Flops: batch must be >= 1 window, got " + batch);
        }
        return trainingPerToken(model, sequence) * batch * sequence;
    }
}
