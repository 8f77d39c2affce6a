package frugal.mup;

import frugal.core.FrugalException;

/**
 * Maximal Update Parametrization (muP) settings, as the Power-scheduler paper (Shen et al. 2024) uses
 * them; the width multiplier is {@code m = width / baseWidth}.
 *
 * <p>When {@link #enabled()}, a model built with this config follows these rules (card
 * {@code power-scheduler.md}, item 5): embedding output times {@code embeddingMultiplier}; every
 * attention / MLP branch output times {@code residualMultiplier} before the residual add; hidden
 * matrices initialised with std {@code initStd / sqrt(m)} and trained with learning rate {@code lr / m};
 * attention logits scaled by {@code 1/d_head}; output logits divided by {@code m}; output projections
 * (attention out and MLP down) initialised with a further {@code 1 / sqrt(2 * layers)}. When disabled
 * every multiplier is 1, attention uses {@code 1/sqrt(d_head)}, and the init is GPT-2's: normal with
 * std {@code initStd}, output projections {@code initStd / sqrt(2 * layers)}.
 *
 * <p>Not in the paper card, chosen here and kept width independent as in IBM's dolomite-engine:
 * embeddings and the (untied) head are initialised with std {@code initStd}.
 *
 * @param enabled whether the muP rules apply; when false the other multipliers are ignored
 * @param baseWidth width (d_model) of the proxy model the hyper-parameters were tuned on
 * @param embeddingMultiplier m_emb, the paper uses 12
 * @param residualMultiplier m_res, the paper uses 0.22 to 0.26
 * @param initStd base init std, 0.02 as GPT-2
 */
public record MupConfig(
        boolean enabled, int baseWidth, double embeddingMultiplier, double residualMultiplier, double initStd) {

    public MupConfig {
        if (baseWidth <= 0) {
            throw new FrugalException("MupConfig.baseWidth must be > 0 (the d_model of the tuned proxy), got "
                    + baseWidth);
        }
        requirePositive("embeddingMultiplier", embeddingMultiplier);
        requirePositive("residualMultiplier", residualMultiplier);
        requirePositive("initStd", initStd);
    }

    /** Standard parametrization: no multipliers, GPT-2 init with std 0.02. */
    public static MupConfig disabled() {
        return new MupConfig(false, 1, 1.0, 1.0, 0.02);
    }

    /** The paper's settings (m_emb 12, m_res 0.22, init std 0.02) for a proxy of width {@code baseWidth}. */
    public static MupConfig paper(int baseWidth) {
        return new MupConfig(true, baseWidth, 12.0, 0.22, 0.02);
    }

    /** m = width / baseWidth when enabled, else 1. */
    public double widthMultiplier(int width) {
        if (width <= 0) {
            throw new FrugalException("width must be > 0, got " + width);
        }
        return enabled ? (double) width / baseWidth : 1.0;
    }

    /** Multiplies the embedding output (token + position). */
    public double embeddingScale() {
        return enabled ? embeddingMultiplier : 1.0;
    }

    /** Multiplies each attention / MLP branch before the residual add. */
    public double residualScale() {
        return enabled ? residualMultiplier : 1.0;
    }

    /** Scale of the attention logits q.k: 1/d_head under muP, 1/sqrt(d_head) otherwise. */
    public double attentionScale(int headDim) {
        if (headDim <= 0) {
            throw new FrugalException("headDim must be > 0, got " + headDim);
        }
        return enabled ? 1.0 / headDim : 1.0 / Math.sqrt(headDim);
    }

    /** Multiplies the output logits: 1/m. */
    public double logitScale(int width) {
        return 1.0 / widthMultiplier(width);
    }

    /** Init std of hidden matrices (q, k, v, MLP up): initStd / sqrt(m). */
    public double hiddenInitStd(int width) {
        return initStd / Math.sqrt(widthMultiplier(width));
    }

    /** Init std of output projections (attention out, MLP down): hidden std / sqrt(2 * layers). */
    public double outputProjectionInitStd(int width, int layers) {
        if (layers <= 0) {
            throw new FrugalException("layers must be > 0, got " + layers);
        }
        return hiddenInitStd(width) / Math.sqrt(2.0 * layers);
    }

    /** Learning-rate multiplier of hidden matrices: 1/m. */
    public double hiddenLrMultiplier(int width) {
        return 1.0 / widthMultiplier(width);
    }

    /** The same settings with muP switched on or off. */
    public MupConfig withEnabled(boolean on) {
        return new MupConfig(on, baseWidth, embeddingMultiplier, residualMultiplier, initStd);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new FrugalException("MupConfig." + name + " must be finite and > 0, got " + value);
        }
    }
}
