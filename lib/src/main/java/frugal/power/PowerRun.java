package frugal.power;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.data.CharTokenizer;
import frugal.data.Fortunes;
import frugal.data.Split;
import frugal.data.TextCorpus;
import frugal.data.TokenBatches;
import frugal.mup.Mup;
import frugal.mup.MupConfig;
import frugal.nn.TinyGpt;
import frugal.plot.Series;
import frugal.schedule.CosineSchedule;
import frugal.schedule.DecayShape;
import frugal.schedule.PowerSchedule;
import frugal.schedule.ScheduleUnit;
import frugal.schedule.WsdSchedule;
import frugal.sweep.Metrics;
import frugal.sweep.RunConfig;
import frugal.sweep.RunFunction;
import frugal.sweep.RunResult;
import frugal.train.AdamW;
import frugal.train.BatchSource;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One sweep configuration of notebook 01: the tiny GPT on fortunes (characters) trained with WSD, Power or cosine
 * at one or several token budgets; WSD and Power budgets branch off one trunk ({@link BranchedTraining}).
 *
 * <p>Parameters (written by {@link PowerExperiment}): {@code schedule} (wsd, power or cosine), {@code budgets}
 * (token budgets, comma separated; cosine takes one), {@code batch} (sequences per step), {@code lr} (WSD and
 * cosine peak), {@code a}, {@code b}, {@code eta_max} (Power), {@code warmup} (tokens), {@code decay} (fraction
 * of each budget, WSD and Power), {@code final_ratio} (cosine), {@code context}, {@code layers}, {@code width},
 * {@code heads}, {@code mup} and {@code mup_base}, {@code eval_batches}, {@code seed}.
 *
 * <p>Fixed here, as in the paper: AdamW (0.9, 0.95), weight decay {@value #WEIGHT_DECAY} on matrices, gradient
 * clipping at {@value #CLIP}, exponential decay shape, the muP parameter groups (all multipliers 1 without muP).
 *
 * <p>Metrics per budget T: {@code val_loss@T} (validation cross-entropy in nats per character, NaN when the run
 * diverged) and the curve {@code train_loss@T} (training loss against tokens, averaged over windows, at most
 * {@value #CURVE_POINTS} points); finals {@code diverged} (how many budgets diverged) and {@code steps} (optimiser
 * steps trained in all).
 */
public final class PowerRun implements RunFunction {
    public static final double WEIGHT_DECAY = 0.1;
    public static final double CLIP = 1.0;
    /** Windows per validation batch; validation reads the same {@code eval_batches} batches in every run. */
    public static final int EVAL_BATCH = 32;
    public static final DecayShape DECAY_SHAPE = DecayShape.EXPONENTIAL;
    static final int CURVE_POINTS = 100;
    private static final long EVAL_SEED = 99;
    private static final LossFunction LOSS = LossFunction.of(Losses.softmaxCrossEntropy());

    /** Fortunes as characters, loaded once per JVM (a sweep worker takes many runs). */
    private static final class Data {
        static final CharTokenizer TOKENIZER;
        static final int[] TRAIN;
        static final int[] VAL;

        static {
            TextCorpus corpus = Fortunes.load();
            Split<TextCorpus> split = corpus.split(0.9, 7);
            TOKENIZER = CharTokenizer.fit(corpus);
            TRAIN = TOKENIZER.encode(split.train().text());
            VAL = TOKENIZER.encode(split.val().text());
        }
    }

    /** Characters in the vocabulary of fortunes. */
    public static int vocabSize() {
        return Data.TOKENIZER.vocabSize();
    }

    /** Characters in the training split. */
    public static int trainTokens() {
        return Data.TRAIN.length;
    }

    /** The metric name of the validation loss at budget {@code tokens}. */
    public static String valLoss(long tokens) {
        return "val_loss@" + tokens;
    }

    /** The curve name of the training loss of budget {@code tokens}. */
    public static String trainLoss(long tokens) {
        return "train_loss@" + tokens;
    }

    /**
     * The validation loss at budget {@code tokens} averaged over {@code runs} (the seeds of one setting); NaN when
     * one of them failed or diverged.
     */
    static double meanValLoss(List<RunResult> runs, long tokens) {
        if (runs.isEmpty()) {
            throw new FrugalException("no runs to average at budget " + tokens);
        }
        double sum = 0;
        for (RunResult r : runs) {
            if (!r.done()) {
                return Double.NaN;
            }
            Double v = r.metrics().finals().get(valLoss(tokens));
            if (v == null) {
                throw new FrugalException("run " + r.config() + " has no budget " + tokens + "; it recorded "
                        + r.metrics().finals().keySet());
            }
            sum += v;
        }
        return sum / runs.size();
    }

    @Override
    public Metrics run(RunConfig c) {
        int batch = c.getInt("batch");
        int context = c.getInt("context");
        long tokensPerStep = (long) batch * context;
        long seed = c.getLong("seed");
        BranchPlan plan = plan(c, tokensPerStep);
        MupConfig mup = c.getBoolean("mup") ? MupConfig.paper(c.getInt("mup_base")) : MupConfig.disabled();
        TinyGpt.Config shape = new TinyGpt.Config(vocabSize(), context, c.getInt("layers"), c.getInt("width"),
                c.getInt("heads"), 4, 0f, true, mup);
        BatchSource train = Batches.tokens(new TokenBatches(Data.TRAIN, context, batch, seed));
        BatchSource val = Batches.tokens(new TokenBatches(Data.VAL, context, EVAL_BATCH, EVAL_SEED));
        int evalBatches = c.getInt("eval_batches");
        Engines.pytorch();
        Path work = tempDir();
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.set(seed);
            TinyGpt model = new TinyGpt(shape);
            model.initialize(manager);
            TrainConfig base = TrainConfig.of(1, 0).withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                    .withGrouping(Mup.paramGrouping(model, WEIGHT_DECAY)).withClip(CLIP).withSeed(seed).quiet();
            List<BranchResult> results = BranchedTraining.train(model, train, LOSS,
                    (m, scope) -> Map.of("val_loss", Evaluation.meanLoss(m, LOSS, val, evalBatches, scope)),
                    base, plan, work);
            Metrics metrics = Metrics.empty();
            int diverged = 0;
            for (BranchResult r : results) {
                long t = r.branch().budget();
                diverged += r.diverged() ? 1 : 0;
                metrics = metrics.withFinal(valLoss(t), r.metric("val_loss"))
                        .withCurve(trainLoss(t), windowed(r.history()));
            }
            return metrics.withFinal("diverged", diverged).withFinal("steps", plan.totalSteps());
        } finally {
            try {
                Files.deleteIfExists(work);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + work, e);
            }
        }
    }

    /** The branches a configuration trains; its own tokens-per-step is {@code batch x context}. */
    static BranchPlan plan(RunConfig c, long tokensPerStep) {
        List<Long> budgets = budgets(c);
        long longest = budgets.stream().mapToLong(Long::longValue).max().orElseThrow();
        long warmup = c.getLong("warmup");
        String schedule = c.getString("schedule");
        return switch (schedule) {
            case "wsd" -> BranchPlan.wsd(new WsdSchedule(c.getDouble("lr"), longest, warmup,
                    Math.round(c.getDouble("decay") * longest), DECAY_SHAPE, 0, ScheduleUnit.TOKENS),
                    tokensPerStep, budgets);
            case "power" -> BranchPlan.power(new PowerSchedule(c.getDouble("a"), c.getDouble("b"),
                    c.getDouble("eta_max"), c.getLong("batch"), longest, warmup,
                    Math.round(c.getDouble("decay") * longest), DECAY_SHAPE), tokensPerStep, budgets);
            case "cosine" -> {
                if (budgets.size() != 1) {
                    throw new FrugalException("a cosine run has one budget (its decay depends on it), got " + budgets);
                }
                yield BranchPlan.straight(CosineSchedule.tokens(c.getDouble("lr"), longest, warmup,
                        c.getDouble("final_ratio")), tokensPerStep, longest);
            }
            default -> throw new FrugalException("unknown schedule '" + schedule + "'; use wsd, power or cosine");
        };
    }

    /** The "budgets" parameter: token budgets, comma separated. */
    static List<Long> budgets(RunConfig c) {
        try {
            return Arrays.stream(c.getString("budgets").split(",")).map(String::trim).map(Long::parseLong).toList();
        } catch (NumberFormatException e) {
            throw new FrugalException("parameter budgets must list token counts separated by commas, like"
                    + " \"125000,250000\"; got \"" + c.getString("budgets") + "\"", e);
        }
    }

    /** The training loss against tokens, averaged over equal windows of steps (at most CURVE_POINTS points). */
    static Series windowed(History history) {
        Series loss = history.lossVsTokens();
        int n = loss.size();
        int windows = Math.min(CURVE_POINTS, n);
        double[] x = new double[windows];
        double[] y = new double[windows];
        for (int w = 0; w < windows; w++) {
            int from = (int) ((long) w * n / windows);
            int to = (int) ((long) (w + 1) * n / windows);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += loss.y()[i];
            }
            x[w] = loss.x()[to - 1];
            y[w] = sum / (to - from);
        }
        return new Series("train_loss", x, y);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("frugal-power-run");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary folder for trunk checkpoints", e);
        }
    }
}
