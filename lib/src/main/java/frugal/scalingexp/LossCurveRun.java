package frugal.scalingexp;

import ai.djl.ndarray.NDManager;
import frugal.core.Devices;
import frugal.core.Seeds;
import frugal.data.TokenBatches;
import frugal.mup.Mup;
import frugal.nn.TinyGpt;
import frugal.plot.Series;
import frugal.sweep.Metrics;
import frugal.sweep.RunConfig;
import frugal.sweep.RunFunction;
import frugal.train.BatchSource;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.Evaluator;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.Arrays;
import java.util.Map;

/**
 * The run function of a scaling study ({@link RunSpec} as configuration): trains one {@link TinyGpt} size at one
 * batch size with AdamW (no weight decay), gradient clipping 1.0, the setup's warmup-then-constant schedule and its
 * parametrization (muP's parameter groups: hidden matrices at {@code lr / m}), and records the validation loss curve.
 *
 * <p>Metrics: curve {@value #VAL_LOSS} (nats per character against the step), finals {@value #PARAMS} (Kaplan's N,
 * non-embedding parameters), {@value #BATCH_TOKENS} and {@value #VAL_LOSS} (the last measurement).
 */
public final class LossCurveRun implements RunFunction {
    public static final String VAL_LOSS = "val_loss";
    public static final String PARAMS = "params";
    public static final String BATCH_TOKENS = "batch_tokens";
    private static final double CLIP = 1.0;
    /** Validation windows come from their own stream, fixed for the whole study. */
    private static final long VAL_SEED = 99;

    @Override
    public Metrics run(RunConfig config) {
        return run(RunSpec.of(config));
    }

    /** Trains the run in this JVM. */
    public Metrics run(RunSpec spec) {
        TokenData data = TokenData.of(spec.setup().corpus());
        int context = spec.setup().context();
        try (NDManager manager = NDManager.newBaseManager(Devices.best())) {
            Seeds.set(spec.seed());
            TinyGpt model = new TinyGpt(spec.size().config(data.vocab(), context, spec.setup().mup()));
            model.initialize(manager);
            LossFunction loss = LossFunction.of(Losses.softmaxCrossEntropy());
            BatchSource train = Batches.tokens(new TokenBatches(data.train(), context, spec.batch(), spec.seed()));
            BatchSource val = Batches.tokens(new TokenBatches(data.val(), context, RunSpec.EVAL_SEQUENCES, VAL_SEED));
            TrainConfig training = TrainConfig.of(spec.steps(), spec.setup().lr())
                    .withSchedule(spec.setup().schedule(spec.steps()))
                    .withGrouping(Mup.paramGrouping(model, 0))
                    .withClip(CLIP)
                    .withEvalEvery(1)
                    .withSeed(spec.seed())
                    .quiet();
            History history = Trainer.train(model, train, loss,
                    atSteps(spec.evalSteps(), (m, scope) -> Map.of(VAL_LOSS,
                            Evaluation.meanLoss(m, loss, val, spec.evalBatches(), scope))),
                    training);
            Series curve = history.evalSeries(VAL_LOSS);
            return Metrics.empty().withCurve(VAL_LOSS, curve)
                    .withFinal(PARAMS, model.nonEmbeddingParameterCount())
                    .withFinal(BATCH_TOKENS, spec.batchTokens())
                    .withFinal(VAL_LOSS, curve.y()[curve.size() - 1]);
        }
    }

    /**
     * An evaluator called after every step (the trainer's cadence is fixed) that measures only at {@code steps}
     * (ascending): the trainer calls it once per step, in order, so the call count is the step.
     */
    static Evaluator atSteps(long[] steps, Evaluator measure) {
        return new Evaluator() {
            private long step;

            @Override
            public Map<String, Double> evaluate(ai.djl.nn.Block model, NDManager manager) {
                step++;
                return Arrays.binarySearch(steps, step) >= 0 ? measure.evaluate(model, manager) : Map.of();
            }
        };
    }
}
