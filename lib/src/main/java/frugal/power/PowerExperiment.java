package frugal.power;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.schedule.CosineSchedule;
import frugal.schedule.LrSchedule;
import frugal.schedule.PowerSchedule;
import frugal.schedule.ScheduleUnit;
import frugal.sweep.RunConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;

/**
 * Notebook 01's experiment at one scale: the lr x batch size x token budget grid with WSD, the Power and cosine
 * runs that are compared with it, and the muP transfer sweep, each as a list of {@link PowerRun} configurations
 * for {@code frugal.sweep}. {@link #forBudget} holds the notebook's two budgets.
 *
 * @param budget "quick" or "full"; the claims are judged only in full
 * @param context characters per window, the model's context
 * @param layers transformer blocks of the grid's model
 * @param width d_model of the grid's model
 * @param headDim width per attention head (heads = width / headDim)
 * @param batches batch sizes beta in sequences, ascending
 * @param lrs the WSD learning-rate grid, ascending
 * @param tokens the token budgets T, ascending; each WSD and Power run trains all of them off one trunk
 * @param warmupTokens linear warmup of every schedule, in tokens
 * @param decayFraction the final fraction of each budget that WSD and Power decay over (the paper: ~0.1)
 * @param cosineFinalRatio where cosine ends, as a fraction of its peak (0.1 is the usual choice)
 * @param powerEtaMax the highest cap the Power scheduler may get (the paper's 0.02); the cap it runs with is
 *     {@link WsdGrid#powerEtaMax()}, the largest lr the WSD grid finds best somewhere, if that is lower
 * @param evalBatches validation batches of {@value PowerRun#EVAL_BATCH} windows behind each loss
 * @param seeds every configuration runs once per seed (initialisation and data order); losses are averaged over
 *     the seeds, which halves the noise variance with two
 * @param transfer the muP transfer sweep
 * @param workers sweep worker JVMs (one PyTorch thread each on 2 cores)
 */
public record PowerExperiment(String budget, int context, int layers, int width, int headDim, List<Integer> batches,
        List<Double> lrs, List<Long> tokens, long warmupTokens, double decayFraction, double cosineFinalRatio,
        double powerEtaMax, int evalBatches, List<Long> seeds, Transfer transfer, int workers) {
    /**
     * The muP transfer sweep: loss against lr at several widths, with and without muP, all at one batch size and
     * budget; muP's base width is the narrowest.
     *
     * @param layers transformer blocks of the transfer models (the question is widths, not the grid's regime)
     * @param widths d_model values, ascending (multiples of headDim)
     * @param lrs the learning-rate grid, ascending
     * @param batch sequences per step
     * @param tokens the budget, WSD with the experiment's warmup and decay
     */
    public record Transfer(int layers, List<Integer> widths, List<Double> lrs, int batch, long tokens) {
        public Transfer {
            positive("transfer layers", layers);
            widths = ascending("transfer widths", widths);
            lrs = ascending("transfer lrs", lrs);
            if (widths.size() < 2 || lrs.size() < 2) {
                throw new FrugalException("the transfer sweep needs at least 2 widths and 2 lrs, got " + widths
                        + " and " + lrs);
            }
            positive("transfer batch", batch);
            positive("transfer tokens", tokens);
        }

        /** muP's base width: the narrowest model, the proxy the lr is tuned on. */
        public int baseWidth() {
            return widths.get(0);
        }
    }

    public PowerExperiment {
        if (!"quick".equals(budget) && !"full".equals(budget)) {
            throw new FrugalException("PowerExperiment budget must be \"quick\" or \"full\", got \"" + budget + "\"");
        }
        for (int v : new int[] {context, layers, width, headDim, evalBatches, workers}) {
            positive("context, layers, width, headDim, evalBatches and workers", v);
        }
        if (width % headDim != 0) {
            throw new FrugalException("width " + width + " is not a multiple of headDim " + headDim);
        }
        batches = ascending("batches", batches);
        seeds = ascending("seeds", seeds);
        lrs = ascending("lrs", lrs);
        tokens = ascending("tokens", tokens);
        if (transfer == null) {
            throw new FrugalException("PowerExperiment needs a transfer sweep");
        }
        for (int w : transfer.widths()) {
            if (w % headDim != 0) {
                throw new FrugalException("transfer width " + w + " is not a multiple of headDim " + headDim);
            }
        }
        positive("warmupTokens", warmupTokens);
        if (!(decayFraction > 0 && decayFraction < 1)) {
            throw new FrugalException("decayFraction must be in (0, 1), got " + decayFraction);
        }
        if (!(cosineFinalRatio >= 0 && cosineFinalRatio <= 1)) {
            throw new FrugalException("cosineFinalRatio must be in [0, 1], got " + cosineFinalRatio);
        }
        if (!(powerEtaMax > 0)) {
            throw new FrugalException("powerEtaMax must be > 0, got " + powerEtaMax);
        }
        if (warmupTokens > tokens.get(0) * (1 - decayFraction) || warmupTokens > transfer.tokens() * (1 - decayFraction)) {
            throw new FrugalException("warmup (" + warmupTokens + " tokens) plus decay must fit the smallest budget "
                    + tokens.get(0) + " and the transfer budget " + transfer.tokens());
        }
    }

    /**
     * The notebook's two scales. quick (CI, about 1 minute of training on 2 cores): a 1-layer width-32 model,
     * 3 lrs x 2 batch sizes x 2 budgets, one seed: it runs every step of the notebook but judges nothing (its
     * budgets are 1-2 tokens per parameter). full (the claims): the same 1-layer width-32 model (16,384
     * non-embedding parameters), 3 batch sizes x 5 budgets from 10 to 200 tokens per parameter x LRS_FULL x 3
     * seeds; the muP transfer sweep at 2 layers, widths 32, 64 and 128, 7 lrs, the first seed. Both cap Power at
     * the largest lr the WSD grid finds best in some cell, at most the paper's etaMax 0.02.
     *
     * <p>Why this model: the paper's law is about budgets far past compute-optimal (tens to hundreds of tokens per
     * parameter), and {@code StepCostBench} (one PyTorch thread, CPU time per step) measured that a step of these
     * tiny models is mostly per-op overhead: at batch 32-64 the 1-layer width-32 model trains ~330k tokens per
     * CPU-second, the 2-layer width-32 one (29k parameters) ~190k, width 64 ~70-150k. Reaching 200 tokens per
     * parameter costs N / throughput, three times less for the 1-layer model than for the next size, which is
     * what lets three seeds fit the budget. Budgets are multiples of 64 x 64 tokens, so every batch takes whole
     * steps.
     */
    public static PowerExperiment forBudget(String budget) {
        return switch (budget) {
            case "quick" -> new PowerExperiment("quick", 32, 1, 32, 16, List.of(8, 16), List.of(4e-3, 1e-2, 2.5e-2),
                    List.of(1L << 14, 1L << 15), 1L << 12, 0.1, 0.1, PowerSchedule.PAPER_ETA_MAX, 4, List.of(1L),
                    new Transfer(1, List.of(16, 32), List.of(3e-3, 1e-2, 3e-2), 8, 1L << 14), 2);
            case "full" -> new PowerExperiment("full", 64, 1, 32, 16, BATCHES_FULL, LRS_FULL,
                    List.of(163_840L, 344_064L, 737_280L, 1_556_480L, 3_276_800L), 1L << 15, 0.1, 0.1,
                    PowerSchedule.PAPER_ETA_MAX, 16, List.of(1L, 2L, 3L),
                    new Transfer(2, List.of(32, 64, 128), List.of(6.25e-4, 1.25e-3, 2.5e-3, 5e-3, 1e-2, 2e-2, 4e-2), 16,
                            1L << 18), 2);
            default -> throw new FrugalException("unknown budget \"" + budget + "\"; use quick or full");
        };
    }

    /**
     * The full budget's batch sizes, in sequences of 64 characters. The first full run used 16, 32 and 64: there
     * eta_opt did not move with the batch (mean exponent +0.08 over 3 seeds), every optimum near 1e-2. A one-seed
     * pilot over batches 2 to 16 seemed to find it growing below 16 (3.5e-3 at 2 to 1.3e-2 at 16, at 45 tokens
     * per parameter), so the grid moved to 4, 8 and 16 (batch 2 costs twice batch 4 per token: 2.2 ms of CPU
     * per step at either size, StepCostBench). Over 3 seeds the full run (2026-12-07) found growth only at the
     * smallest budget: 14 of 15 optima between 6.7e-3 and 1.3e-2 (notebook 01, C1).
     */
    static final List<Integer> BATCHES_FULL = List.of(4, 8, 16);

    /**
     * The full budget's WSD lr grid, factors of 2, one octave below the first run's (2.5e-3 to 4e-2, where 4e-2
     * was worst in every cell): the pilot above put every optimum between 3e-3 and 1.3e-2 at batches 4 to 16,
     * and the first run's batch-16 optima between 7e-3 and 1.2e-2, so this grid keeps a point on each side.
     */
    static final List<Double> LRS_FULL = List.of(1.25e-3, 2.5e-3, 5e-3, 1e-2, 2e-2);

    /** The budget named by the environment variable FRUGAL_BUDGET (default full). */
    public static PowerExperiment fromEnvironment() {
        return forBudget(System.getenv().getOrDefault("FRUGAL_BUDGET", "full"));
    }

    /** Whether this scale judges the claims. */
    public boolean judged() {
        return "full".equals(budget);
    }

    /**
     * Kaplan's N of a TinyGpt (MLP ratio 4, biases): the trainable parameters without the token and position
     * embeddings, the head included. Per block two LayerNorms (4d), attention (4d^2 + 4d) and the MLP
     * (8d^2 + 5d); then the final LayerNorm (2d) and the head (d x vocab, no bias).
     */
    public static long nonEmbeddingParameters(int layers, int width, int vocab) {
        long d = width;
        return layers * (12 * d * d + 13 * d) + 2 * d + d * vocab;
    }

    /** N of the grid's model on fortunes' characters. */
    public long nonEmbeddingParameters() {
        return nonEmbeddingParameters(layers, width, PowerRun.vocabSize());
    }

    /** A budget in tokens per non-embedding parameter, the regime the law is about (compute-optimal is ~20). */
    public double tokensPerParameter(long tokens) {
        return (double) tokens / nonEmbeddingParameters();
    }

    /** Optimiser steps of a straight run of {@code tokens} at {@code batch}. */
    public long steps(int batch, long tokens) {
        return stepsOf(tokens, tokensPerStep(batch));
    }

    /**
     * The regime of every grid cell: tokens per parameter against the steps the cell trains, one line per batch
     * size, with the band the redesign aims at (10 to 200) and the compute-optimal ~20 tokens per parameter.
     */
    public XYChart regimeChart() {
        List<Series> series = new ArrayList<>();
        double[] ends = {Double.MAX_VALUE, 0};
        for (int batch : batches) {
            double[] steps = tokens.stream().mapToDouble(t -> steps(batch, t)).toArray();
            ends[0] = Math.min(ends[0], steps[0]);
            ends[1] = Math.max(ends[1], steps[steps.length - 1]);
            series.add(new Series("batch " + batch, steps, tokens.stream().mapToDouble(this::tokensPerParameter)
                    .toArray()));
        }
        for (double level : new double[] {10, 20, 200}) {
            series.add(new Series(level == 20 ? "compute-optimal (~20)" : "target " + (int) level,
                    new double[] {ends[0], ends[1]}, new double[] {level, level}));
        }
        return Plots.lines(String.format(Locale.ROOT, "Token budgets per non-embedding parameter (N = %,d)",
                nonEmbeddingParameters()), "optimiser steps", "tokens per parameter", Scale.LOG, Scale.LOG,
                series.toArray(Series[]::new));
    }

    public long tokensPerStep(int batch) {
        return (long) batch * context;
    }

    /** The batch size the cosine baseline's single lr is tuned at: the middle one. */
    public int referenceBatch() {
        return batches.get(batches.size() / 2);
    }

    /** The budget the cosine baseline's single lr is tuned at: the middle one (the lower of two middles). */
    public long referenceTokens() {
        return tokens.get((tokens.size() - 1) / 2);
    }

    /** One WSD run per (lr, batch), each training every budget off one stable trunk; costliest first. */
    public List<RunConfig> wsdConfigs() {
        List<RunConfig> out = new ArrayList<>();
        for (double lr : lrs) {
            for (int batch : batches) {
                out.add(common(batch, width, false).with("schedule", "wsd").with("lr", lr)
                        .with("budgets", joined(tokens)));
            }
        }
        return perSeed(out);
    }

    /**
     * Power with one (a, b) and cap {@code etaMax} for every batch size (each run trains every budget off one trunk)
     * and cosine at one fixed lr for every (batch, budget) cell; costliest first.
     */
    public List<RunConfig> comparisonConfigs(GammaFit power, double etaMax, double cosineLr) {
        if (!(etaMax > 0 && etaMax <= powerEtaMax)) {
            throw new FrugalException("Power's etaMax must be in (0, " + powerEtaMax + "], got " + etaMax);
        }
        if (!(power.b() < 0)) {
            throw new FrugalException("the Power scheduler needs b < 0, the fit has b = " + power.b()
                    + "; use GammaFit.forPowerSchedule()");
        }
        List<RunConfig> out = new ArrayList<>();
        for (int batch : batches) {
            out.add(common(batch, width, false).with("schedule", "power").with("a", power.a()).with("b", power.b())
                    .with("eta_max", etaMax).with("budgets", joined(tokens)));
            for (long t : tokens) {
                out.add(common(batch, width, false).with("schedule", "cosine").with("lr", cosineLr)
                        .with("final_ratio", cosineFinalRatio).with("budgets", Long.toString(t)));
            }
        }
        return perSeed(out);
    }

    /**
     * Loss against lr at each transfer width, standard parametrization and muP, with the first seed only (the
     * shift it measures is octaves, coarser than the WSD grid's cells); costliest first.
     */
    public List<RunConfig> transferConfigs() {
        List<RunConfig> out = new ArrayList<>();
        for (boolean mup : new boolean[] {false, true}) {
            for (int w : transfer.widths()) {
                for (double lr : transfer.lrs()) {
                    out.add(common(transfer.batch(), w, mup).with("layers", transfer.layers()).with("schedule", "wsd").with("lr", lr)
                            .with("budgets", Long.toString(transfer.tokens())).with("seed", seeds.get(0)));
                }
            }
        }
        return costliestFirst(out);
    }

    private RunConfig common(int batch, int modelWidth, boolean mup) {
        return RunConfig.of("batch", batch, "context", context, "layers", layers, "width", modelWidth,
                "heads", modelWidth / headDim, "mup", mup, "mup_base", transfer.baseWidth(), "warmup", warmupTokens,
                "decay", decayFraction, "eval_batches", evalBatches);
    }

    /** Each configuration once per seed, costliest first. */
    private List<RunConfig> perSeed(List<RunConfig> configs) {
        List<RunConfig> out = new ArrayList<>();
        for (RunConfig c : configs) {
            for (long seed : seeds) {
                out.add(c.with("seed", seed));
            }
        }
        return costliestFirst(out);
    }

    /** Optimiser steps a configuration trains (trunk once plus each branch's own steps). */
    public static long steps(RunConfig c) {
        return PowerRun.plan(c, c.getLong("batch") * c.getLong("context")).totalSteps();
    }

    /** Tokens a configuration trains on. */
    public static long trainedTokens(RunConfig c) {
        return steps(c) * c.getLong("batch") * c.getLong("context");
    }

    /** Long runs first, so the last runs of a sweep are short and the workers finish together. */
    private static List<RunConfig> costliestFirst(List<RunConfig> configs) {
        List<RunConfig> sorted = new ArrayList<>(configs);
        sorted.sort(Comparator.comparingDouble((RunConfig c) -> trainedTokens(c) * (double) c.getLong("width"))
                .reversed());
        return List.copyOf(sorted);
    }

    /** The settings and the size of each sweep, for the notebook. */
    public Html describe() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("budget", budget));
        rows.add(List.of("model", String.format(Locale.ROOT, "TinyGpt: %d layer(s), width %d, %d heads, context %d;"
                + " N = %,d non-embedding parameters", layers, width, width / headDim, context, nonEmbeddingParameters())));
        rows.add(List.of("batch sizes (sequences)", batches.toString()));
        rows.add(List.of("WSD lr grid", lrs.toString()));
        rows.add(List.of("token budgets T", tokens + String.format(Locale.ROOT, " = %.1f to %.1f tokens per parameter",
                tokensPerParameter(tokens.get(0)), tokensPerParameter(tokens.get(tokens.size() - 1)))));
        rows.add(List.of("warmup / decay", warmupTokens + " tokens / last " + Math.round(decayFraction * 100)
                + "% of each budget, " + PowerRun.DECAY_SHAPE.name().toLowerCase(Locale.ROOT) + " shape"));
        rows.add(List.of("Power's cap eta_max", "the largest WSD grid lr that is best in some cell, at most "
                + powerEtaMax + " (WsdGrid.powerEtaMax)"));
        rows.add(List.of("muP transfer", transfer.layers() + " layer(s), widths " + transfer.widths() + ", lrs " + transfer.lrs() + ", batch "
                + transfer.batch() + ", " + transfer.tokens() + " tokens, seed " + seeds.get(0)));
        rows.add(List.of("WSD sweep", sweepSize(wsdConfigs())));
        rows.add(List.of("transfer sweep", sweepSize(transferConfigs())));
        rows.add(List.of("seeds", seeds + " (losses averaged over them)"));
        rows.add(List.of("workers", workers + " JVMs"));
        return Plots.table(List.of("setting", "value"), rows);
    }

    private static String sweepSize(List<RunConfig> configs) {
        long steps = configs.stream().mapToLong(PowerExperiment::steps).sum();
        long tokens = configs.stream().mapToLong(PowerExperiment::trainedTokens).sum();
        return String.format(Locale.ROOT, "%d runs, %,d optimiser steps, %,d tokens", configs.size(), steps, tokens);
    }

    /**
     * The three schedules over the largest budget at the reference batch size: WSD with its decay branches at every
     * budget, cosine, and Power with the paper's exponent b = -0.51 and an a chosen (for the picture only) so that
     * it ends its stable phase at the same lr as WSD's peak.
     */
    public XYChart scheduleChart() {
        int batch = referenceBatch();
        long tps = tokensPerStep(batch);
        long longest = tokens.get(tokens.size() - 1);
        double peak = lrs.get(lrs.size() / 2);
        List<Series> series = new ArrayList<>();
        RunConfig wsd = common(batch, width, false).with("schedule", "wsd").with("lr", peak)
                .with("budgets", joined(tokens)).with("seed", seeds.get(0));
        for (BranchPlan.Branch b : PowerRun.plan(wsd, tps).branches()) {
            series.add(curve("WSD, T=" + b.budget(), b.schedule(), b.steps(), tps));
        }
        series.add(curve("cosine, T=" + longest, CosineSchedule.tokens(peak, longest, warmupTokens, cosineFinalRatio),
                stepsOf(longest, tps), tps));
        long decay = Math.round(decayFraction * longest);
        double a = peak / (batch * Math.pow(longest - decay, PowerSchedule.PAPER_B));
        PowerSchedule power = new PowerSchedule(a, PowerSchedule.PAPER_B, 4 * peak, batch, longest, warmupTokens, decay,
                PowerRun.DECAY_SHAPE);
        series.add(curve("Power, T=" + longest, power, stepsOf(longest, tps), tps));
        return Plots.lines("Schedules (batch " + batch + ")", "tokens", "learning rate", series.toArray(Series[]::new));
    }

    /** The Power schedules actually compared: one (a, b) and cap, every batch size, the largest budget. */
    public XYChart powerChart(GammaFit power, double etaMax) {
        long longest = tokens.get(tokens.size() - 1);
        long decay = Math.round(decayFraction * longest);
        List<Series> series = new ArrayList<>();
        for (int batch : batches) {
            long tps = tokensPerStep(batch);
            series.add(curve("Power, batch " + batch, power.schedule(etaMax, batch, longest, warmupTokens, decay),
                    stepsOf(longest, tps), tps));
        }
        return Plots.lines(String.format(Locale.ROOT, "Power scheduler, a = %.3g, b = %.3f, etaMax = %s", power.a(),
                power.b(), etaMax), "tokens", "learning rate", Scale.LINEAR, Scale.LINEAR,
                series.toArray(Series[]::new));
    }

    private static Series curve(String name, LrSchedule schedule, long steps, long tps) {
        double[] lr = LrSchedule.sample(schedule, Math.toIntExact(steps), tps);
        double[] x = new double[lr.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (double) i * tps;
        }
        return new Series(name, x, lr);
    }

    static String joined(List<Long> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static <T extends Comparable<T>> List<T> ascending(String name, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new FrugalException(name + " must list at least one value");
        }
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i).compareTo(values.get(i - 1)) <= 0) {
                throw new FrugalException(name + " must be strictly ascending, got " + values);
            }
        }
        if (values.get(0) instanceof Number n && !(n.doubleValue() > 0)) {
            throw new FrugalException(name + " must be > 0, got " + values);
        }
        return List.copyOf(values);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new FrugalException(name + " must be > 0, got " + value);
        }
    }

    /** Steps of a straight run of a token budget. */
    private static long stepsOf(long budget, long tps) {
        return ScheduleUnit.TOKENS.stepsBefore(budget, tps);
    }
}
