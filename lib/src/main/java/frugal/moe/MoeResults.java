package frugal.moe;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.plot.Series;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;

/** The runs of a {@link MoeExperiment}: per-scope values over seeds, the tables and charts of notebook 06. */
public record MoeResults(MoeExperiment experiment, List<MoeRun> runs) {
    public MoeResults {
        runs = List.copyOf(runs);
    }

    /** The runs of {@code scope}, by seed. */
    public List<MoeRun> runs(BalanceScope scope) {
        return runs.stream().filter(r -> r.scope().equals(scope)).sorted(Comparator.comparingInt(MoeRun::seed))
                .toList();
    }

    /** One value per seed of {@code scope}'s runs, in seed order (paired across scopes). */
    public double[] values(BalanceScope scope, ToDoubleFunction<MoeRun> metric) {
        return runs(scope).stream().mapToDouble(metric).toArray();
    }

    public BalanceScope micro() {
        return experiment.scopes().get(0);
    }

    public BalanceScope global() {
        return experiment.scopes().get(experiment.scopes().size() - 1);
    }

    private MoeRun run(BalanceScope scope, int seed) {
        return runs(scope).stream().filter(r -> r.seed() == seed).findFirst().orElseThrow(() -> new FrugalException(
                "no run of scope " + scope.label() + " with seed " + seed));
    }

    /**
     * Domain x expert heat map of {@code layer}: each domain's share of its picks per expert, for one run.
     * Experts are ordered by the domain they serve most, so a specialised router shows a block diagonal.
     */
    public HeatMapChart heatMap(BalanceScope scope, int seed, int layer) {
        RoutingStats stats = run(scope, seed).stats();
        double[][] shares = stats.shares(layer);
        int domains = shares.length;
        Integer[] order = IntStream.range(0, stats.experts()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer e) -> favourite(shares, e))
                .thenComparingDouble(e -> -shares[favourite(shares, e)][e]));
        List<String> experts = Arrays.stream(order).map(e -> "E" + e).toList();
        List<Number[]> cells = new ArrayList<>();
        for (int d = 0; d < domains; d++) {
            for (int i = 0; i < order.length; i++) {
                cells.add(new Number[] {i, d, Math.round(1000 * shares[d][order[i]]) / 1000.0});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT * 3 / 4)
                .title(String.format(Locale.ROOT, "%s, layer %d: I(domain; expert) = %.3f bits", scope.label(), layer,
                        stats.mutualInformation(layer)))
                .xAxisTitle("expert (ordered by favourite domain)").yAxisTitle("domain").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(Math.max(0.5, Arrays.stream(shares).flatMapToDouble(Arrays::stream).max().orElse(1)));
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x4C78A8)});
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("share of picks", experts, stats.domains(), cells);
        return chart;
    }

    private static int favourite(double[][] shares, int expert) {
        int best = 0;
        for (int d = 1; d < shares.length; d++) {
            if (shares[d][expert] > shares[best][expert]) {
                best = d;
            }
        }
        return best;
    }

    /** Held-out loss (mean over domains) against step, mean over seeds, one curve per scope. */
    public XYChart lossCurves() {
        return curves("held-out loss during training (mean over " + experiment.seeds() + " seeds)", "loss (nats)",
                MoeExperiment.VAL_LOSS);
    }

    /** Mutual information between domain and expert against step, one curve per scope. */
    public XYChart specialisationCurves() {
        return curves("expert specialisation during training (mean over seeds)", "I(domain; expert), bits",
                MoeExperiment.MUTUAL_INFORMATION);
    }

    private XYChart curves(String title, String yLabel, String metric) {
        List<Series> series = new ArrayList<>();
        for (BalanceScope scope : experiment.scopes()) {
            List<MoeRun> rs = runs(scope);
            Series first = rs.get(0).history().evalSeries(metric);
            double[] mean = new double[first.size()];
            for (MoeRun r : rs) {
                double[] y = r.history().evalSeries(metric).y();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += y[i] / rs.size();
                }
            }
            series.add(new Series(scope.label(), first.x(), mean));
        }
        return Plots.lines(title, "step", yLabel, series.toArray(Series[]::new));
    }

    /** Final held-out loss per seed, one bar per scope: the scope effect next to the seed-to-seed spread. */
    public CategoryChart lossBySeed() {
        List<String> seeds = runs(micro()).stream().map(r -> "seed " + r.seed()).toList();
        Bars[] bars = experiment.scopes().stream()
                .map(s -> Bars.of(s.label(), values(s, r -> r.stats().meanLoss()))).toArray(Bars[]::new);
        CategoryChart chart = Plots.bars("final held-out loss per seed", "seed", "loss (nats)", seeds, bars);
        double[] all = runs.stream().mapToDouble(r -> r.stats().meanLoss()).toArray();
        double lo = Arrays.stream(all).min().orElse(0);
        double hi = Arrays.stream(all).max().orElse(1);
        chart.getStyler().setYAxisMin(lo - (hi - lo + 1e-3));
        return chart;
    }

    /** Per scope (mean ± sd over seeds): held-out loss per domain and on average, specialisation, load. */
    public Html table() {
        List<String> headers = new ArrayList<>(List.of("balancing scope"));
        List<String> domains = runs.get(0).stats().domains();
        domains.forEach(d -> headers.add("loss " + d));
        headers.addAll(List.of("loss (mean)", "I(domain; expert) bits", "max/mean expert load", "train s/run"));
        List<List<?>> rows = new ArrayList<>();
        for (BalanceScope scope : experiment.scopes()) {
            List<Object> row = new ArrayList<>(List.of(scope.label()));
            for (int d = 0; d < domains.size(); d++) {
                int dom = d;
                row.add(meanSd(values(scope, r -> r.stats().loss()[dom])));
            }
            row.add(meanSd(values(scope, r -> r.stats().meanLoss())));
            row.add(meanSd(values(scope, r -> r.stats().meanMutualInformation())));
            row.add(meanSd(values(scope, r -> r.stats().worstLoad())));
            row.add(String.format(Locale.ROOT, "%.0f", Arrays.stream(values(scope, MoeRun::trainSeconds)).average()
                    .orElse(Double.NaN)));
            rows.add(row);
        }
        return Plots.table(headers, rows);
    }

    static String meanSd(double[] v) {
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return String.format(Locale.ROOT, "%.4f", mean);
        }
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
        return String.format(Locale.ROOT, "%.4f \u00b1 %.4f", mean, sd);
    }
}
