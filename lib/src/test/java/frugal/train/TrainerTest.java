package frugal.train;

import frugal.core.TorchTest;
import frugal.core.StepRandom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import frugal.core.Seeds;
import frugal.schedule.LrSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest extends TorchTest {
    private static final float[] TRUE_W = {1.5f, -2f, 0.5f};
    private static final float TRUE_B = 0.3f;

    /** y = x . w + b for random x, a function of (seed, step) only. */
    static BatchSource regression(long seed) {
        return (m, step) -> {
            Random r = StepRandom.of(seed, step);
            float[] x = new float[16 * 3];
            float[] y = new float[16];
            for (int i = 0; i < 16; i++) {
                float sum = TRUE_B;
                for (int j = 0; j < 3; j++) {
                    x[i * 3 + j] = (float) r.nextGaussian();
                    sum += x[i * 3 + j] * TRUE_W[j];
                }
                y[i] = sum;
            }
            return Batch.of(m.create(x, new Shape(16, 3)), m.create(y, new Shape(16, 1)));
        };
    }

    /** Two Gaussian blobs, class 0 around (-1, -1) and class 1 around (1, 1). */
    static BatchSource blobs(long seed, int size) {
        return (m, step) -> {
            Random r = StepRandom.of(seed, step);
            float[] x = new float[size * 2];
            float[] y = new float[size];
            for (int i = 0; i < size; i++) {
                y[i] = r.nextBoolean() ? 1 : 0;
                float centre = y[i] == 1 ? 1f : -1f;
                x[2 * i] = centre + 0.5f * (float) r.nextGaussian();
                x[2 * i + 1] = centre + 0.5f * (float) r.nextGaussian();
            }
            return Batch.of(m.create(x, new Shape(size, 2)), m.create(y, new Shape(size)));
        };
    }

    private Block linear(long seed) {
        Seeds.set(seed);
        Block b = Linear.builder().setUnits(1).build();
        b.initialize(manager, DataType.FLOAT32, new Shape(16, 3));
        return b;
    }

    private Block mlp(long seed, boolean dropout) {
        Seeds.set(seed);
        SequentialBlock b = new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation::relu);
        if (dropout) {
            b.add(Dropout.builder().optRate(0.2f).build());
        }
        b.add(Linear.builder().setUnits(2).build());
        b.initialize(manager, DataType.FLOAT32, new Shape(32, 2));
        return b;
    }

    @Test
    void constantScheduleTrainingConvergesOnLinearRegression() {
        Block model = linear(1);
        LossFunction mse = LossFunction.of(Losses.meanSquaredError());
        History h = Trainer.train(model, regression(3), mse, TrainConfig.of(300, 0.05).quiet());
        assertTrue(h.steps().get(0).loss() > 0.5, "starts far: " + h.steps().get(0).loss());
        assertTrue(h.meanLoss(10) < 1e-3, "converges: " + h.meanLoss(10));
        float[] w = model.getParameters().get(0).getValue().getArray().toFloatArray();
        assertArrayEquals(TRUE_W, w, 0.05f);
    }

    @Test
    void classifierReachesHighAccuracyAndEvaluationsAreRecorded() {
        Block model = mlp(2, false);
        BatchSource heldOut = blobs(99, 64);
        History h = Trainer.train(model, blobs(5, 32), LossFunction.of(Losses.softmaxCrossEntropy()),
                Evaluation.classifier(Losses.softmaxCrossEntropy(), heldOut, 2), TrainConfig.of(60, 0.02).withEvalEvery(20).quiet());
        assertArrayEquals(new double[] {20, 40, 60}, h.evalSeries("accuracy").x());
        assertTrue(h.lastEval("accuracy").getAsDouble() > 0.95, "accuracy " + h.lastEval("accuracy"));
        assertTrue(h.lastEval("loss").getAsDouble() < h.steps().get(0).loss());
        EvalResult direct = Evaluation.classification(model, Losses.softmaxCrossEntropy(), heldOut, 2, manager);
        assertEquals(h.lastEval("accuracy").getAsDouble(), direct.accuracy(), 1e-12, "evaluation is deterministic");
        assertEquals(128, direct.count());
    }

    @Test
    void metricsAreRecordedPerStepWithTokensAndScheduleInputs() {
        List<long[]> calls = new ArrayList<>();
        LrSchedule schedule = (step, tokens) -> {
            calls.add(new long[] {step, tokens});
            return 0.01 / (1 + step);
        };
        History h = Trainer.train(linear(1), regression(3), LossFunction.of(Losses.meanSquaredError()),
                TrainConfig.of(5, 0.01).withSchedule(schedule).withClip(0.5).quiet());
        assertEquals(5, h.steps().size());
        for (int i = 0; i < 5; i++) {
            History.Step s = h.steps().get(i);
            assertEquals(i + 1, s.step());
            assertEquals(0.01 / (1 + i), s.lr(), 1e-15);
            assertEquals(16L * (i + 1), s.tokens(), "cumulative tokens");
            assertTrue(s.gradNorm() > 0 && Double.isFinite(s.loss()) && s.wallMs() >= 0);
            assertFalse(s.skipped());
            assertArrayEquals(new long[] {i, 16L * i}, calls.get(i), "schedule sees step index and tokens before it");
        }
        assertEquals(5, h.series("loss").size());
        assertTrue(h.stepsCsv().startsWith("step,lr,loss,grad_norm,tokens,wall_ms,skipped\n1,"));
    }

    @Test
    void memoryStaysFlatAcrossSteps() {
        Block model = mlp(3, true);
        NDManager owner = model.getParameters().get(0).getValue().getArray().getManager();
        Trainer.train(model, blobs(5, 32), LossFunction.of(Losses.softmaxCrossEntropy()), TrainConfig.of(3, 0.01).quiet());
        int after3 = owner.getManagedArrays().size();
        Trainer.train(model, blobs(5, 32), LossFunction.of(Losses.softmaxCrossEntropy()), TrainConfig.of(30, 0.01).quiet());
        assertEquals(after3, owner.getManagedArrays().size(), "no arrays left behind per step");
    }

    private static BatchSource nanAt(BatchSource source, long... badSteps) {
        return (m, step) -> {
            Batch b = source.batch(m, step);
            for (long bad : badSteps) {
                if (step == bad) {
                    NDArray x = b.inputs().head();
                    return Batch.of(x.mul(Float.NaN), b.targets().head());
                }
            }
            return b;
        };
    }

    @Test
    void nanLossStopsWithAClearMessage() {
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> Trainer.train(linear(1), nanAt(regression(3), 5),
                LossFunction.of(Losses.meanSquaredError()), TrainConfig.of(20, 0.01).quiet()));
        String msg = e.getMessage();
        assertTrue(msg.contains("step 6 of 20") && msg.contains("loss is NaN"), msg);
        assertTrue(msg.contains("Last good loss") && msg.contains("at step 5"), msg);
        assertTrue(msg.contains("learning rate 0.0100") && msg.contains("withClip"), msg);
        assertEquals(6, e.history().steps().size());
        assertTrue(e.history().steps().get(5).skipped());
    }

    @Test
    void skipPolicySkipsBadStepsAndLeavesParametersUntouched() {
        Block model = linear(1);
        List<float[]> weights = new ArrayList<>();
        LossFunction recording = (b, in, tg, training) -> {
            weights.add(b.getParameters().get(0).getValue().getArray().toFloatArray());
            return LossFunction.of(Losses.meanSquaredError()).loss(b, in, tg, training);
        };
        History h = Trainer.train(model, nanAt(regression(3), 2, 6), recording,
                TrainConfig.of(10, 0.01).withGuard(Guard.skip(Double.POSITIVE_INFINITY, 2)).quiet());
        assertEquals(2, h.skipped());
        assertTrue(h.steps().get(2).skipped() && h.steps().get(6).skipped());
        assertArrayEquals(weights.get(2), weights.get(3), 0f, "a skipped step changes nothing");
        assertFalse(java.util.Arrays.equals(weights.get(3), weights.get(4)), "a good step updates");
        assertEquals(8, h.series("loss").size(), "skipped steps are left out of series");
    }

    @Test
    void skipPolicyStopsAfterTooManyBadStepsInARow() {
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> Trainer.train(linear(1),
                nanAt(regression(3), 4, 5, 6, 7), LossFunction.of(Losses.meanSquaredError()),
                TrainConfig.of(20, 0.01).withGuard(Guard.skip(10, 3)).quiet()));
        assertTrue(e.getMessage().contains("3 bad steps in a row"), e.getMessage());
        assertEquals(7, e.history().steps().size());
    }

    @Test
    void lossSpikeIsDetected() {
        BatchSource spiky = (m, step) -> {
            Batch b = regression(3).batch(m, step);
            return step == 40 ? Batch.of(b.inputs().head().mul(100), b.targets().head().mul(100)) : b;
        };
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> Trainer.train(linear(1), spiky,
                LossFunction.of(Losses.meanSquaredError()), TrainConfig.of(60, 0.05).withGuard(Guard.stop(10)).quiet()));
        assertTrue(e.getMessage().contains("step 41") && e.getMessage().contains("spike"), e.getMessage());
    }
}
