package frugal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import ai.djl.nn.Parameter;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.mup.MupConfig;
import frugal.nn.TinyGpt;
import java.util.Arrays;
import java.util.Random;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** k micro-batches of b rows accumulated = one step on the k*b rows, for a model without batch-coupled layers. */
class GradientAccumulationTest {
    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Block mlp() {
        Seeds.set(7);
        Block b = new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(2).build());
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        return b;
    }

    private static List<float[]> weights(Block model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** Trains 5 AdamW steps with clipping on batches of {@code rows} and returns the weights and the history. */
    private Pair<List<float[]>, History> train(int rows, int microBatches) {
        return train(rows, TrainConfig.of(5, 0.05).withClip(0.5).withMicroBatches(microBatches).quiet());
    }

    private Pair<List<float[]>, History> train(int rows, TrainConfig config) {
        Block model = mlp();
        History h = Trainer.train(model, TrainerTest.blobs(3, rows), LossFunction.of(Losses.softmaxCrossEntropy()),
                config);
        return new Pair<>(weights(model), h);
    }

    private static void assertClose(Pair<List<float[]>, History> a, Pair<List<float[]>, History> b) {
        for (int i = 0; i < a.getKey().size(); i++) {
            float[] x = a.getKey().get(i);
            float[] y = b.getKey().get(i);
            for (int j = 0; j < x.length; j++) {
                assertEquals(x[j], y[j], 2e-5, "parameter " + i + " element " + j);
            }
        }
        for (int s = 0; s < a.getValue().steps().size(); s++) {
            History.Step u = a.getValue().steps().get(s);
            History.Step v = b.getValue().steps().get(s);
            assertEquals(u.loss(), v.loss(), 1e-5, "loss at step " + u.step());
            assertEquals(u.gradNorm(), v.gradNorm(), 1e-5, "gradient norm at step " + u.step());
            assertEquals(u.tokens(), v.tokens(), "tokens at step " + u.step());
        }
    }

    @Test
    void fourMicroBatchesEqualOneStepOnTheWholeBatch() {
        var whole = train(32, 1);
        var accumulated = train(32, 4);
        assertClose(whole, accumulated);
        // the run moved: equality is not two untouched initialisations
        float[] start = weights(mlp()).get(0);
        float[] end = whole.getKey().get(0);
        double moved = 0;
        for (int j = 0; j < start.length; j++) {
            moved += Math.abs(start[j] - end[j]);
        }
        assertTrue(moved > 1e-2, "training changed the weights by " + moved);
    }

    @Test
    void unequalMicroBatchesAreWeightedByTheirTokens() {
        assertClose(train(30, 1), train(30, 4)); // slices of 8, 8, 7, 7 rows
    }

    @Test
    void slicesOnSeveralThreadsEqualOneStepOnTheWholeBatch() {
        TrainConfig parallel = TrainConfig.of(5, 0.05).withClip(0.5).withParallelSlices(2).quiet();
        assertEquals(2, parallel.microBatches());
        assertClose(train(30, 1), train(30, parallel));
        // four slices on two threads: every slice's gradient still lands exactly once
        assertClose(train(30, 1), train(30, parallel.withMicroBatches(4)));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.of(1, 0.1).withParallelSlices(0));
    }

    /** Two slices of a GPT with muP (its shared constants made lazily) on two threads = one after another. */
    @Test
    void gptSlicesOnTwoThreadsEqualSlicesOneAfterAnother() {
        TrainConfig sequential = TrainConfig.of(4, 1e-2).withClip(1.0).withMicroBatches(2).quiet();
        List<float[]> one = gpt(sequential);
        List<float[]> two = gpt(sequential.withParallelSlices(2));
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), 1e-5f, "parameter " + i);
        }
    }

    private List<float[]> gpt(TrainConfig config) {
        Seeds.set(5);
        TinyGpt gpt = new TinyGpt(TinyGpt.Config.of(11, 8, 2, 16, 2).withMup(new MupConfig(true, 8, 3, 0.5, 0.02)));
        gpt.initialize(manager);
        BatchSource tokens = (m, step) -> {
            Random r = StepRandom.of(3, step);
            long[] x = new long[6 * 8];
            long[] y = new long[x.length];
            Arrays.setAll(x, i -> r.nextInt(11));
            Arrays.setAll(y, i -> r.nextInt(11));
            return Batch.of(m.create(x).reshape(6, 8), m.create(y).reshape(6, 8));
        };
        Trainer.train(gpt, tokens, LossFunction.of(Losses.softmaxCrossEntropy()), config);
        return weights(gpt);
    }

    @Test
    void moreMicroBatchesThanRowsIsAClearError() {
        FrugalException e = assertThrows(FrugalException.class, () -> train(4, 5));
        assertTrue(e.getMessage().contains("4 rows into 5 micro-batches"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.of(1, 0.1).withMicroBatches(0));
    }
}
