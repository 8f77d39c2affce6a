package frugal.galore;

import frugal.core.TorchTest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.data.TokenBatches;
import frugal.nn.TinyGpt;
import frugal.train.Batches;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.TrainableParams;
import frugal.train.Trainer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoraLinearTest extends TorchTest {
    private static final TinyGpt.Config CONFIG = TinyGpt.Config.of(12, 8, 1, 16, 2).withBias(false);

    /**
     * Only the adapters train in the blocks: per Linear r (in + out) scalars (rank 4: qkv 4 * 64, proj 4 * 32,
     * up 4 * 80, down 4 * 80), next to the embeddings, norms and head. Training moves A and B, never W.
     */
    @Test
    void baseIsFrozenAndAdaptersTrain() {
        Seeds.set(1);
        TinyGpt model = new TinyGpt(CONFIG, LoraLinear.factory(4, 4.0));
        model.initialize(manager);
        TrainableParams params = TrainableParams.of(model, ParamGrouping.uniform(0));
        List<String> paths = params.entries().stream().map(TrainableParams.Entry::path).toList();
        assertTrue(paths.stream().noneMatch(p -> p.endsWith("attn_qkv_weight") || p.endsWith("mlp_down_weight")), paths.toString());
        assertEquals(8, paths.stream().filter(p -> p.contains("lora_")).count(), paths.toString());
        long outside = 12 * 16 + 8 * 16 + 3 * 16 + 12 * 16;
        assertEquals(outside + 4 * (64 + 32 + 80 + 80), params.count());

        List<LoraLinear> linears = model.blockLinears().stream().map(LoraLinear.class::cast).toList();
        float[] base = linears.get(0).baseWeight().toFloatArray();
        float[] b = linears.get(0).adapterB().toFloatArray();
        assertEquals(0f, max(b), "B starts at zero");
        int[] tokens = IntStream.range(0, 400).map(i -> (i * 7 + i / 5) % 12).toArray();
        Trainer.train(model, Batches.tokens(new TokenBatches(tokens, 8, 4, 1)),
                LossFunction.of(Losses.softmaxCrossEntropy()), TrainConfig.of(5, 1e-2).quiet());
        assertArrayEquals(base, linears.get(0).baseWeight().toFloatArray(), 0f, "the base weight is frozen");
        assertTrue(max(linears.get(0).adapterB().toFloatArray()) > 1e-3, "B trained");
    }

    /** With B = 0 the model computes exactly what the plain model with the same base weights computes. */
    @Test
    void startsAsTheBaseModel() {
        Seeds.set(2);
        TinyGpt lora = new TinyGpt(CONFIG, LoraLinear.factory(4, 4.0));
        lora.initialize(manager);
        TinyGpt dense = new TinyGpt(CONFIG);
        dense.initialize(manager);
        var loraParams = lora.getParameters();
        dense.getParameters().forEach(p -> loraParams.get(p.getKey()).getArray().copyTo(p.getValue().getArray()));
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new long[] {1, 5, 3, 7, 2, 2, 9, 0}, new Shape(1, 8));
            assertArrayEquals(forward(dense, x), forward(lora, x), 1e-5f);
        }
    }

    @Test
    void refusesARankAboveTheSmallerSide() {
        assertThrows(FrugalException.class, () -> new LoraLinear(8, 16, false, 9, 1.0));
        assertThrows(FrugalException.class, () -> new LoraLinear(8, 16, false, 2, 0));
    }

    private static float[] forward(Block model, NDArray x) {
        return model.forward(new ParameterStore(x.getManager(), false), new NDList(x), false).head().toFloatArray();
    }

    private static float max(float[] v) {
        float m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
