package frugal.binary;

import frugal.core.GradMode;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.core.Seeds;
import frugal.data.CharTokenizer;
import frugal.data.Fortunes;
import frugal.data.Split;
import frugal.data.TextCorpus;
import frugal.data.TokenBatches;
import frugal.nn.TinyGpt;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.schedule.CosineSchedule;
import frugal.stats.Difference;
import frugal.train.AdamW;
import frugal.train.BatchSource;
import frugal.train.Batches;
import frugal.train.Evaluation;
import frugal.train.Evaluator;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;

/**
 * Notebook 03's experiment, FBI-LLM at toy scale on fortunes (characters): a full-precision teacher, the same
 * architecture binarized (FBI-Linear in every block Linear) and trained from scratch by autoregressive
 * distillation from the teacher, the binarized model trained by plain cross-entropy for the same steps, and the
 * teacher binarized after training. Then perplexities, weight memory, the 1-bit packed decoder (logits and
 * speed), sign-flip ratios, samples and the claims C1-C5 of the paper card.
 *
 * <p>Training follows the paper: AdamW (0.9, 0.95), weight decay 0.1 on matrices, cosine schedule to 10% of the
 * peak after a warm-up, gradient clipping 1.0. The model has no biases (LLaMA, the paper's base, has none).
 */
public final class FbiExperiment {
    /** How the binarized student learns. */
    public enum Objective {
        /** Autoregressive distillation from the teacher (the paper's method). */
        DISTILLATION("binarized, AD"),
        /** Cross-entropy on the next character, the same steps. */
        CROSS_ENTROPY("binarized, CE");

        private final String label;

        Objective(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Scale of the experiment; {@link #forBudget} holds the notebook's two budgets.
     *
     * @param budget "quick" or "full"; claims are judged only in full
     * @param context characters per training window (and the model's context)
     * @param batch windows per step
     * @param teacherSteps / studentSteps optimiser steps of the teacher and of each binarized student
     * @param teacherLr / studentLr peak learning rates
     * @param evalEvery steps between validation (and flip-ratio) checks
     * @param evalBatches validation batches per check (the final perplexities use twice as many)
     * @param sampleLength characters generated per text sample
     */
    public record Config(String budget, int context, int layers, int dModel, int heads, int batch, int teacherSteps,
            int studentSteps, double teacherLr, double studentLr, int evalEvery, int evalBatches, int sampleLength,
            long seed) {
        public Config {
            if (!"quick".equals(budget) && !"full".equals(budget)) {
                throw new FrugalException("FbiExperiment budget must be \"quick\" or \"full\", got \"" + budget + "\"");
            }
            for (int v : new int[] {context, layers, dModel, heads, batch, teacherSteps, studentSteps, evalEvery,
                evalBatches, sampleLength}) {
                if (v <= 0) {
                    throw new FrugalException("FbiExperiment.Config: sizes, steps and counts must be > 0, got " + v);
                }
            }
            if (!(teacherLr > 0 && studentLr > 0)) {
                throw new FrugalException("FbiExperiment.Config: learning rates must be > 0");
            }
        }

        /**
         * quick: a 2-layer, d 64 model, 300 steps per run (CI); full: 4 layers, d 128, 2,000 steps per run, what the
         * claims are judged on (~10 minutes of training on 2 idle cores).
         */
        public static Config forBudget(String budget) {
            return switch (budget) {
                case "quick" -> new Config("quick", 64, 2, 64, 4, 16, 300, 300, 3e-3, 3e-3, 50, 4, 120, 7);
                case "full" -> new Config("full", 64, 4, 128, 4, 32, 2000, 2000, 3e-3, 3e-3, 100, 8, 200, 7);
                default -> throw new FrugalException("unknown budget \"" + budget + "\"; use quick or full");
            };
        }

        /** The budget named by FRUGAL_BUDGET (default full). */
        public static Config fromEnvironment() {
            return forBudget(System.getenv().getOrDefault("FRUGAL_BUDGET", "full"));
        }

        public boolean judged() {
            return "full".equals(budget);
        }

        /** The tiny GPT of this scale for a vocabulary. */
        public TinyGpt.Config model(int vocab) {
            return TinyGpt.Config.of(vocab, context, layers, dModel, heads).withBias(false);
        }
    }

    /**
     * One model of the experiment with what was measured on it.
     *
     * @param history training history (empty for the post-training baseline); evaluations "val_loss" and, for
     *     binarized students, "flip_ratio" (fraction of signs flipped per step, averaged over each interval)
     * @param valLoss final validation cross-entropy in nats per character
     */
    public record Run(String name, TinyGpt model, History history, double valLoss, long trainSteps) {
        public double perplexity() {
            return Math.exp(valLoss);
        }
    }

    /**
     * Packed decoding checked against the DJL model and timed against fp32.
     *
     * @param maxAbsDiff max |packed - DJL| over the logits of one validation window
     * @param maxAbsLogit max |DJL logit| of the same window (the scale of the difference)
     * @param packedTokensPerSecond 1-bit packed decoder, plain Java, KV cache
     * @param fp32TokensPerSecond the same plain-Java decoder over the fp32 teacher's dense weights
     * @param djlTokensPerSecond the fp32 teacher through DJL (TinyGpt.generate: one forward of the window per token)
     */
    public record DecodeCheck(double maxAbsDiff, double maxAbsLogit, int tokens, double packedTokensPerSecond,
            double fp32TokensPerSecond, double djlTokensPerSecond) {
        public double relativeDiff() {
            return maxAbsDiff / maxAbsLogit;
        }

        public double speedup() {
            return packedTokensPerSecond / fp32TokensPerSecond;
        }
    }

    /** Run names. */
    public static final String TEACHER = "fp32 teacher";
    public static final String POST_TRAINING = "teacher binarized after training";
    private static final String VAL_LOSS = "val_loss";
    private static final String FLIP_RATIO = "flip_ratio";

    private final Config config;
    private final NDManager manager;
    private final CharTokenizer tokenizer;
    private final int[] train;
    private final int[] val;
    private final String valText;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private PackedGpt packed;
    private DecodeCheck decode;

    private FbiExperiment(Config config, NDManager manager) {
        this.config = config;
        this.manager = manager;
        TextCorpus corpus = Fortunes.load();
        Split<TextCorpus> split = corpus.split(0.9, 7);
        tokenizer = CharTokenizer.fit(corpus);
        train = tokenizer.encode(split.train().text());
        valText = split.val().text();
        val = tokenizer.encode(valText);
    }

    /** Loads fortunes (Debian's package), splits 90/10 by document and fits the character tokenizer. */
    public static FbiExperiment create(Config config, NDManager manager) {
        return new FbiExperiment(config, manager);
    }

    public Config config() {
        return config;
    }

    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    /** Runs so far, by name, in the order they were made. */
    public Map<String, Run> runs() {
        return Collections.unmodifiableMap(runs);
    }

    /** One line on the data and the model. */
    public String describe() {
        TinyGpt.Config c = config.model(tokenizer.vocabSize());
        return String.format(Locale.ROOT, "fortunes: %,d train / %,d validation characters, vocabulary %d; TinyGpt %d"
                + " layers, d %d, %d heads, context %d, no biases; batch %d; teacher %d steps, students %d steps each",
                train.length, val.length, tokenizer.vocabSize(), c.layers(), c.dModel(), c.heads(), c.context(),
                config.batch(), config.teacherSteps(), config.studentSteps());
    }

    /** Trains the full-precision teacher with cross-entropy. */
    public Run trainTeacher() {
        Seeds.set(config.seed());
        TinyGpt model = new TinyGpt(config.model(tokenizer.vocabSize()));
        model.initialize(manager);
        History h = train(model, trainBatches(), LossFunction.of(Losses.softmaxCrossEntropy()),
                (m, scope) -> Map.of(VAL_LOSS, valLoss(m, config.evalBatches(), scope)),
                trainConfig(config.teacherSteps(), config.teacherLr()));
        return record(new Run(TEACHER, model, h, valLoss(model, 2 * config.evalBatches(), manager),
                config.teacherSteps()));
    }

    /** Trains a binarized student from scratch (random init) with the given objective. */
    public Run trainStudent(Objective objective) {
        Run teacher = objective == Objective.DISTILLATION ? requireRun(TEACHER, "trainTeacher()") : null;
        Seeds.set(config.seed() + 1); // both students start from the same random weights and see the same batches
        TinyGpt model = FbiGpt.binarized(config.model(tokenizer.vocabSize()));
        model.initialize(manager);
        FlipTracker flips = FlipTracker.of(model);
        long[] lastCheck = {0};
        BatchSource data = teacher == null ? trainBatches() : Distillation.withTeacher(trainBatches(), teacher.model());
        LossFunction loss = teacher == null ? LossFunction.of(Losses.softmaxCrossEntropy()) : Distillation.loss(0);
        History h = train(model, data, loss, (m, scope) -> {
            long step = Math.min(lastCheck[0] + config.evalEvery(), config.studentSteps());
            double perStep = flips.check() / Math.max(1, step - lastCheck[0]);
            lastCheck[0] = step;
            return Map.of(VAL_LOSS, valLoss(m, config.evalBatches(), scope), FLIP_RATIO, perStep);
        }, trainConfig(config.studentSteps(), config.studentLr()));
        return record(new Run(objective.label(), model, h, valLoss(model, 2 * config.evalBatches(), manager),
                config.studentSteps()));
    }

    /** Binarizes the trained teacher (signs + the paper's alpha / beta from its weights), no training. */
    public Run postTrainingBinarization() {
        Run teacher = requireRun(TEACHER, "trainTeacher()");
        TinyGpt model = FbiGpt.postTraining(teacher.model(), manager);
        return record(new Run(POST_TRAINING, model, new History(),
                valLoss(model, 2 * config.evalBatches(), manager), 0));
    }

    /** Validation perplexity of every run, and its ratio to the teacher's. */
    public Html perplexityTable() {
        double teacher = runs.containsKey(TEACHER) ? runs.get(TEACHER).perplexity() : Double.NaN;
        List<List<?>> rows = new ArrayList<>();
        for (Run r : runs.values()) {
            rows.add(List.of(r.name(), r.trainSteps(), r.valLoss(), r.perplexity(), r.perplexity() / teacher));
        }
        return Plots.table(List.of("model", "training steps", "val loss (nats/char)", "val perplexity",
                "perplexity / teacher's"), rows);
    }

    /** Validation perplexity against the step for the trained runs; the post-training baseline as a flat line. */
    public XYChart perplexityCurves() {
        List<Series> series = new ArrayList<>();
        double last = 1;
        for (Run r : runs.values()) {
            if (r.trainSteps() > 0) {
                Series s = r.history().evalSeries(VAL_LOSS);
                series.add(new Series(r.name(), s.x(), Arrays.stream(s.y()).map(Math::exp).toArray()));
                last = Math.max(last, s.x()[s.size() - 1]);
            }
        }
        for (Run r : runs.values()) {
            if (r.trainSteps() == 0) {
                series.add(new Series(r.name(), new double[] {0, last}, new double[] {r.perplexity(), r.perplexity()}));
            }
        }
        if (series.isEmpty()) {
            throw new FrugalException("no runs yet: train the teacher and the students first");
        }
        return Plots.lines("Validation perplexity (characters)", "step", "perplexity", Scale.LINEAR, Scale.LOG,
                series.toArray(Series[]::new));
    }

    /** Fraction of binary weights whose sign flips per step, for each binarized student. */
    public XYChart flipCurves() {
        List<Series> series = new ArrayList<>();
        for (Run r : runs.values()) {
            if (r.history().evalMetrics().contains(FLIP_RATIO)) {
                Series s = r.history().evalSeries(FLIP_RATIO);
                series.add(new Series(r.name(), s.x(), Arrays.stream(s.y()).map(v -> Math.max(v, 1e-7)).toArray()));
            }
        }
        if (series.isEmpty()) {
            throw new FrugalException("no binarized student trained yet: call trainStudent(...) first");
        }
        return Plots.lines("Sign flips per step", "step", "fraction of weights flipped per step", Scale.LINEAR,
                Scale.LOG, series.toArray(Series[]::new));
    }

    /** The AD student packed to 1 bit per block weight. */
    public PackedGpt packedStudent() {
        if (packed == null) {
            packed = PackedGpt.pack(requireRun(Objective.DISTILLATION.label(), "trainStudent(Objective.DISTILLATION)")
                    .model());
        }
        return packed;
    }

    /**
     * Logits of the packed student against its DJL twin on one validation window, and decoding speed (greedy,
     * batch 1, {@code context - 1} new tokens after a 1-token prompt) of packed vs fp32, interleaved over rounds.
     */
    public DecodeCheck decodeCheck() {
        if (decode != null) {
            return decode;
        }
        Run student = requireRun(Objective.DISTILLATION.label(), "trainStudent(Objective.DISTILLATION)");
        Run teacher = requireRun(TEACHER, "trainTeacher()");
        PackedGpt bits = packedStudent();
        int[] window = Arrays.copyOf(val, config.context());
        float[][] packedLogits = bits.logits(window);
        double diff = 0;
        double scale = 0;
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(Arrays.stream(window).asLongStream().toArray(), new Shape(1, window.length));
            float[] djl = Losses.forward(student.model(), new NDList(input), false).head().toFloatArray();
            int v = tokenizer.vocabSize();
            for (int i = 0; i < djl.length; i++) {
                diff = Math.max(diff, Math.abs(djl[i] - packedLogits[i / v][i % v]));
                scale = Math.max(scale, Math.abs(djl[i]));
            }
        }
        PackedGpt fp32 = PackedGpt.fp32(teacher.model());
        int n = config.context() - 1;
        int[] prompt = {val[0]};
        Supplier<int[]> onePacked = () -> bits.generate(prompt, n, 0, 1);
        Supplier<int[]> oneFp32 = () -> fp32.generate(prompt, n, 0, 1);
        int rounds = 3;
        double[] packedRates = new double[rounds];
        double[] fp32Rates = new double[rounds];
        tokensPerSecond(onePacked, n, 500); // warm-up: the JIT compiles the plain-Java decoders
        tokensPerSecond(oneFp32, n, 500);
        for (int r = 0; r < rounds; r++) {
            packedRates[r] = tokensPerSecond(onePacked, n, 300);
            fp32Rates[r] = tokensPerSecond(oneFp32, n, 300);
        }
        // DJL recomputes the window for every token (seconds per call here): one short warm-up, one timed call
        teacher.model().generate(manager, prompt, 4, 0, 1);
        double djl = tokensPerSecond(() -> teacher.model().generate(manager, prompt, n, 0, 1), n, 0);
        decode = new DecodeCheck(diff, scale, n, median(packedRates), median(fp32Rates), djl);
        return decode;
    }

    /** {@link #decodeCheck()} as a table. */
    public Html decodeTable() {
        DecodeCheck d = decodeCheck();
        List<List<?>> rows = List.of(
                List.of("1-bit packed, plain Java, KV cache", d.packedTokensPerSecond(), 1.0),
                List.of("fp32 teacher, the same plain-Java decoder", d.fp32TokensPerSecond(),
                        d.fp32TokensPerSecond() / d.packedTokensPerSecond()),
                List.of("fp32 teacher, DJL TinyGpt.generate (window recomputed per token)", d.djlTokensPerSecond(),
                        d.djlTokensPerSecond() / d.packedTokensPerSecond()));
        return Plots.table(List.of("decoder (batch 1, greedy, " + d.tokens() + " tokens; plain Java on 1 thread)",
                "tokens / s", "relative to packed"), rows);
    }

    /** A continuation of the same validation prompt by the teacher (DJL) and by the packed AD student. */
    public Html samples() {
        Run teacher = requireRun(TEACHER, "trainTeacher()");
        int promptLength = Math.min(24, config.context() / 2);
        int[] prompt = Arrays.copyOf(val, promptLength);
        double temperature = 0.8;
        String fromTeacher = tokenizer.decode(teacher.model().generate(manager, prompt, config.sampleLength(),
                temperature, config.seed()));
        String fromStudent = tokenizer.decode(packedStudent().generate(prompt, config.sampleLength(), temperature,
                config.seed()));
        String head = tokenizer.decode(prompt);
        String html = "<p>prompt: <code>" + escape(head) + "</code>, temperature " + temperature + "</p>"
                + "<p><b>fp32 teacher</b></p><pre>" + escape(fromTeacher) + "</pre>"
                + "<p><b>1-bit packed student (AD)</b></p><pre>" + escape(fromStudent) + "</pre>";
        String text = "prompt: " + head + "\n--- fp32 teacher ---\n" + fromTeacher
                + "\n--- 1-bit packed student (AD) ---\n" + fromStudent + "\n";
        return new Html(html, text);
    }

    /** C1-C5 of the paper card, judged in the full budget only. */
    public ClaimsTable claims() {
        Run teacher = requireRun(TEACHER, "trainTeacher()");
        Run ad = requireRun(Objective.DISTILLATION.label(), "trainStudent(Objective.DISTILLATION)");
        Run ce = requireRun(Objective.CROSS_ENTROPY.label(), "trainStudent(Objective.CROSS_ENTROPY)");
        Run ptb = requireRun(POST_TRAINING, "postTrainingBinarization()");
        boolean judged = config.judged();
        ClaimsTable table = new ClaimsTable("FBI-LLM (notebook 03, " + config.budget() + " budget)");

        double closeness = ad.perplexity() / teacher.perplexity();
        double overPtb = ptb.perplexity() / ad.perplexity();
        table.add(Claim.judged("C1", "The binarized student trained by AD gets close to its full-precision twin's"
                + " perplexity (paper: ~1.6x at 1.3B) and far better than post-training binarization",
                String.format(Locale.ROOT, "ppl AD %.3g vs fp32 %.3g (%.2fx); post-training binarized %.3g (%.1fx AD's)",
                        ad.perplexity(), teacher.perplexity(), closeness, ptb.perplexity(), overPtb),
                "AD / fp32 <= 1.6 and post-training / AD >= 2", closeness <= 1.6 && overPtb >= 2, judged));

        // one training seed each (the budget holds no more): the interval is over validation batches, paired
        // (both students see the same batches), so it covers evaluation noise, not seed-to-seed noise
        double[] ceLosses = batchLosses(ce.model());
        double[] adLosses = batchLosses(ad.model());
        Difference gap = Difference.paired(ceLosses, adLosses);
        table.add(Claim.beats("C2", String.format(Locale.ROOT, "AD beats plain cross-entropy training of the same"
                + " binarized student at equal tokens (ppl CE / ppl AD = %.3f; value: CE loss - AD loss in nats per"
                + " character, paired over %d validation batches, one training seed)", ce.perplexity()
                / ad.perplexity(), ceLosses.length), gap, 0, 1, " nats", judged));

        PackedGpt bits = packedStudent();
        long[] linear = bits.linearBytes();
        long[] total = bits.totalBytes();
        long weights = linear[0] / 4;
        double bitsPerWeight = 8.0 * linear[1] / weights;
        table.add(Claim.judged("C3", "Block Linear weights take ~1 bit each once packed (paper ~1.01 bits), ~1/32 of"
                + " fp32",
                String.format(Locale.ROOT, "%.3f bits per weight (signs 1, per-column alpha and beta the rest): 1/%.1f"
                        + " of fp32; whole model 1/%.1f (embeddings, norms, head stay fp32)", bitsPerWeight,
                        (double) linear[0] / linear[1], (double) total[0] / total[1]),
                "<= 1.5 bits per weight (1/21 of fp32)", bitsPerWeight <= 1.5, judged));

        DecodeCheck d = decodeCheck();
        table.add(Claim.judged("C4", "The packed 1-bit path gives the unpacked binarized model's logits (float rounding)"
                + " and decodes faster than the fp32 path at batch 1",
                String.format(Locale.ROOT, "max |dlogit| %.2e (%.1e of max |logit|); %.0f vs %.0f tokens/s (%.2fx;"
                        + " same plain-Java decoder, 1 thread)", d.maxAbsDiff(), d.relativeDiff(),
                        d.packedTokensPerSecond(), d.fp32TokensPerSecond(), d.speedup()),
                "relative diff <= 1e-5 and speed-up > 1", d.relativeDiff() <= 1e-5 && d.speedup() > 1, judged));

        double[] flips = ad.history().evalSeries(FLIP_RATIO).y();
        int quarter = Math.max(1, flips.length / 4);
        double early = Arrays.stream(flips, 0, quarter).average().orElse(Double.NaN);
        double late = Arrays.stream(flips, flips.length - quarter, flips.length).average().orElse(Double.NaN);
        table.add(Claim.check("C5", "The fraction of signs flipping per step falls over training (value: last quarter"
                + " / first quarter of the AD run's checks)", late / early, "< 0.5", v -> v < 0.5, judged));
        return table;
    }

    private Run record(Run run) {
        runs.put(run.name(), run);
        return run;
    }

    private Run requireRun(String name, String how) {
        Run r = runs.get(name);
        if (r == null) {
            throw new FrugalException("the run \"" + name + "\" does not exist yet; call " + how + " first");
        }
        return r;
    }

    private BatchSource trainBatches() {
        return Batches.tokens(new TokenBatches(train, config.context(), config.batch(), config.seed()));
    }

    /** Per-batch validation losses over the batches the final perplexities use. */
    private double[] batchLosses(Block model) {
        return Evaluation.batchLosses(model, LossFunction.of(Losses.softmaxCrossEntropy()), valBatches(),
                2 * config.evalBatches(), manager);
    }

    private double valLoss(Block model, int batches, NDManager scope) {
        return Evaluation.meanLoss(model, LossFunction.of(Losses.softmaxCrossEntropy()), valBatches(), batches, scope);
    }

    /** The same validation batches for every model and check (fixed shuffle seed). */
    private BatchSource valBatches() {
        return Batches.tokens(new TokenBatches(val, config.context(), config.batch(), 99));
    }

    /**
     * Trains with autograd recording off outside the loop's gradient collector (which switches it on for the
     * forward and backward only): the optimiser's in-place weight decay fails on a thread that records, and a
     * notebook cell's thread records by default.
     */
    private static History train(TinyGpt model, BatchSource data, LossFunction loss, Evaluator evaluator,
            TrainConfig config) {
        return GradMode.noGrad(() -> Trainer.train(model, data, loss, evaluator, config));
    }

    private TrainConfig trainConfig(int steps, double lr) {
        return TrainConfig.of(steps, lr)
                .withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                .withSchedule(CosineSchedule.steps(lr, steps, Math.max(1, steps / 20), 0.1))
                .withGrouping(ParamGrouping.decayMatricesOnly(0.1))
                .withClip(1.0)
                .withEvalEvery(config.evalEvery())
                .withLogEvery(Math.max(1, config.evalEvery() / 2))
                .withSeed(config.seed());
    }

    /** Generation calls for at least {@code ms} milliseconds (at least one call); tokens per second. */
    private static double tokensPerSecond(Supplier<int[]> generate, int tokens, long ms) {
        long start = System.nanoTime();
        int calls = 0;
        do {
            generate.get();
            calls++;
        } while (System.nanoTime() - start < ms * 1_000_000L);
        return (double) calls * tokens / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
