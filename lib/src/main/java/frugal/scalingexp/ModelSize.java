package frugal.scalingexp;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.mup.MupConfig;
import frugal.nn.TinyGpt;

/**
 * One rung of the model-size ladder: a GPT-2 style {@link TinyGpt} of {@code layers} blocks of width
 * {@code dModel} with {@code heads} attention heads (MLP ratio 4, biases); the parametrization is the setup's.
 */
public record ModelSize(int layers, int dModel, int heads) {
    public ModelSize {
        if (layers < 1 || dModel < 1 || heads < 1 || dModel % heads != 0) {
            throw new FrugalException("ModelSize: need layers, dModel, heads >= 1 with heads dividing dModel; got "
                    + layers + " layers, d " + dModel + ", " + heads + " heads");
        }
    }

    /** The model for a vocabulary, a context length and a parametrization. */
    public TinyGpt.Config config(int vocab, int context, MupConfig mup) {
        return TinyGpt.Config.of(vocab, context, layers, dModel, heads).withMup(mup);
    }

    /**
     * Kaplan's N for this size: trainable parameters without the token and position embeddings (the output
     * head counts), read off a freshly built model so it always agrees with {@link TinyGpt}.
     */
    public long nonEmbeddingParams(int vocab, int context) {
        Engines.pytorch();
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyGpt model = new TinyGpt(config(vocab, context, MupConfig.disabled()));
            model.initialize(manager);
            return model.nonEmbeddingParameterCount();
        }
    }

    /** {@code "2x64"}: layers x width. */
    public String label() {
        return layers + "x" + dModel;
    }

    @Override
    public String toString() {
        return "ModelSize[" + layers + " layers, d " + dModel + ", " + heads + " heads]";
    }
}
