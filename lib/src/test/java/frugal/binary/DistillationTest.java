package frugal.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.nn.TinyGpt;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistillationTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void lossIsTheCrossEntropyOfTeacherAndStudentDistributions() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(31);
            int b = 2;
            int t = 3;
            int v = 5;
            NDArray s = m.randomNormal(new Shape(b, t, v));
            NDArray te = m.randomNormal(new Shape(b, t, v));
            float[] sv = s.toFloatArray();
            float[] tv = te.toFloatArray();
            double expected = 0;
            for (int i = 0; i < b * t; i++) {
                double[] p = softmax(tv, i * v, v);
                double[] q = softmax(sv, i * v, v);
                for (int k = 0; k < v; k++) {
                    expected -= p[k] * Math.log(q[k]);
                }
            }
            expected /= b * t;
            assertEquals(expected, Distillation.loss(s, te).getFloat(), 1e-5);
        }
    }

    @Test
    void gradientIsStudentMinusTeacherProbabilitiesAndNeverReachesTheTeacher() {
        Engine engine = Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(32);
            int n = 4;
            int v = 6;
            NDArray s = m.randomNormal(new Shape(1, n, v));
            NDArray te = m.randomNormal(new Shape(1, n, v));
            s.setRequiresGradient(true);
            te.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(Distillation.loss(s, te));
            }
            float[] grad = s.getGradient().toFloatArray();
            float[] sv = s.toFloatArray();
            float[] tv = te.toFloatArray();
            for (int i = 0; i < n; i++) {
                double[] p = softmax(tv, i * v, v);
                double[] q = softmax(sv, i * v, v);
                for (int k = 0; k < v; k++) {
                    assertEquals((q[k] - p[k]) / n, grad[i * v + k], 1e-6);
                }
            }
            for (float g : te.getGradient().toFloatArray()) {
                assertEquals(0f, g, "teacher logits get no gradient");
            }
        }
    }

    @Test
    void teacherLogitsAreComputedWithoutAGraphAndTheMixAddsGroundTruth() {
        Engine engine = Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(33);
            TinyGpt teacher = new TinyGpt(TinyGpt.Config.of(7, 5, 1, 8, 2));
            teacher.initialize(m);
            TinyGpt student = FbiGpt.binarized(TinyGpt.Config.of(7, 5, 1, 8, 2));
            student.initialize(m);
            BatchSource data = Distillation.withTeacher(tokens(7, 3, 5), teacher);
            try (NDManager step = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                Batch batch = data.batch(step, 0);
                assertTrue(JniUtils.isGradMode(), "recording is back on after the teacher ran");
                NDArray teacherLogits = batch.targets().get(1);
                assertEquals(new Shape(3, 5, 7), teacherLogits.getShape());
                assertFalse(JniUtils.requiresGrad((PtNDArray) teacherLogits), "teacher logits carry no graph");
                NDArray ad = Distillation.loss(0).loss(student, batch.inputs(), batch.targets(), true);
                NDArray mixed = Distillation.loss(0.5).loss(student, batch.inputs(), batch.targets(), true);
                NDArray logits = frugal.train.Losses.forward(student, batch.inputs(), true).head();
                double ce = TinyGpt.loss(logits, batch.targets().head()).getFloat();
                assertEquals(0.5 * ad.getFloat() + 0.5 * ce, mixed.getFloat(), 1e-5);
                gc.backward(mixed);
            }
            LossFunction plain = Distillation.loss(0);
            FrugalException e = assertThrows(FrugalException.class, () -> {
                try (NDManager step = m.newSubManager()) {
                    Batch batch = tokens(7, 3, 5).batch(step, 0);
                    plain.loss(student, batch.inputs(), batch.targets(), false);
                }
            });
            assertTrue(e.getMessage().contains("withTeacher"), e.getMessage());
            assertThrows(FrugalException.class, () -> Distillation.loss(1.5));
        }
    }

    @Test
    void distillationPullsTheStudentTowardsTheTeacher() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(34);
            TinyGpt.Config config = TinyGpt.Config.of(7, 6, 1, 16, 2);
            TinyGpt teacher = new TinyGpt(config);
            teacher.initialize(m);
            PackedGptTest.perturb(teacher, m, new Random(34)); // a teacher with a distinct distribution
            TinyGpt student = FbiGpt.binarized(config);
            student.initialize(m);
            BatchSource data = Distillation.withTeacher(tokens(7, 8, 6), teacher);
            History h = Trainer.train(student, data, Distillation.loss(0), TrainConfig.of(40, 1e-2).quiet());
            double first = h.steps().get(0).loss();
            assertTrue(h.meanLoss(5) < first - 0.05, "AD loss falls: " + first + " -> " + h.meanLoss(5));
        }
    }

    /** Random token windows, targets = inputs shifted by one. */
    static BatchSource tokens(int vocab, int batch, int t) {
        return (manager, step) -> {
            Random r = new Random(step);
            long[] x = new long[batch * (t + 1)];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(vocab);
            }
            NDArray all = manager.create(x, new Shape(batch, t + 1));
            return Batch.of(all.get(":, :-1"), all.get(":, 1:"));
        };
    }

    static double[] softmax(float[] v, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[from + i]);
        }
        double sum = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(v[from + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
