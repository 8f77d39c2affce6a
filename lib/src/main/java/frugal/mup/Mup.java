package frugal.mup;

import frugal.train.ParamGroup;
import frugal.train.ParamGrouping;

/**
 * muP optimiser groups.
 *
 * <p>Choices, from the Power-scheduler card (item 5) and nanoGPT's optimiser setup: hidden matrices get
 * the learning rate divided by m; embeddings, the head, biases and norms keep multiplier 1 (the head's
 * width dependence is handled by dividing its logits by m, the embedding's by the fixed m_emb). Weight
 * decay applies to matrices (embeddings, hidden, head), never to biases or norm parameters. With muP
 * disabled every multiplier is 1 and only the decay split remains.
 */
public final class Mup {
    private Mup() {}

    /**
     * Groups {@code model}'s parameters by their {@link ParamRole}: groups named {@code hidden},
     * {@code embedding}, {@code head} and {@code no_decay}.
     *
     * @param weightDecay decoupled decay for the matrix groups
     */
    public static ParamGrouping paramGrouping(MupModel model, double weightDecay) {
        MupConfig mup = model.mup();
        ParamGroup hidden = new ParamGroup("hidden", mup.hiddenLrMultiplier(model.width()), weightDecay);
        ParamGroup embedding = new ParamGroup("embedding", 1.0, weightDecay);
        ParamGroup head = new ParamGroup("head", 1.0, weightDecay);
        ParamGroup noDecay = new ParamGroup("no_decay", 1.0, 0.0);
        return (path, parameter) -> switch (model.roleOf(parameter)) {
            case HIDDEN_MATRIX -> hidden;
            case EMBEDDING -> embedding;
            case HEAD -> head;
            case VECTOR -> noDecay;
        };
    }
}
