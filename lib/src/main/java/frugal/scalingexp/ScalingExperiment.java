package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.mup.MupConfig;
import frugal.plot.Plots;
import frugal.sweep.ResultStore;
import frugal.sweep.Sweep;
import frugal.sweep.SweepExecutor;
import frugal.sweep.SweepResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Notebook 02's study at one budget: which runs to train and how long, in one place. Every run of the main setup
 * shares the setup (corpus, tokenizer, context, schedule, muP with one lr), so the fitted constants belong to it.
 *
 * <ul>
 *   <li>{@link #ladderRuns()}: every ladder size at the ladder batch (the paper's steps 1 and 2);
 *   <li>{@link #batchSweepRuns()}: {@code sweepSize} at the batches of {@code sweep}, each for the steps it needs
 *       to reach the sweep's target loss, and at the ladder batch (step 3; that run is also the ladder's);
 *   <li>{@link #heldOutRuns()}: a model at least 4x larger than any fitted one, at the ladder batch, one run per
 *       held-out seed, trained only after its trajectory has been predicted (step 4);
 *   <li>{@link #checkRuns()}: the held-out model at a smaller batch, per seed, for the steps-to-target check;
 *   <li>{@link #secondLadderRuns()}: a ladder on a second setup, to compare constants (claim C4).
 * </ul>
 *
 * @param budget "quick" (a smoke run for CI, claims not judged) or "full" (the claims are judged)
 * @param secondLadder the sizes trained on the second setup (each also on the ladder, so both are fitted alike)
 * @param batch the ladder batch, in sequences of {@code setup.context()} characters
 * @param sweep the batch sweep and its target loss, designed to span the critical batch there
 * @param checkBatch the held-out model's second batch, in sequences
 * @param checkSteps steps of each check run (enough to pass the target)
 * @param steps steps of every run at the ladder batch
 * @param fitFromTokens measurements before a run has seen this many tokens (warmup and the first plateau) are left
 *     out of the fits
 * @param timingSteps steps of each run of the executor comparison
 * @param heldOutSeeds the seeds of the held-out runs at the ladder batch (the ladder uses the first)
 * @param checkSeeds the seeds of the check runs (cheaper, so there can be more: the steps-to-target interval is
 *     as wide as t with n - 1 degrees of freedom makes it)
 */
public record ScalingExperiment(String budget, Setup setup, Setup secondSetup, List<ModelSize> ladder,
        List<ModelSize> secondLadder, ModelSize heldOut, int batch, ModelSize sweepSize, BatchSweepDesign sweep,
        int checkBatch, long checkSteps, long steps, long fitFromTokens, int evalPoints, int evalBatches,
        long timingSteps, List<Long> heldOutSeeds, List<Long> checkSeeds) {
    public ScalingExperiment {
        if (!"quick".equals(budget) && !"full".equals(budget)) {
            throw new FrugalException("ScalingExperiment budget must be \"quick\" or \"full\", got \"" + budget + "\"");
        }
        ladder = List.copyOf(ladder);
        secondLadder = List.copyOf(secondLadder);
        heldOutSeeds = List.copyOf(heldOutSeeds);
        checkSeeds = List.copyOf(checkSeeds);
        if (ladder.size() < 3 || secondLadder.size() < 2 || !ladder.containsAll(secondLadder)) {
            throw new FrugalException("ScalingExperiment: the ladder needs at least 3 model sizes and the second"
                    + " setup's at least 2, all on the ladder; got " + ladder + " and " + secondLadder);
        }
        if (!ladder.contains(sweepSize)) {
            throw new FrugalException("ScalingExperiment: the batch-sweep size " + sweepSize + " must be on the ladder,"
                    + " whose run is the sweep's ladder-batch run");
        }
        if (sweep.batches().contains(batch) || !sweep.spansGuess(setup.context())) {
            throw new FrugalException("ScalingExperiment: sweep batches " + sweep.batches() + " must leave out the"
                    + " ladder batch " + batch + " (the ladder's run gives that one) and span the guessed critical"
                    + " batch " + sweep.criticalBatchGuess() + " tokens by a factor "
                    + CriticalBatchEstimate.Level.BRACKET_FACTOR + " on each side");
        }
        if (steps < sweep.steps(batch, setup.context())) {
            throw new FrugalException("ScalingExperiment: the ladder's " + steps + " steps do not reach the sweep's"
                    + " target at the ladder batch (the design asks for " + sweep.steps(batch, setup.context()) + ")");
        }
        if (heldOutSeeds.isEmpty() || heldOutSeeds.stream().distinct().count() != heldOutSeeds.size()
                || checkSeeds.isEmpty() || checkSeeds.stream().distinct().count() != checkSeeds.size()) {
            throw new FrugalException("ScalingExperiment: held-out and check seeds must each be distinct and at least"
                    + " one, got " + heldOutSeeds + " and " + checkSeeds);
        }
        if (checkBatch < 1 || checkBatch >= batch || checkSteps < 2 || fitFromTokens < 1 || fitFromTokens >= steps
                * batch * (long) setup.context() || timingSteps < 2) {
            throw new FrugalException("ScalingExperiment: need 1 <= checkBatch < batch, checkSteps >= 2, 1 <="
                    + " fitFromTokens < the tokens of a ladder run, and timingSteps >= 2; got checkBatch " + checkBatch
                    + ", checkSteps " + checkSteps + ", fitFromTokens " + fitFromTokens + ", steps " + steps
                    + ", timingSteps " + timingSteps);
        }
    }

    /**
     * The study of {@code budget}. "quick": three tiny sizes for 120 steps, a smoke run (a minute or two of a loaded
     * 2-core machine). "full": five sizes from N = 5k to 198k (1.6 decades) for 2,500 steps, a held-out model of
     * N = 911k (4.6x) over two seeds at the ladder batch and three at the check batch, a batch sweep from 1,024 to
     * 32,768 tokens around the critical batch at loss 2.05. Measured on 2 idle cores: 1,029 s wall, 1,941 s CPU.
     */
    public static ScalingExperiment forBudget(String budget) {
        // muP with the narrowest width as base: 0.036 beat 0.004, 0.012 and 0.072 (0.144 diverged) at widths 16, 40,
        // 72 and 136 after 600-1,000 steps of a pilot, the same lr at every width as muP promises
        Setup fortunes = new Setup(Corpus.FORTUNES, 64, 0.036, 30, MupConfig.paper(16));
        Setup code = fortunes.withCorpus(Corpus.JDK_SOURCE);
        ModelSize s16 = new ModelSize(1, 16, 2);
        ModelSize s24 = new ModelSize(2, 24, 4);
        ModelSize s40 = new ModelSize(2, 40, 4);
        return switch (budget) {
            case "quick" -> new ScalingExperiment("quick", fortunes, code, List.of(s16, s24, s40),
                    List.of(s16, s24), new ModelSize(2, 96, 4), 16, s24,
                    new BatchSweepDesign(3.0, 400, 20, List.of(2, 4, 64), 1.5), 8, 120, 120, 20 * 16 * 64, 10, 2, 30,
                    List.of(1L, 2L), List.of(1L, 2L));
            // pilot (2x40, lr 0.036): loss 2.17 after ~6,000 / 950 / 433 / 290 steps at 512 / 2,048 / 8,192 /
            // 32,768 tokens, so B_crit(2.17) ~ 5,000 tokens and S_min ~ 270; at 2.05 guess 6,000 and 360. The
            // plateau ends after ~300k tokens: fits start at 4x that (step 600 at batch 32). A first full run with
            // those guesses reached 2.05 after ~405 / 690 / 1,700 steps at 32,768 / 8,192 / 2,048 tokens but not in
            // 3,458 steps at 1,024 (2.065), so B_crit(2.05) ~ 9,000-10,000 and S_min ~ 310-320: the guesses below
            case "full" -> new ScalingExperiment("full", fortunes, code,
                    List.of(s16, s24, s40, new ModelSize(2, 64, 4), new ModelSize(3, 72, 4)),
                    List.of(s16, s24, s40), new ModelSize(4, 136, 4), 32, s40,
                    new BatchSweepDesign(2.05, 9000, 320, List.of(16, 128, 512), 1.4), 16, 2200, 2500,
                    600 * 32 * 64, 24, 8, 40, List.of(1L, 2L), List.of(1L, 2L, 3L));
            default -> throw new FrugalException("unknown budget \"" + budget + "\"; use quick or full");
        };
    }

    /** The budget named by the environment variable FRUGAL_BUDGET (default full, as when a person runs it). */
    public static ScalingExperiment fromEnvironment() {
        return forBudget(System.getenv().getOrDefault("FRUGAL_BUDGET", "full"));
    }

    /** Whether the claims are judged: only in the full budget. */
    public boolean judged() {
        return "full".equals(budget);
    }

    /** The seed of every fitted run: the first held-out seed. */
    public long seed() {
        return heldOutSeeds.get(0);
    }

    private RunSpec spec(Setup s, ModelSize size, int batchSequences, long runSteps, long runSeed) {
        return new RunSpec(s, size, batchSequences, runSteps, evalPoints, evalBatches, runSeed);
    }

    /** Every ladder size at the ladder batch, main setup. */
    public List<RunSpec> ladderRuns() {
        return ladder.stream().map(size -> spec(setup, size, batch, steps, seed())).toList();
    }

    /**
     * The batch sweep: the sweep size at each batch of the design, for the steps the design gives it, then its
     * ladder run at the ladder batch.
     */
    public List<RunSpec> batchSweepRuns() {
        List<RunSpec> runs = new ArrayList<>(sweep.batches().stream()
                .map(b -> spec(setup, sweepSize, b, sweep.steps(b, setup.context()), seed())).toList());
        runs.add(spec(setup, sweepSize, batch, steps, seed()));
        return List.copyOf(runs);
    }

    /** The held-out model at the ladder batch, one run per held-out seed. */
    public List<RunSpec> heldOutRuns() {
        return heldOutSeeds.stream().map(s -> spec(setup, heldOut, batch, steps, s)).toList();
    }

    /** The held-out model at the smaller check batch, one run per check seed. */
    public List<RunSpec> checkRuns() {
        return checkSeeds.stream().map(s -> spec(setup, heldOut, checkBatch, checkSteps, s)).toList();
    }

    /** The second setup's ladder at the ladder batch. */
    public List<RunSpec> secondLadderRuns() {
        return secondLadder.stream().map(size -> spec(secondSetup, size, batch, steps, seed())).toList();
    }

    /** The main ladder's runs of the sizes the second setup trains: the same sizes fitted in both setups (C4). */
    public List<RunSpec> secondLadderSizesRuns() {
        return secondLadder.stream().map(size -> spec(setup, size, batch, steps, seed())).toList();
    }

    /** What the fits of the main setup need (ladder and batch sweep), most expensive first. */
    public List<RunSpec> fittingRuns() {
        return byCostDescending(ladderRuns(), batchSweepRuns());
    }

    /**
     * What is trained after the prediction: the held-out model at both batches over its seeds, and the second
     * setup's ladder, which keeps the other worker busy. Most expensive first.
     */
    public List<RunSpec> laterRuns() {
        return byCostDescending(heldOutRuns(), checkRuns(), secondLadderRuns());
    }

    /**
     * Runs of both lists once each, the most expensive first (blocks x width^2 x batch x steps, the matrix work), so
     * the longest run starts first and two workers finish close together.
     */
    @SafeVarargs
    private static List<RunSpec> byCostDescending(List<RunSpec>... lists) {
        LinkedHashSet<RunSpec> all = new LinkedHashSet<>();
        for (List<RunSpec> l : lists) {
            all.addAll(l);
        }
        return all.stream().sorted(Comparator.comparingDouble((RunSpec r) -> (double) r.size().layers()
                * r.size().dModel() * r.size().dModel() * r.batchTokens() * r.steps()).reversed()).toList();
    }

    /** Short runs of the smallest ladder sizes, the same workload for both layouts of the executor comparison. */
    public List<RunSpec> timingRuns() {
        List<RunSpec> runs = new ArrayList<>();
        for (ModelSize size : ladder.subList(0, 2)) {
            for (long s = 1; s <= 2; s++) {
                runs.add(new RunSpec(setup, size, batch, timingSteps, 2, 1, seed() + s));
            }
        }
        return runs;
    }

    /** Kaplan's N of {@code size} in {@code s} (the head's size depends on the corpus's vocabulary). */
    public long params(ModelSize size, Setup s) {
        return size.nonEmbeddingParams(TokenData.of(s.corpus()).vocab(), s.context());
    }

    /**
     * Trains {@code specs} (those not already in this budget's result store) on {@code executor} and returns
     * them; an error names any run that failed.
     */
    public Runs run(List<RunSpec> specs, SweepExecutor executor) {
        long t0 = System.nanoTime();
        SweepResults results = Sweep.of(specs.stream().map(RunSpec::toConfig).toList()).run(new LossCurveRun(),
                executor, store());
        return Runs.of(specs, results, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Where this budget's runs are stored, one JSON file per run: {@code build/sweeps/02-scaling-laws-<budget>} of
     * the checkout the notebook runs in (or of the temporary folder outside a checkout). A finished run is not
     * trained again; delete the folder to start over.
     */
    public ResultStore store() {
        return ResultStore.at(checkoutOrTemp().resolve("build").resolve("sweeps").resolve("02-scaling-laws-" + budget));
    }

    private static Path checkoutOrTemp() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("notebooks")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "frugal");
    }

    /** The plan: every run with its N, batch in tokens and steps, by part of the study. */
    public Html plan() {
        List<List<?>> rows = new ArrayList<>();
        addRows(rows, "ladder (fitted)", ladderRuns());
        addRows(rows, "batch sweep (fitted)", batchSweepRuns().subList(0, sweep.batches().size()));
        addRows(rows, "held out", heldOutRuns());
        addRows(rows, "held out, check batch", checkRuns());
        addRows(rows, "second setup (fitted)", secondLadderRuns());
        return Plots.table(List.of("part", "run", "setup", "N (non-embedding)", "batch (tokens)", "steps", "seed"),
                rows);
    }

    private void addRows(List<List<?>> rows, String part, List<RunSpec> specs) {
        for (RunSpec s : specs) {
            rows.add(List.of(part, s.size().label(), s.setup().label(), String.format("%,d", params(s.size(),
                    s.setup())), s.batchTokens(), s.steps(), s.seed()));
        }
    }
}
