package frugal.growth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GrowthOperatorTest {
    private static final TinyGpt.Config SMALL = TinyGpt.Config.of(11, 6, 2, 8, 2);

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void stackingWithTheCopiesResidualBranchesZeroedIsTheSmallModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt small = trainedLooking(m);
            TinyGpt grown = GrowthOperator.STACK.grow(small, 4, m, 5);
            NDArray tokens = tokens(m);
            float[] before = logits(grown, tokens);
            List<Block> blocks = TinyGptParts.blocks(grown);
            for (Block copy : blocks.subList(SMALL.layers(), blocks.size())) {
                TinyGptParts.zeroResidualBranches(copy);
            }
            assertArrayEquals(logits(small, tokens), logits(grown, tokens), 1e-5f);
            // with the copies active the grown model is a different function (stacking does not preserve it)
            assertTrue(maxAbsDiff(logits(small, tokens), before) > 1e-2, "G_stack left the function unchanged");
        }
    }

    @Test
    void stackedBlockIHoldsTheSmallModelsBlockIModL() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt small = trainedLooking(m);
            TinyGpt grown = GrowthOperator.STACK.grow(small, 3, m, 5);
            assertEquals(6, grown.config().layers());
            assertEquals(SMALL.dModel(), grown.config().dModel());
            List<Block> from = TinyGptParts.blocks(small);
            List<Block> to = TinyGptParts.blocks(grown);
            for (int i = 0; i < to.size(); i++) {
                assertEquals(values(from.get(i % 2)), values(to.get(i)), "block " + i);
            }
            long perBlock = (small.nonEmbeddingParameterCount() - outerNonEmbedding()) / SMALL.layers();
            assertEquals(small.parameterCount() + 4 * perBlock, grown.parameterCount());
            for (String name : List.of("tok_emb", "pos_emb")) {
                assertArrayEquals(small.getDirectParameters().get(name).getArray().toFloatArray(),
                        grown.getDirectParameters().get(name).getArray().toFloatArray(), name);
            }
        }
    }

    @Test
    void zeroGrowthPreservesTheFunctionAndRandomGrowthDoesNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt small = trainedLooking(m);
            NDArray tokens = tokens(m);
            TinyGpt zero = GrowthOperator.ZERO.grow(small, 4, m, 5);
            TinyGpt random = GrowthOperator.RANDOM.grow(small, 4, m, 5);
            assertEquals(8, zero.config().layers());
            assertEquals(new Shape(2, 6, 11), zero.forward(new ParameterStore(m, false), new NDList(tokens), false)
                    .singletonOrThrow().getShape());
            assertArrayEquals(logits(small, tokens), logits(zero, tokens), 1e-5f);
            double randomGap = maxAbsDiff(logits(small, tokens), logits(random, tokens));
            assertTrue(randomGap > 1e-3, "G_random changed the logits by only " + randomGap);
            // the bottom blocks are the small model's, the new ones are not
            List<Block> blocks = TinyGptParts.blocks(random);
            assertEquals(values(TinyGptParts.blocks(small).get(1)), values(blocks.get(1)));
            assertTrue(!values(TinyGptParts.blocks(small).get(1)).equals(values(blocks.get(3))));
        }
    }

    @Test
    void theGrownModelOwnsItsParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt small = trainedLooking(m);
            NDArray tokens = tokens(m);
            float[] smallLogits = logits(small, tokens);
            TinyGpt grown = GrowthOperator.STACK.grow(small, 2, m, 5);
            for (Parameter p : grown.getParameters().values()) {
                p.getArray().set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
            }
            assertArrayEquals(smallLogits, logits(small, tokens), 0f);
        }
    }

    @Test
    void badFactorsAndUntrainedModelsAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            FrugalException untrained = assertThrows(FrugalException.class,
                    () -> GrowthOperator.STACK.grow(new TinyGpt(SMALL), 4, m, 1));
            assertTrue(untrained.getMessage().contains("no parameters"), untrained.getMessage());
            TinyGpt small = trainedLooking(m);
            FrugalException factor = assertThrows(FrugalException.class, () -> GrowthOperator.ZERO.grow(small, 1, m, 1));
            assertTrue(factor.getMessage().contains(">= 2"), factor.getMessage());
        }
    }

    /** A small model whose parameters are all non-trivial (biases and LayerNorm shifts too, not zeros and ones). */
    private static TinyGpt trainedLooking(NDManager m) {
        Seeds.set(3);
        TinyGpt small = new TinyGpt(SMALL);
        small.initialize(m);
        for (Parameter p : small.getParameters().values()) {
            NDArray a = p.getArray();
            a.addi(m.randomNormal(0, 0.1f, a.getShape(), a.getDataType()));
        }
        return small;
    }

    private static NDArray tokens(NDManager m) {
        return m.create(new long[] {1, 4, 2, 9, 0, 3, 7, 7, 5, 10, 6, 2}, new Shape(2, 6));
    }

    private static float[] logits(TinyGpt model, NDArray tokens) {
        return model.forward(new ParameterStore(tokens.getManager(), false), new NDList(tokens), false)
                .singletonOrThrow().toFloatArray();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static List<List<Float>> values(Block block) {
        return block.getParameters().values().stream().map(p -> {
            float[] v = p.getArray().toFloatArray();
            List<Float> boxed = new java.util.ArrayList<>(v.length);
            for (float x : v) {
                boxed.add(x);
            }
            return boxed;
        }).toList();
    }

    /** ln_f (gain and shift) and the head: the non-embedding parameters outside the blocks. */
    private static long outerNonEmbedding() {
        return 2L * SMALL.dModel() + (long) SMALL.dModel() * SMALL.vocab();
    }
}
