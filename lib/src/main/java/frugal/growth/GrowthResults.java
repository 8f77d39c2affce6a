package frugal.growth;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.dg.MeanSe;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.stats.Difference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * Every run of a growth experiment, with the views the notebook shows: loss against FLOPs, the growth-timing
 * sweep and a summary table. Runs of one method and growth point have the same measurement FLOPs in every seed,
 * so their curves are averaged point by point.
 *
 * @param seconds wall time of all training and evaluation
 */
public record GrowthResults(GrowthConfig config, int vocab, List<GrowthRun> runs, double seconds) {
    /** The method name of the large model trained from scratch. */
    public static final String SCRATCH = "scratch";
    private static final double TERA = 1e12;

    public GrowthResults {
        runs = List.copyOf(runs);
    }

    /** The run of {@code method} grown at {@code growthStep} (0 for scratch) in {@code seed}. */
    public GrowthRun run(String method, int growthStep, int seed) {
        return runs.stream().filter(r -> r.method().equals(method) && r.growthStep() == growthStep && r.seed() == seed)
                .findFirst().orElseThrow(() -> new FrugalException("no run of " + method + " grown at step "
                        + growthStep + " in seed " + seed + "; methods run: " + methods()));
    }

    /** The scratch model of {@code seed}. */
    public GrowthRun scratch(int seed) {
        return run(SCRATCH, 0, seed);
    }

    /** Final validation losses of {@code method} at {@code growthStep}, one per seed in seed order. */
    public double[] finals(String method, int growthStep) {
        return seeds(method, growthStep).stream().mapToDouble(GrowthRun::finalLoss).toArray();
    }

    /**
     * Per seed, the fraction of the scratch model's FLOPs the method needed to reach the scratch model's final
     * validation loss (NaN where it never did).
     */
    public double[] flopsToMatchScratch(String method, int growthStep) {
        List<GrowthRun> grown = seeds(method, growthStep);
        double[] f = new double[grown.size()];
        for (int s = 0; s < f.length; s++) {
            GrowthRun scratch = scratch(s);
            f[s] = grown.get(s).flopsToReach(scratch.finalLoss()) / scratch.flops();
        }
        return f;
    }

    /** The mean validation curves of scratch and every operator at the main growth point, against FLOPs. */
    public XYChart lossVsFlops() {
        return lossVsFlops(0);
    }

    /** As {@link #lossVsFlops()}, only the points from {@code fromFraction} of the budget on (a zoom on the end). */
    public XYChart lossVsFlops(double fromFraction) {
        List<Series> series = new ArrayList<>();
        series.add(meanCurve(SCRATCH, 0, SCRATCH + " (" + config.large(vocab).layers() + " layers)", fromFraction));
        for (GrowthOperator op : GrowthOperator.values()) {
            series.add(meanCurve(op.label(), config.mainGrowthStep(), op.label() + " at step " + config.mainGrowthStep(),
                    fromFraction));
        }
        if (fromFraction == 0) {
            series.add(smallCurve());
        }
        return Plots.lines(title("validation loss against training FLOPs", fromFraction), "training FLOPs (10^12)",
                "validation loss (nats / char)", Scale.LINEAR, yScale(fromFraction), series.toArray(Series[]::new));
    }

    /** G_stack grown at each point of the timing sweep, and scratch: mean validation curves against FLOPs. */
    public XYChart timingCurves(double fromFraction) {
        List<Series> series = new ArrayList<>();
        series.add(meanCurve(SCRATCH, 0, SCRATCH, fromFraction));
        for (int d : config.growthSteps()) {
            series.add(meanCurve(GrowthOperator.STACK.label(), d, "G_stack at step " + d + " (" + percent(smallShare(d))
                    + " of FLOPs small)", fromFraction));
        }
        return Plots.lines(title("growth timing: G_stack grown after d small-model steps", fromFraction),
                "training FLOPs (10^12)", "validation loss (nats / char)", Scale.LINEAR, yScale(fromFraction),
                series.toArray(Series[]::new));
    }

    /**
     * The timing sweep at equal FLOPs: G_stack's final validation loss minus the scratch model's, per seed and
     * averaged, against the share of the budget the small model used (below 0: growing helped).
     */
    public XYChart timingSweep() {
        List<Integer> points = config.growthSteps();
        double[] x = points.stream().mapToDouble(d -> 100 * smallShare(d)).toArray();
        List<Series> series = new ArrayList<>();
        double[] mean = new double[points.size()];
        for (int s = 0; s < config.seeds(); s++) {
            double[] y = new double[points.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = run(GrowthOperator.STACK.label(), points.get(i), s).finalLoss() - scratch(s).finalLoss();
                mean[i] += y[i] / config.seeds();
            }
            series.add(new Series("seed " + s, x, y));
        }
        series.add(new Series("mean", x, mean));
        series.add(new Series("scratch", new double[] {x[0], x[x.length - 1]}, new double[2]));
        return Plots.lines("growth timing at equal FLOPs: G_stack final loss minus scratch's",
                "share of the FLOPs spent on the small model (%)", "loss difference (nats / char)",
                series.toArray(Series[]::new));
    }

    /** One row per method and growth point: compute, loss just after growing, final loss, difference to scratch. */
    public Html table() {
        List<List<Object>> rows = new ArrayList<>();
        double[] scratch = finals(SCRATCH, 0);
        rows.add(row(SCRATCH, 0, scratch));
        for (int d : config.growthSteps()) {
            rows.add(row(GrowthOperator.STACK.label(), d, scratch));
        }
        for (GrowthOperator op : List.of(GrowthOperator.ZERO, GrowthOperator.RANDOM)) {
            rows.add(row(op.label(), config.mainGrowthStep(), scratch));
        }
        return Plots.table(List.of("method", "grown at step", "FLOPs small / all", "large steps", "FLOPs / scratch",
                "loss after growing", "final loss (mean ± s.e.)", "minus scratch (paired, 95% CI)",
                "FLOPs to scratch's final loss / scratch's"), rows);
    }

    /** Share of the budget the small model used before growing at {@code growthStep}. */
    public double smallShare(int growthStep) {
        return (double) growthStep * config.smallStepFlops(vocab) / config.budgetFlops(vocab);
    }

    /**
     * The small model on its own, mean over seeds, up to the last growth point: the shared first phase of every
     * grown run (read off G_stack's latest growth, whose first d / evalEvery + 1 points it is).
     */
    private Series smallCurve() {
        int last = config.growthSteps().get(config.growthSteps().size() - 1);
        Series all = meanCurve(GrowthOperator.STACK.label(), last, "", 0);
        int n = last / config.evalEvery() + 1;
        return new Series("small (" + config.smallLayers() + " layers) alone", Arrays.copyOf(all.x(), n),
                Arrays.copyOf(all.y(), n));
    }

    /** Log loss for the whole run (it falls from ln V), linear for a zoom, whose narrow range a log axis hides. */
    private static Scale yScale(double fromFraction) {
        return fromFraction > 0 ? Scale.LINEAR : Scale.LOG;
    }

    private List<Object> row(String method, int d, double[] scratch) {
        List<GrowthRun> rs = seeds(method, d);
        GrowthRun first = rs.get(0);
        double[] finals = finals(method, d);
        MeanSe fin = MeanSe.of(finals);
        boolean isScratch = method.equals(SCRATCH);
        double[] reach = flopsToMatchScratch(method, d);
        return List.of(method, isScratch ? "-" : String.valueOf(d), percent(isScratch ? 0 : smallShare(d)),
                first.largeSteps(), (double) first.flops() / config.budgetFlops(vocab),
                isScratch ? "-" : meanSe(MeanSe.of(rs.stream().mapToDouble(GrowthRun::lossAfterGrowth).toArray())),
                meanSe(fin), isScratch ? "-" : Difference.paired(finals, scratch).describe(),
                isScratch ? "-" : Arrays.stream(reach).mapToObj(r -> Double.isNaN(r) ? "not reached"
                        : String.format(Locale.ROOT, "%.2f", r)).toList().toString());
    }

    private List<GrowthRun> seeds(String method, int growthStep) {
        List<GrowthRun> found = new ArrayList<>();
        for (int s = 0; s < config.seeds(); s++) {
            found.add(run(method, growthStep, s));
        }
        return found;
    }

    private Series meanCurve(String method, int growthStep, String name, double fromFraction) {
        List<GrowthRun> rs = seeds(method, growthStep);
        double[] x = rs.get(0).curve().x();
        double[] y = new double[x.length];
        for (GrowthRun r : rs) {
            if (!Arrays.equals(x, r.curve().x())) {
                throw new FrugalException(method + " at step " + growthStep + " was measured at different FLOPs in"
                        + " different seeds; the runs are not comparable");
            }
            for (int i = 0; i < y.length; i++) {
                y[i] += r.curve().y()[i] / rs.size();
            }
        }
        double from = fromFraction * config.budgetFlops(vocab);
        int start = 0;
        while (start < x.length - 1 && x[start] < from) {
            start++;
        }
        double[] tera = Arrays.stream(x, start, x.length).map(v -> v / TERA).toArray();
        return new Series(name, tera, Arrays.copyOfRange(y, start, y.length));
    }

    private List<String> methods() {
        return runs.stream().map(r -> r.method() + "@" + r.growthStep()).distinct().toList();
    }

    private static String title(String title, double fromFraction) {
        return fromFraction > 0 ? title + String.format(Locale.ROOT, " (from %.0f%% of the budget)", 100 * fromFraction)
                : title;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** "mean ± s.e." with 4 decimals (just the mean for one seed). */
    static String meanSe(MeanSe m) {
        return Double.isNaN(m.se()) ? String.format(Locale.ROOT, "%.4f", m.mean())
                : String.format(Locale.ROOT, "%.4f \u00b1 %.4f", m.mean(), m.se());
    }
}
