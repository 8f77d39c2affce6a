package frugal.moe;

import ai.djl.ndarray.NDManager;
import frugal.claims.ClaimsTable;
import frugal.core.FrugalException;
import frugal.core.GradMode;
import frugal.core.Html;
import frugal.plot.Plots;
import frugal.core.Seeds;
import frugal.mup.MupConfig;
import frugal.nn.LinearFactory;
import frugal.nn.TinyGpt;
import frugal.schedule.CosineSchedule;
import frugal.train.AdamW;
import frugal.train.Evaluator;
import frugal.train.History;
import frugal.train.ParamGrouping;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Notebook 06's experiment: MoE TinyGpts trained on a mixture of code and fortune topics with the same
 * data, steps and initialisation, differing only in the scope over which the load-balancing loss gathers
 * f_i (one sequence = the micro-batch, groups of micro-batches, the global batch). Each step's batch is
 * one forward pass; a micro-batch is {@code microBatchSequences} consecutive rows of it, which gives the
 * same gradients as accumulating the micro-batches one by one with a per-micro-batch LBL (tested), and
 * lets the global scope gather f_i over the whole step before the backward.
 *
 * @param budget "quick" (CI: the numbers mean nothing) or "full" (the claims are judged)
 * @param data which text
 * @param model TinyGpt's shape (its MLPs are replaced by MoE blocks)
 * @param moe experts, top-k, expert width
 * @param batch sequences per step (the global batch)
 * @param microBatchSequences sequences per micro-batch
 * @param scopes the balancing scopes compared, smallest first; the first is the micro-batch baseline and
 *     the last the global batch
 * @param steps optimiser steps per run
 * @param lr peak AdamW learning rate (cosine decay to a tenth, 5% warm-up)
 * @param alpha the LBL's weight
 * @param seeds runs per scope; seed i gives every scope the same initialisation and batches
 * @param evalEvery held-out evaluation cadence in steps
 * @param valBatches, valRows held-out windows per domain: valBatches x valRows
 */
public record MoeExperiment(String budget, DomainMixture.Config data, TinyGpt.Config model, MoeConfig moe, int batch,
        int microBatchSequences, List<BalanceScope> scopes, int steps, double lr, double alpha, int seeds,
        int evalEvery, int valBatches, int valRows) {
    /** History metric: held-out loss averaged over domains. */
    public static final String VAL_LOSS = "val_loss";
    /** History metric: mutual information between domain and expert, bits, mean over layers. */
    public static final String MUTUAL_INFORMATION = "mi_bits";
    /** History metric: the busiest expert's corpus-level load over the mean, worst layer. */
    public static final String MAX_LOAD = "max_load";

    public MoeExperiment {
        Objects.requireNonNull(budget, "budget");
        scopes = List.copyOf(scopes);
        if (scopes.size() < 2 || batch < 1 || steps < 1 || seeds < 1 || evalEvery < 1) {
            throw new FrugalException("MoeExperiment: need >= 2 scopes and positive batch, steps, seeds, evalEvery");
        }
    }

    /** The experiment of {@code budget}: "quick" (CI, whole notebook <= 3 min) or "full" (<= 20 min, judged). */
    public static MoeExperiment forBudget(String budget) {
        var data = new DomainMixture.Config("java.base/java/util/", List.of("computers", "songs-poems", "definitions"),
                250_000, 0.1, 0);
        var model = new TinyGpt.Config(128, 64, 2, 64, 4, 4, 0f, true, MupConfig.disabled());
        var moe = new MoeConfig(8, 2, 64);
        int batch = 16;
        var scopes = List.of(BalanceScope.microBatch(1), BalanceScope.microBatches(4, 1),
                BalanceScope.globalBatch(batch));
        return switch (budget) {
            case "quick" -> new MoeExperiment(budget, data, model, moe, batch, 1, scopes, 60, 3e-3, 0.05, 1, 20, 1, 8);
            case "full" -> new MoeExperiment(budget, data, model, moe, batch, 1, scopes, 1000, 3e-3, 0.05, 5, 100, 4, 16);
            default -> throw new FrugalException("unknown budget '" + budget + "'; FRUGAL_BUDGET must be quick or full");
        };
    }

    /** The experiment of the {@code FRUGAL_BUDGET} environment variable (full when unset). */
    public static MoeExperiment fromEnvironment() {
        return forBudget(System.getenv().getOrDefault("FRUGAL_BUDGET", "full"));
    }

    /** Claims are judged in the full budget only. */
    public boolean judged() {
        return budget.equals("full");
    }

    /** The experiment with other settings for runs (tests, benchmarks). */
    public MoeExperiment withRuns(int steps, int seeds, int evalEvery) {
        return new MoeExperiment(budget, data, model, moe, batch, microBatchSequences, scopes, steps, lr, alpha, seeds,
                evalEvery, valBatches, valRows);
    }

    public DomainMixture loadData() {
        return DomainMixture.load(data);
    }

    /** Every scope, every seed (seed-major, so a cut-short run still holds complete pairs). */
    public MoeResults run(DomainMixture mixture, NDManager manager) {
        List<MoeRun> runs = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            for (BalanceScope scope : scopes) {
                runs.add(run(mixture, scope, seed, manager));
            }
        }
        return new MoeResults(this, runs);
    }

    /** One model: built, trained and measured. */
    public MoeRun run(DomainMixture mixture, BalanceScope scope, int seed, NDManager manager) {
        TinyGpt.Config shape = modelFor(mixture);
        RoutingTrace trace = new RoutingTrace(shape.layers());
        Seeds.set(1000L + seed);
        TinyGpt net = new TinyGpt(shape, LinearFactory.dense(), MoeMlp.factory(moe, trace));
        try (NDManager runScope = manager.newSubManager()) {
            net.initialize(runScope);
            RoutingStats[] last = new RoutingStats[1];
            Evaluator evaluator = (m, scopeManager) -> {
                last[0] = RoutingStats.measure(m, trace, mixture, valBatches, valRows, shape.context(), scopeManager);
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put(VAL_LOSS, last[0].meanLoss());
                metrics.put(MUTUAL_INFORMATION, last[0].meanMutualInformation());
                metrics.put(MAX_LOAD, last[0].worstLoad());
                return metrics;
            };
            TrainConfig config = TrainConfig.of(steps, lr)
                    .withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                    .withSchedule(CosineSchedule.steps(lr, steps, Math.max(1, steps / 20), 0.1))
                    .withGrouping(ParamGrouping.decayMatricesOnly(0.1)).withClip(1.0).withEvalEvery(evalEvery)
                    .withSeed(seed).quiet();
            long t0 = System.nanoTime();
            History history = GradMode.noGrad(() -> Trainer.train(net, mixture.trainBatches(batch, shape.context(),
                    seed), new MoeLoss(trace, scope, alpha), evaluator, config));
            return new MoeRun(scope, seed, history, last[0], (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The model shape with the mixture's vocabulary. */
    public TinyGpt.Config modelFor(DomainMixture mixture) {
        return new TinyGpt.Config(mixture.tokenizer().vocabSize(), model.context(), model.layers(), model.dModel(),
                model.heads(), model.mlpRatio(), model.dropout(), model.bias(), model.mup());
    }

    /** What every run shares, in a table: model, experts, data, optimisation, seeds. */
    public Html settings(DomainMixture mixture) {
        TinyGpt.Config m = modelFor(mixture);
        return Plots.table(List.of("setting", "value"), List.of(
                List.of("model", String.format(Locale.ROOT, "TinyGpt, %d layers, d = %d, %d heads, context %d, vocabulary %d",
                        m.layers(), m.dModel(), m.heads(), m.context(), m.vocab())),
                List.of("MoE MLP in every layer", String.format(Locale.ROOT, "%d experts of width %d, top-%d softmax"
                        + " router (gates renormalised), capacity-free", moe.experts(), moe.expertHidden(), moe.topK())),
                List.of("domains", String.join(", ", mixture.names())),
                List.of("global batch", batch + " sequences of " + m.context() + " tokens, " + batch / mixture.names().size()
                        + " per domain, rows in random order"),
                List.of("micro-batch", microBatchSequences + " sequence(s), one domain"),
                List.of("balancing scopes", String.join(", ", scopes.stream().map(BalanceScope::label).toList())),
                List.of("loss", "cross-entropy + " + alpha + " x LBL (mean over layers and balancing groups)"),
                List.of("optimisation", String.format(Locale.ROOT, "%d steps, AdamW (0.9, 0.95), peak lr %.0e, cosine"
                        + " to a tenth, weight decay 0.1 on matrices, clip 1.0", steps, lr)),
                List.of("held out", valBatches * valRows + " windows per domain (documents never trained on)"),
                List.of("seeds", seeds + " (seed i: the same initialisation and batches for every scope)")));
    }

    /** The card's claims on {@code results}. */
    public ClaimsTable claims(MoeResults results) {
        return MoeClaims.of(results, judged());
    }
}
