package frugal.moe;

import frugal.core.FrugalException;

/**
 * The shape of a mixture-of-experts MLP: {@code experts} GELU MLPs of width {@code expertHidden}, of which a
 * softmax router picks {@code topK} per token.
 *
 * @param experts N_E, experts per layer
 * @param topK experts each token is sent to (1 <= topK <= experts)
 * @param expertHidden each expert's hidden width (d -> expertHidden -> d)
 */
public record MoeConfig(int experts, int topK, int expertHidden) {
    public MoeConfig {
        if (experts < 1 || topK < 1 || topK > experts || expertHidden < 1) {
            throw new FrugalException("MoeConfig: need experts >= 1, 1 <= topK <= experts and expertHidden >= 1; got "
                    + experts + " experts, top-" + topK + ", hidden " + expertHidden);
        }
    }

    /** Active MLP parameters per token relative to all of them: topK / experts. */
    public double activeFraction() {
        return (double) topK / experts;
    }
}
