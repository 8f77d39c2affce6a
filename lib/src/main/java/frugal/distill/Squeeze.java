package frugal.distill;

import frugal.core.GradMode;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Display;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.data.ImageSet;
import frugal.nn.Classifier;
import frugal.schedule.CosineSchedule;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.Locale;
import java.util.Optional;

/** SRe2L's squeeze phase: train a BN teacher on the full data, record its test accuracy, freeze it. */
public final class Squeeze {
    private Squeeze() {}

    /**
     * How a teacher is trained: AdamW with cosine decay after a 5% warmup, weight decay on matrices only.
     *
     * @param steps optimiser steps (469 is one epoch of Fashion-MNIST at batch 128)
     * @param batchSize images per step
     * @param lr peak learning rate
     * @param weightDecay decoupled weight decay of conv and linear weights
     * @param seed initialisation and batch order
     */
    public record Config(int steps, int batchSize, double lr, double weightDecay, long seed) {
        public Config {
            if (steps < 1 || batchSize < 1) {
                throw new FrugalException("Squeeze.Config needs steps >= 1 and batchSize >= 1, got " + steps + ", "
                        + batchSize);
            }
            if (!(lr > 0) || !(weightDecay >= 0)) {
                throw new FrugalException("Squeeze.Config needs lr > 0 and weightDecay >= 0, got " + lr + ", "
                        + weightDecay);
            }
        }

        /** Batch 128, lr 3e-3, weight decay 5e-4. */
        public static Config of(int steps, long seed) {
            return new Config(steps, 128, 3e-3, 5e-4, seed);
        }

        /** The cache key of a teacher of {@code architecture} trained this way on {@code train}. */
        public String key(Architecture architecture, ImageSet train) {
            return String.format(Locale.ROOT, "%s_%s-%d_steps%d_b%d_lr%g_wd%g_seed%d", architecture.name(), train.name(),
                    train.size(), steps, batchSize, lr, weightDecay, seed);
        }
    }

    /**
     * A trained teacher: loaded from {@code cache} when this configuration was trained before, else trained
     * on {@code train}, evaluated on {@code test} and stored. Its parameters are frozen either way.
     */
    public static Teacher teacher(Architecture architecture, ImageSet train, ImageSet test, Config config,
            TeacherCache cache, NDManager manager) {
        GradMode.offInThisThread();
        Seeds.set(config.seed());
        Classifier model = architecture.build(manager, new Shape(config.batchSize(), 1, train.rows(), train.cols()));
        String key = config.key(architecture, train);
        Optional<TeacherCache.Entry> cached = cache.load(key, model, manager);
        Teacher teacher;
        if (cached.isPresent()) {
            teacher = new Teacher(architecture, model, cached.get().testAccuracy(), cached.get().trainSeconds(), true);
        } else {
            long start = System.nanoTime();
            TrainConfig run = TrainConfig.of(config.steps(), config.lr())
                    .withSchedule(CosineSchedule.steps(config.lr(), config.steps(), config.steps() / 20, 0.01))
                    .withGrouping(ParamGrouping.decayMatricesOnly(config.weightDecay()))
                    .withSeed(config.seed())
                    .withLogEvery(Display.rich() ? Math.max(1, config.steps() / 20) : 0)
                    .withChartEvery(0);
            Trainer.train(model, Batches.shuffled(train, config.batchSize(), config.seed()),
                    LossFunction.of(Losses.softmaxCrossEntropy()), run);
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = testAccuracy(model, test, manager);
            cache.save(key, model, new TeacherCache.Entry(accuracy, seconds));
            teacher = new Teacher(architecture, model, accuracy, seconds, false);
        }
        model.freezeParameters(true);
        return teacher;
    }

    /** Top-1 accuracy of {@code model} on {@code test}, in batches of 1,000. */
    static double testAccuracy(Classifier model, ImageSet test, NDManager manager) {
        int batch = Math.min(1000, test.size());
        return Evaluation.accuracy(model, Batches.inOrder(test, batch), Batches.count(test, batch), manager);
    }
}
