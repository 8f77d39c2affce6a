package frugal.distill;

import frugal.core.GradMode;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.data.ImageBatch;
import frugal.data.ImageSet;
import frugal.nn.Classifier;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;

/** Trains a fresh student on a (distilled) set and measures it on the real test set. */
public final class Student {
    /** Keeps the augmentation draws apart from the batch order drawn from the same seed. */
    private static final long AUGMENT_SALT = 0x5EED_A06L;

    private Student() {}

    /**
     * What a student reached.
     *
     * @param testAccuracy top-1 on the real test set, in [0, 1]
     * @param trainTime wall and CPU time of training (soft labels included); process CPU, so it overlaps
     *     another student's when students train side by side
     * @param evalTime wall and CPU time of the test-set evaluation (the same caveat)
     * @param history the training run
     */
    public record Result(double testAccuracy, Clock.Elapsed trainTime, Clock.Elapsed evalTime, History history) {}

    /**
     * Trains {@code config.architecture()} from scratch on {@code images}: with hard labels (cross-entropy)
     * when {@code labeler} is null, else with the labeler's soft labels of every augmented batch at
     * temperature {@code config.temperature()}.
     */
    public static Result train(ImageSet images, Labeler labeler, StudentConfig config, ImageSet test, long seed,
            NDManager manager) {
        GradMode.offInThisThread();
        Clock clock = Clock.start();
        int batch = Math.min(config.batchSize(), images.size());
        try (NDManager run = manager.newSubManager()) {
            Classifier model;
            synchronized (Seeds.ENGINE_GENERATOR) { // the initialisation draws from the process's one generator
                Seeds.set(seed);
                model = config.architecture().build(run, new Shape(batch, 1, images.rows(), images.cols()));
            }
            BatchSource source = (scope, step) -> {
                ImageBatch b = images.batchAt(scope, step, batch, seed);
                NDArray x = config.augment().apply(b.images(), StepRandom.of(seed ^ AUGMENT_SALT, step), scope);
                NDArray target = labeler == null ? b.labels()
                        : labeler.logits(x).div(config.temperature()).softmax(-1); // no autograd here: a number is safe
                return new Batch(new NDList(x), new NDList(target), batch);
            };
            LossFunction loss = labeler == null ? LossFunction.of(Losses.softmaxCrossEntropy())
                    : softLabelLoss(config.temperature());
            TrainConfig training = TrainConfig.of(config.steps(), config.lr())
                    .withSchedule((step, tokens) -> config.lrAt(step))
                    .withGrouping(ParamGrouping.decayMatricesOnly(config.weightDecay()))
                    .withSeed(seed)
                    .quiet();
            History history = Trainer.train(model, source, loss, training);
            Clock.Elapsed trainTime = clock.elapsed();
            Clock evalClock = Clock.start();
            double accuracy = Squeeze.testAccuracy(model, test, run);
            return new Result(accuracy, trainTime, evalClock.elapsed(), history);
        }
    }

    /**
     * {@code -mean_i sum_c p_ic log softmax(z_i / T)_c} against target distributions p: the KL to p up to
     * p's entropy. The 1/T multiplier is an array on the step's manager, alive through the backward pass.
     */
    static LossFunction softLabelLoss(double temperature) {
        return (model, inputs, targets, training) -> {
            NDArray logits = Losses.forward(model, inputs, training).head();
            NDArray inverseT = logits.getManager().create((float) (1 / temperature));
            NDArray logQ = logits.mul(inverseT).logSoftmax(-1);
            return targets.head().mul(logQ).sum(new int[] {-1}).mean().neg();
        };
    }
}
