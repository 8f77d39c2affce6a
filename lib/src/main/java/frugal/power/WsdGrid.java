package frugal.power;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.sweep.RunConfig;
import frugal.sweep.RunResult;
import frugal.sweep.SweepResults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.knowm.xchart.XYChart;

/**
 * The WSD grid's results: the validation loss of every (batch, budget, lr), the optimal lr of each (batch, budget)
 * cell ({@link LrOptimum}), how it grows with the batch size, and the law {@code eta_opt / beta = a T^b}
 * ({@link GammaFit}). A run that failed or diverged counts as a NaN loss.
 */
public final class WsdGrid {
    private final PowerExperiment experiment;
    /** (batch, lr) -> the results of its seeds. */
    private final Map<List<Double>, List<RunResult>> runs = new HashMap<>();

    private WsdGrid(PowerExperiment experiment, List<RunResult> results) {
        this.experiment = experiment;
        for (RunResult r : results) {
            RunConfig c = r.config();
            if ("wsd".equals(c.getString("schedule"))) {
                runs.computeIfAbsent(List.of(c.getDouble("batch"), c.getDouble("lr")), k -> new ArrayList<>()).add(r);
            }
        }
        // seed order, so that the i-th loss of every cell comes from the same seed (paired comparisons)
        runs.values().forEach(r -> r.sort(Comparator.comparingLong(x -> x.config().getLong("seed"))));
    }

    /** The grid of {@code experiment} read from its WSD sweep ({@link PowerExperiment#wsdConfigs()}). */
    public static WsdGrid of(PowerExperiment experiment, SweepResults results) {
        return new WsdGrid(experiment, results.all());
    }

    /** The same grid with one seed's runs only: its own optima and fits, one sample of the seed-to-seed spread. */
    public WsdGrid forSeed(long seed) {
        if (!experiment.seeds().contains(seed)) {
            throw new FrugalException("seed " + seed + " is not one of the experiment's seeds " + experiment.seeds());
        }
        List<RunResult> mine = runs.values().stream().flatMap(List::stream)
                .filter(r -> r.config().getLong("seed") == seed).toList();
        return new WsdGrid(experiment, mine);
    }

    /**
     * The loss of a (batch, budget, lr) for each seed, in the order of {@link PowerExperiment#seeds()}; NaN for a
     * seed whose run failed or diverged.
     */
    public double[] seedLosses(int batch, long tokens, double lr) {
        return seeds(batch, lr).stream().mapToDouble(r -> PowerRun.meanValLoss(List.of(r), tokens)).toArray();
    }

    public PowerExperiment experiment() {
        return experiment;
    }

    /** The validation loss of a (batch, budget, lr), averaged over seeds; NaN when a run failed or diverged. */
    public double loss(int batch, long tokens, double lr) {
        return PowerRun.meanValLoss(seeds(batch, lr), tokens);
    }

    private List<RunResult> seeds(int batch, double lr) {
        List<RunResult> r = runs.get(List.of((double) batch, lr));
        if (r == null) {
            throw new FrugalException("no WSD run with batch " + batch + " and lr " + lr + " in the sweep results");
        }
        return r;
    }

    /** The loss of each grid lr at a (batch, budget), in the order of {@link PowerExperiment#lrs()}. */
    public double[] losses(int batch, long tokens) {
        return experiment.lrs().stream().mapToDouble(lr -> loss(batch, tokens, lr)).toArray();
    }

    /** The optimal lr of a (batch, budget) cell. */
    public LrOptimum optimum(int batch, long tokens) {
        return LrOptimum.of(experiment.lrs().stream().mapToDouble(Double::doubleValue).toArray(),
                losses(batch, tokens));
    }

    /** The lowest loss any grid lr reached at a (batch, budget): tuned WSD. */
    public double bestLoss(int batch, long tokens) {
        return optimum(batch, tokens).gridLoss();
    }

    /** Loss against lr at one batch size, one curve per budget. */
    public XYChart lossVsLr(int batch) {
        List<Series> series = new ArrayList<>();
        for (long t : experiment.tokens()) {
            series.add(Curves.finite("T=" + t, experiment.lrs(), losses(batch, t)));
        }
        String title = "WSD, batch " + batch + ": validation loss against peak lr";
        return Plots.lines(title, "peak learning rate", "validation loss (nats/char)", Scale.LOG, Scale.LINEAR,
                Curves.nonEmpty(title, series));
    }

    /** The training loss of one (batch, lr) run (the first seed) against tokens: the trunk and its decay branches. */
    public XYChart branches(int batch, double lr) {
        RunResult r = seeds(batch, lr).get(0);
        if (!r.done()) {
            throw new FrugalException("the WSD run with batch " + batch + " and lr " + lr + " failed: "
                    + r.errorSummary());
        }
        // every branch's history holds the trunk too: draw the trunk once, with the longest budget, and each
        // shorter budget from the last point before its branch point on, on top, so its decay shows
        BranchPlan plan = PowerRun.plan(r.config(), experiment.tokensPerStep(batch));
        long longest = experiment.tokens().get(experiment.tokens().size() - 1);
        List<Series> series = new ArrayList<>();
        for (int i = plan.branches().size() - 1; i >= 0; i--) {
            BranchPlan.Branch b = plan.branches().get(i);
            Series s = r.metrics().curve(PowerRun.trainLoss(b.budget()));
            double from = b.budget() == longest ? 0 : (double) b.branchStep() * experiment.tokensPerStep(batch);
            int first = 0;
            while (first < s.size() - 1 && s.x()[first + 1] < from) {
                first++;
            }
            series.add(new Series("T=" + b.budget(), Arrays.copyOfRange(s.x(), first, s.size()),
                    Arrays.copyOfRange(s.y(), first, s.size())));
        }
        return Plots.lines(String.format(Locale.ROOT, "One WSD trunk, %d branches (batch %d, lr %s)",
                experiment.tokens().size(), batch, lr), "tokens", "training loss", series.toArray(Series[]::new));
    }

    /** One row per (batch, budget): steps, best grid lr, eta_opt, gamma, losses, whether the optimum is bracketed. */
    public Html optimaTable() {
        List<List<Object>> rows = new ArrayList<>();
        for (int batch : experiment.batches()) {
            for (long t : experiment.tokens()) {
                LrOptimum o = optimum(batch, t);
                rows.add(List.of(batch, t, String.format(Locale.ROOT, "%.1f", experiment.tokensPerParameter(t)),
                        experiment.steps(batch, t), o.gridLr(), o.lr(), o.lr() / batch, o.gridLoss(),
                        o.bracketed() ? "yes" : "no (a bound)"));
            }
        }
        return Plots.table(List.of("batch", "tokens T", "tokens / parameter", "steps", "best grid lr", "eta_opt", "gamma = eta_opt/batch",
                "best loss", "bracketed"), rows);
    }

    /**
     * The exponent of eta_opt against the batch size at one budget: the slope of ln eta_opt on ln beta over the
     * batch sizes whose optimum is bracketed (1 = proportional); NaN with fewer than two.
     */
    public double batchExponent(long tokens) {
        SimpleRegression line = new SimpleRegression();
        for (int batch : experiment.batches()) {
            LrOptimum o = optimum(batch, tokens);
            if (o.bracketed()) {
                line.addData(Math.log(batch), Math.log(o.lr()));
            }
        }
        return line.getN() < 2 ? Double.NaN : line.getSlope();
    }

    /** The mean over budgets of {@link #batchExponent} (of those that have one); NaN when none has. */
    public double meanBatchExponent() {
        return experiment.tokens().stream().mapToDouble(this::batchExponent).filter(Double::isFinite).average()
                .orElse(Double.NaN);
    }

    /**
     * eta_opt against the batch size, one line per budget, log-log: bracketed optima only, as in the slopes; when
     * the grid brackets none (a tiny grid), every optimum, and the title says they are bounds.
     */
    public XYChart etaVsBatch() {
        boolean anyBracketed = experiment.tokens().stream()
                .anyMatch(t -> experiment.batches().stream().anyMatch(b -> optimum(b, t).bracketed()));
        List<Series> series = new ArrayList<>();
        for (long t : experiment.tokens()) {
            double[] eta = experiment.batches().stream().mapToDouble(b -> {
                LrOptimum o = optimum(b, t);
                return o.bracketed() || !anyBracketed ? o.lr() : Double.NaN;
            }).toArray();
            String name = String.format(Locale.ROOT, "T=%d (slope %.2f)", t, batchExponent(t));
            series.add(Curves.finite(name, experiment.batches(), eta));
        }
        String title = "Optimal lr against batch size" + (anyBracketed ? "" : " (bounds: no optimum is bracketed)");
        return Plots.lines(title, "batch size (sequences)", "eta_opt", Scale.LOG, Scale.LOG,
                Curves.nonEmpty(title, series));
    }

    /** The (batch, budget, eta_opt / batch) points whose optimum is bracketed. */
    public List<GammaFit.Point> bracketedPoints() {
        List<GammaFit.Point> points = new ArrayList<>();
        for (int batch : experiment.batches()) {
            for (long t : experiment.tokens()) {
                LrOptimum o = optimum(batch, t);
                if (o.bracketed()) {
                    points.add(new GammaFit.Point(batch, t, o.lr() / batch));
                }
            }
        }
        return points;
    }

    /** gamma = a T^b over the bracketed optima only; empty when they cover fewer than two budgets. */
    public Optional<GammaFit> bracketedFit() {
        List<GammaFit.Point> points = bracketedPoints();
        return points.stream().map(GammaFit.Point::tokens).distinct().count() >= 2 ? Optional.of(GammaFit.fit(points))
                : Optional.empty();
    }

    /**
     * gamma = a T^b over the bracketed optima; when they cover fewer than two budgets (a grid too small to bracket
     * them, as in the quick budget), over every optimum, bounds included.
     */
    public GammaFit gammaFit() {
        Optional<GammaFit> bracketed = bracketedFit();
        if (bracketed.isPresent()) {
            return bracketed.get();
        }
        List<GammaFit.Point> all = new ArrayList<>();
        for (int batch : experiment.batches()) {
            for (long t : experiment.tokens()) {
                LrOptimum o = optimum(batch, t);
                if (Double.isFinite(o.lr())) {
                    all.add(new GammaFit.Point(batch, t, o.lr() / batch));
                }
            }
        }
        return GammaFit.fit(all);
    }

    /**
     * Power's cap on the rate: the largest grid lr that is the best one (on the seeds' mean) of some (batch, budget)
     * cell, and never above the experiment's {@link PowerExperiment#powerEtaMax()} (the paper's 0.02). The paper's cap
     * is a stability bound for its models; this model's WSD loss already rises at 0.02 at every batch, so the cap
     * comes from the same grid as Power's (a, b), before any Power run. (The rule was fixed before the run that first
     * judged it: issue 13, closing note of session 7.)
     */
    public double powerEtaMax() {
        double largest = Double.NaN;
        for (int batch : experiment.batches()) {
            for (long t : experiment.tokens()) {
                double lr = optimum(batch, t).gridLr();
                if (Double.isFinite(lr) && !(lr <= largest)) {
                    largest = lr;
                }
            }
        }
        if (Double.isNaN(largest)) {
            throw new FrugalException("every WSD run diverged: no grid lr is best in any cell; lower the lr grid");
        }
        return Math.min(largest, experiment.powerEtaMax());
    }

    /** The lr the cosine baseline uses everywhere: eta_opt of the reference (batch, budget) cell. */
    public double referenceLr() {
        LrOptimum o = optimum(experiment.referenceBatch(), experiment.referenceTokens());
        if (!Double.isFinite(o.lr())) {
            throw new FrugalException("every WSD run diverged at the reference cell (batch "
                    + experiment.referenceBatch() + ", T " + experiment.referenceTokens() + "); lower the lr grid");
        }
        return o.lr();
    }
}
