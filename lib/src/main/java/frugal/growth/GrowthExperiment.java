package frugal.growth;

import ai.djl.ndarray.NDManager;
import frugal.claims.ClaimsTable;
import frugal.core.GradMode;
import frugal.core.Html;
import frugal.core.OneThreadEach;
import frugal.core.Seeds;
import frugal.data.CharTokenizer;
import frugal.data.Fortunes;
import frugal.data.Split;
import frugal.data.TextCorpus;
import frugal.data.TokenBatches;
import frugal.nn.TinyGpt;
import frugal.plot.Plots;
import frugal.plot.Series;
import frugal.schedule.CosineSchedule;
import frugal.schedule.DecayShape;
import frugal.schedule.LrSchedule;
import frugal.schedule.WsdSchedule;
import frugal.train.AdamW;
import frugal.train.BatchSource;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.Evaluator;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.Progress;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notebook 08's experiment: model growth by depthwise stacking (Du et al., NeurIPS 2024) at toy scale on fortunes
 * (characters). Per seed: the large model trained from scratch for the budget; the small model trained once, with
 * a constant learning rate after its warmup, so that its state after d steps is the state of a run of d steps
 * and one run serves every growth point; then G_stack at each growth point of the sweep, and G_zero and G_random at
 * the main one. Every grown model trains for what is left of the scratch model's FLOPs.
 *
 * <p>Training follows nanoGPT: AdamW (0.9, 0.95), weight decay 0.1 on matrices, clipping 1.0, a linear warmup,
 * then cosine decay to 10% for the large models (scratch and grown). A grown model starts with a fresh optimiser
 * and its own warmup; its training windows continue the small model's stream.
 */
public final class GrowthExperiment {
    private static final double TRAIN_FRACTION = 0.95;
    private static final long SPLIT_SEED = 7;
    /** The validation windows, the same for every run and seed. */
    private static final long VAL_SEED = 99;
    private static final double CLIP = 1.0;
    private static final String VAL_LOSS = "val_loss";
    /** The operators compared with G_stack at the main growth point. */
    private static final List<GrowthOperator> CONTRASTS = List.of(GrowthOperator.ZERO, GrowthOperator.RANDOM);

    private final GrowthConfig config;
    private final CharTokenizer tokenizer;
    private final int[] train;
    private final int[] val;
    private final String name;

    private GrowthExperiment(GrowthConfig config, TextCorpus corpus) {
        this.config = config;
        this.name = corpus.name();
        Split<TextCorpus> split = corpus.split(TRAIN_FRACTION, SPLIT_SEED);
        tokenizer = CharTokenizer.fit(corpus);
        train = tokenizer.encode(split.train().text());
        val = tokenizer.encode(split.val().text());
    }

    /** On fortunes (Debian's package), split 95/5 by document, with a character tokenizer fitted on all of it. */
    public static GrowthExperiment create(GrowthConfig config) {
        return create(config, Fortunes.load());
    }

    /** On any corpus, split 95/5 by document. */
    public static GrowthExperiment create(GrowthConfig config, TextCorpus corpus) {
        return new GrowthExperiment(config, corpus);
    }

    /** The experiment of the FRUGAL_BUDGET environment variable (full when unset). */
    public static GrowthExperiment fromEnvironment() {
        return create(GrowthConfig.fromEnvironment());
    }

    public GrowthConfig config() {
        return config;
    }

    public int vocab() {
        return tokenizer.vocabSize();
    }

    /** The two models and the compute of each run, for the notebook's setup table. */
    public Html setup() {
        int v = vocab();
        long budget = config.budgetFlops(v);
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("large from scratch", config.large(v).layers(), 0, config.scratchSteps(), 1.0));
        for (int d : config.growthSteps()) {
            int grown = config.grownSteps(v, d);
            rows.add(List.of("small " + d + " steps, then grown", config.large(v).layers(), d, grown,
                    (double) (d * config.smallStepFlops(v) + grown * config.largeStepFlops(v)) / budget));
        }
        return Plots.table(List.of("run", "layers (large)", "small-model steps", "large-model steps",
                "FLOPs / scratch FLOPs"), rows);
    }

    /** One line: the models, tokens per step and the FLOPs per step of each. */
    public String describe() {
        int v = vocab();
        return String.format(Locale.ROOT, "%s: %,d train / %,d validation characters, vocabulary %d; small %d x %d,"
                        + " large %d x %d; %d x %d characters per step; training FLOPs per step: small %.3g, large %.3g"
                        + " (ratio %.3f); budget %.3g FLOPs",
                name, train.length, val.length, v, config.smallLayers(), config.dModel(), config.large(v).layers(),
                config.dModel(), config.batch(), config.context(), (double) config.smallStepFlops(v),
                (double) config.largeStepFlops(v), (double) config.smallStepFlops(v) / config.largeStepFlops(v),
                (double) config.budgetFlops(v));
    }

    /**
     * Trains every run of every seed (each model on its own sub-manager of {@code manager}, freed after it), two
     * at a time with one PyTorch thread each ({@link OneThreadEach}): these models keep only about 1.15 of 2 cores
     * busy on two PyTorch threads. First every seed's scratch run and small model, then every grown run.
     */
    public GrowthResults run(NDManager manager) {
        GradMode.offInThisThread(); // copies into parameters and evaluations need no autograd
        int perSeed = 2 + config.growthSteps().size() + CONTRASTS.size();
        long start = System.nanoTime();
        List<GrowthRun> runs = new ArrayList<>();
        try (Progress progress = Progress.start(String.format(Locale.ROOT, "model growth: %d seeds x %d runs",
                config.seeds(), perSeed), "run", (long) config.seeds() * perSeed);
                NDManager snapshots = manager.newSubManager()) {
            AtomicInteger done = new AtomicInteger();
            SmallRun[] smalls = new SmallRun[config.seeds()];
            List<Callable<GrowthRun>> first = new ArrayList<>();
            List<Callable<GrowthRun>> grown = new ArrayList<>();
            for (int seed = 0; seed < config.seeds(); seed++) {
                int s = seed;
                first.add(task(progress, done, "seed " + s + ": scratch", () -> scratch(s, manager)));
                first.add(task(progress, done, "seed " + s + ": small model", () -> {
                    smalls[s] = small(s, snapshots);
                    return null;
                }));
                for (int d : config.growthSteps()) {
                    grown.add(task(progress, done, "seed " + s + ": G_stack at " + d,
                            () -> grown(GrowthOperator.STACK, smalls[s], d, s, manager)));
                }
                for (GrowthOperator op : CONTRASTS) {
                    grown.add(task(progress, done, "seed " + s + ": " + op.label(),
                            () -> grown(op, smalls[s], config.mainGrowthStep(), s, manager)));
                }
            }
            OneThreadEach.run(first).stream().filter(Objects::nonNull).forEach(runs::add);
            runs.addAll(OneThreadEach.run(grown));
        }
        return new GrowthResults(config, vocab(), runs, (System.nanoTime() - start) / 1e9);
    }

    /** {@code work} on a worker thread (without autograd, as the caller), counted on {@code progress} when done. */
    private static Callable<GrowthRun> task(Progress progress, AtomicInteger done, String status,
            Callable<GrowthRun> work) {
        return () -> {
            GradMode.offInThisThread();
            GrowthRun run = work.call();
            synchronized (progress) {
                progress.update(done.incrementAndGet(), status);
            }
            return run;
        };
    }

    /** C1-C4 of the paper card. */
    public ClaimsTable claims(GrowthResults results) {
        return GrowthClaims.of(results, config.judged());
    }

    private GrowthRun scratch(int seed, NDManager manager) {
        int v = vocab();
        try (NDManager scope = manager.newSubManager()) {
            TinyGpt model = new TinyGpt(config.large(v));
            initialize(model, seed, scope);
            Series curve = train(model, config.scratchSteps(), cosine(config.scratchSteps()), 0, seed, 0,
                    config.largeStepFlops(v), null);
            return new GrowthRun(GrowthResults.SCRATCH, seed, 0, config.scratchSteps(), config.budgetFlops(v), curve,
                    Double.NaN);
        }
    }

    /** The small model's curve and its copies at every growth point. */
    private record SmallRun(Series curve, Map<Integer, TinyGpt> snapshots) {}

    private SmallRun small(int seed, NDManager snapshots) {
        int v = vocab();
        int steps = config.growthSteps().get(config.growthSteps().size() - 1);
        Map<Integer, TinyGpt> copies = new HashMap<>();
        try (NDManager scope = snapshots.newSubManager()) {
            TinyGpt model = new TinyGpt(config.small(v));
            initialize(model, seed, scope);
            LrSchedule constant = WsdSchedule.steps(config.lr(), steps, config.warmupSteps(), 0, DecayShape.LINEAR);
            // the trainer evaluates after every evalEvery steps, in order: the n-th call is at step n * evalEvery
            int[] calls = {0};
            Evaluator snapshot = (m, s) -> {
                int step = ++calls[0] * config.evalEvery();
                if (config.growthSteps().contains(step)) {
                    TinyGpt copy = new TinyGpt(config.small(v));
                    synchronized (Seeds.ENGINE_GENERATOR) { // its draws must not land inside another's seeding
                        copy.initialize(snapshots);
                    }
                    TinyGptParts.copy(model, copy);
                    copies.put(step, copy);
                }
                return Map.of();
            };
            Series curve = train(model, steps, constant, 0, seed, 0, config.smallStepFlops(v), snapshot);
            return new SmallRun(curve, copies);
        }
    }

    private GrowthRun grown(GrowthOperator op, SmallRun small, int growthStep, int seed, NDManager manager) {
        int v = vocab();
        int steps = config.grownSteps(v, growthStep);
        long smallFlops = growthStep * config.smallStepFlops(v);
        try (NDManager scope = manager.newSubManager()) {
            TinyGpt model = op.grow(small.snapshots().get(growthStep), config.factor(), scope, seed);
            Series grownCurve = train(model, steps, cosine(steps), growthStep, seed, smallFlops,
                    config.largeStepFlops(v), null);
            Series before = prefix(small.curve(), smallFlops);
            Series curve = new Series(op.label(), concat(before.x(), grownCurve.x()), concat(before.y(), grownCurve.y()));
            return new GrowthRun(op.label(), seed, growthStep, steps, smallFlops + steps * config.largeStepFlops(v),
                    curve, grownCurve.y()[0]);
        }
    }

    /**
     * Trains {@code model} for {@code steps} and returns its validation loss against FLOPs, from before the first
     * step: x = {@code flopsBefore} + steps done x {@code stepFlops}.
     *
     * @param batchOffset the index of this phase's first batch in the seed's stream of training windows
     * @param extra also run after every validation (may be null)
     */
    private Series train(TinyGpt model, int steps, LrSchedule schedule, int batchOffset, int seed, long flopsBefore,
            long stepFlops, Evaluator extra) {
        LossFunction loss = LossFunction.of(Losses.softmaxCrossEntropy());
        BatchSource windows = Batches.tokens(new TokenBatches(train, config.context(), config.batch(), seed));
        BatchSource data = (m, step) -> windows.batch(m, step + batchOffset);
        BatchSource valWindows = Batches.tokens(new TokenBatches(val, config.context(), config.batch(), VAL_SEED));
        Evaluator validation = (m, scope) -> {
            if (extra != null) {
                extra.evaluate(m, scope);
            }
            return Map.of(VAL_LOSS, Evaluation.meanLoss(m, loss, valWindows, config.evalBatches(), scope));
        };
        double initial;
        try (NDManager scope = model.getParameters().get(0).getValue().getArray().getManager().newSubManager()) {
            initial = Evaluation.meanLoss(model, loss, valWindows, config.evalBatches(), scope);
        }
        TrainConfig training = TrainConfig.of(steps, config.lr()).withSchedule(schedule)
                .withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                .withGrouping(ParamGrouping.decayMatricesOnly(0.1)).withClip(CLIP)
                .withEvalEvery(config.evalEvery()).withSeed(seed).quiet();
        History history = Trainer.train(model, data, loss, validation, training);
        Series measured = history.evalSeries(VAL_LOSS);
        double[] x = new double[measured.size() + 1];
        double[] y = new double[measured.size() + 1];
        x[0] = flopsBefore;
        y[0] = initial;
        for (int i = 0; i < measured.size(); i++) {
            x[i + 1] = flopsBefore + measured.x()[i] * stepFlops;
            y[i + 1] = measured.y()[i];
        }
        return new Series(VAL_LOSS, x, y);
    }

    /** Initialises {@code model} from {@code seed}; other threads train meanwhile and re-seed the one generator. */
    private static void initialize(TinyGpt model, int seed, NDManager scope) {
        synchronized (Seeds.ENGINE_GENERATOR) {
            Seeds.set(seed);
            model.initialize(scope);
        }
    }

    private LrSchedule cosine(int steps) {
        return CosineSchedule.steps(config.lr(), steps, Math.min(config.warmupSteps(), steps - 1), 0.1);
    }

    /** The points of {@code s} up to {@code maxX}. */
    private static Series prefix(Series s, double maxX) {
        int n = 0;
        while (n < s.size() && s.x()[n] <= maxX) {
            n++;
        }
        return new Series(s.name(), Arrays.copyOf(s.x(), n), Arrays.copyOf(s.y(), n));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
