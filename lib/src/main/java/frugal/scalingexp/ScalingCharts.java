package frugal.scalingexp;

import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.scaling.CriticalBatchPoint;
import frugal.scaling.LossNsFit;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of notebook 02: log-log fits with a residual panel under each, and predicted against measured curves.
 * Measurements are markers, fits and predictions lines of the same colour.
 */
public final class ScalingCharts {
    private static final int WIDTH = Plots.WIDTH;
    private static final int RESIDUAL_HEIGHT = 220;
    private static final String PER_LEVEL = "per level, all batches";

    private ScalingCharts() {}

    /** A model of the loss at a step, for drawing a fit next to a run. */
    @FunctionalInterface
    public interface LossModel {
        double loss(long params, long step, long batchTokens);
    }

    /** Validation loss against steps of every run, log-log. */
    public static XYChart lossCurves(String title, Runs runs) {
        return Plots.lines(title, "step", "validation loss (nats / char)", Scale.LOG, Scale.LOG, runs.curves());
    }

    /** The extrapolated converged losses against N with their power law (claim C1), residuals below. */
    public static BufferedImage convergedLoss(ConvergedLoss c) {
        XYChart fit = Plots.scatterWithFit(String.format("Converged loss L(N): R^2(log) = %.4f over %.2f decades",
                c.fit().quality().rSquared(), c.decades()), "N (non-embedding parameters)", "loss (nats / char)",
                c.points(), c.fit()::predict, String.format("(%.3g / N)^%.4f", c.fit().nC().value(),
                        c.fit().alphaN().value()), Scale.LOG, Scale.LOG);
        XYChart residuals = residualChart("N (non-embedding parameters)",
                List.of(new Series("log(extrapolated / fit)", c.params(), c.logResiduals())));
        return stacked(fit, residuals);
    }

    /** Each run's measurements after {@code fromTokens} tokens, with the first fit's {@code L(N, S)} (step 2). */
    public static BufferedImage stepFit(LossNsFit fit, Runs runs, long fromTokens) {
        return measuredAgainstModel("L(N, S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S against the ladder", runs, fromTokens,
                (n, s, b) -> fit.predict(n, s));
    }

    /** Each run's measurements with the law's trajectory {@code L(N, S, B)} at its own batch. */
    public static BufferedImage lawFit(BatchAwareLaw law, Runs runs, long fromTokens) {
        return measuredAgainstModel("L(N, S, B) of the fitted law against the runs", runs, fromTokens, law::loss);
    }

    private static BufferedImage measuredAgainstModel(String title, Runs runs, long fromTokens, LossModel model) {
        List<Series> series = new ArrayList<>();
        List<Series> residuals = new ArrayList<>();
        for (RunSpec spec : runs.specs()) {
            Series c = from(runs.curve(spec), (double) fromTokens / spec.batchTokens());
            double[] x = c.x();
            double[] y = c.y();
            double[] fitted = new double[x.length];
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                fitted[i] = model.loss(runs.params(spec), Math.round(x[i]), spec.batchTokens());
                r[i] = Math.log(y[i] / fitted[i]);
            }
            series.add(new Series(spec.name(), x, y));
            series.add(new Series(spec.name() + " fit", x, fitted));
            residuals.add(new Series(spec.name(), x, r));
        }
        XYChart chart = Plots.lines(title, "step", "validation loss (nats / char)", Scale.LOG, Scale.LOG,
                series.toArray(Series[]::new));
        pairColours(chart, series);
        XYChart res = residualChart("step", residuals);
        return stacked(chart, res);
    }

    /**
     * The critical batch against the loss (step 3): each level's estimate from the line through all batches, each
     * run's own {@code B (S / S_min - 1)} at the levels it crossed, and the fitted {@code B_crit(L)}.
     */
    public static XYChart criticalBatch(StudyFit fit, CriticalBatchEstimate.Level atTarget) {
        CriticalBatchEstimate levels = fit.levels();
        Map<String, List<CriticalBatchPoint>> byRun = new TreeMap<>();
        for (CriticalBatchPoint p : levels.points()) {
            if (p.usable()) {
                byRun.computeIfAbsent(p.run(), r -> new ArrayList<>()).add(p);
            }
        }
        List<Series> series = new ArrayList<>();
        byRun.forEach((run, points) -> series.add(new Series(run, points.stream().mapToDouble(CriticalBatchPoint::loss)
                .toArray(), points.stream().mapToDouble(CriticalBatchPoint::criticalBatch).toArray())));
        if (levels.losses().length > 0) {
            series.add(new Series(PER_LEVEL, levels.losses(), levels.criticalBatches()));
        }
        double[] range = levels.losses().length > 1 ? levels.losses() : levels.levelsTried();
        double lo = Arrays.stream(range).min().orElseThrow();
        double hi = Arrays.stream(range).max().orElseThrow();
        int n = 40;
        double[] lx = new double[n];
        double[] by = new double[n];
        for (int i = 0; i < n; i++) {
            lx[i] = lo * Math.pow(hi / lo, i / (n - 1.0));
            by[i] = fit.criticalBatch().predict(lx[i]);
        }
        series.add(new Series(fit.constantCriticalBatch() ? String.format("constant %.3g (no fall with L measured)",
                by[0]) : String.format("B_crit = %.3g / L^(1/%.3f)", fit.criticalBatch().bStar().value(),
                fit.criticalBatch().alphaB().value()), lx, by));
        int markers = series.size() - 1;
        // the swept range: B_crit inside it at the target is what the sweep was designed for
        double[] span = {Math.min(lo, atTarget.loss()), Math.max(hi, atTarget.loss())};
        double smallest = atTarget.points().stream().mapToDouble(CriticalBatchPoint::batch).min().orElse(1);
        double largest = atTarget.points().stream().mapToDouble(CriticalBatchPoint::batch).max().orElse(1);
        series.add(new Series(String.format("smallest batch crossing the target, %.0f", smallest), span,
                new double[] {smallest, smallest}));
        series.add(new Series(String.format("largest batch crossing the target, %.0f", largest), span,
                new double[] {largest, largest}));
        if (atTarget.determined()) {
            series.add(new Series(String.format("target L = %.3f: B_crit %.0f", atTarget.loss(),
                    atTarget.criticalBatch()), new double[] {atTarget.loss()}, new double[] {atTarget.criticalBatch()}));
        }
        XYChart chart = Plots.lines("Critical batch against loss, and the swept batches", "validation loss (nats / char)",
                "critical batch (tokens)", Scale.LOG, Scale.LOG, series.toArray(Series[]::new));
        for (int i = 0; i < markers; i++) {
            asMarkers(chart.getSeriesMap().get(series.get(i).name()));
        }
        for (int i = markers + 1; i < markers + 3; i++) {
            chart.getSeriesMap().get(series.get(i).name()).setLineColor(Color.GRAY);
            chart.getSeriesMap().get(series.get(i).name()).setMarker(SeriesMarkers.NONE);
        }
        if (atTarget.determined()) {
            XYSeries t = chart.getSeriesMap().get(series.get(series.size() - 1).name());
            asMarkers(t);
            t.setMarker(SeriesMarkers.TRIANGLE_UP);
            t.setMarkerColor(Color.RED);
        }
        if (chart.getSeriesMap().containsKey(PER_LEVEL)) {
            chart.getSeriesMap().get(PER_LEVEL).setMarker(SeriesMarkers.DIAMOND);
        }
        return chart;
    }

    /**
     * Steps to the target loss against the batch (McCandlish et al.'s trade-off): each sweep run's crossing and the
     * line {@code S = S_min (1 + B_crit / B)}, with {@code S_min} and {@code B_crit} marked. A sweep that spans
     * B_crit shows both regimes: steps falling as 1/B below it, flat at {@code S_min} above.
     */
    public static XYChart stepsAgainstBatch(CriticalBatchEstimate.Level atTarget) {
        double[] b = atTarget.points().stream().mapToDouble(CriticalBatchPoint::batch).toArray();
        double[] steps = atTarget.points().stream().mapToDouble(CriticalBatchPoint::steps).toArray();
        List<Series> series = new ArrayList<>(List.of(new Series("sweep runs crossing the target", b, steps)));
        if (atTarget.determined()) {
            double lo = Math.min(Arrays.stream(b).min().orElseThrow(), atTarget.criticalBatch()) / 2;
            double hi = Math.max(Arrays.stream(b).max().orElseThrow(), atTarget.criticalBatch()) * 2;
            int n = 40;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = lo * Math.pow(hi / lo, i / (n - 1.0));
                y[i] = atTarget.steps(x[i]);
            }
            series.add(new Series(String.format("S_min (1 + B_crit / B): S_min %.0f, B_crit %.0f",
                    atTarget.minSteps(), atTarget.criticalBatch()), x, y));
            series.add(new Series("B_crit", new double[] {atTarget.criticalBatch(), atTarget.criticalBatch()},
                    new double[] {atTarget.minSteps(), atTarget.steps(lo)}));
        }
        XYChart chart = Plots.lines(String.format("Steps to loss %.3f against batch (%s)", atTarget.loss(),
                atTarget.bracketed() ? "the sweep spans B_crit" : "the sweep does NOT span B_crit"), "batch (tokens)",
                "steps to the target", Scale.LOG, Scale.LOG, series.toArray(Series[]::new));
        asMarkers(chart.getSeriesMap().get(series.get(0).name()));
        if (series.size() > 2) {
            chart.getSeriesMap().get("B_crit").setLineColor(Color.GRAY);
        }
        return chart;
    }

    /** Every seed of a held-out run against the one prediction (claim C2); relative error below. */
    public static BufferedImage trajectory(List<TrajectoryCheck> seeds, long fromTokens) {
        TrajectoryCheck first = seeds.get(0);
        Series predicted = from(first.predictedSeries(), first.firstStep(fromTokens));
        List<Series> series = new ArrayList<>();
        List<Series> residuals = new ArrayList<>();
        for (TrajectoryCheck check : seeds) {
            Series m = from(check.measuredSeries(), check.firstStep(fromTokens));
            String name = "measured, seed " + check.run().seed();
            series.add(new Series(name, m.x(), m.y()));
            double[] r = new double[m.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.log(m.y()[i] / predicted.y()[i]);
            }
            residuals.add(new Series("log(measured / predicted), seed " + check.run().seed(), m.x(), r));
        }
        series.add(predicted);
        double meanError = seeds.stream().mapToDouble(TrajectoryCheck::finalRelativeError).average().orElseThrow();
        XYChart chart = Plots.lines(String.format("%s (N = %,d), held out: final loss %+.2f%% off (mean of %d seeds)",
                first.run().name(), first.params(), 100 * meanError, seeds.size()), "step",
                "validation loss (nats / char)", Scale.LOG, Scale.LOG, series.toArray(Series[]::new));
        for (int i = 0; i < seeds.size(); i++) {
            asMarkers(chart.getSeriesMap().get(series.get(i).name()));
        }
        return stacked(chart, residualChart("step", residuals));
    }

    /** The points of {@code s} at or after x = {@code fromX}. */
    private static Series from(Series s, double fromX) {
        int from = 0;
        while (from < s.size() - 1 && s.x()[from] < fromX) {
            from++;
        }
        return new Series(s.name(), Arrays.copyOfRange(s.x(), from, s.size()), Arrays.copyOfRange(s.y(), from,
                s.size()));
    }

    private static XYChart residualChart(String xLabel, List<Series> residuals) {
        List<Series> all = new ArrayList<>(residuals);
        double lo = residuals.stream().flatMapToDouble(s -> Arrays.stream(s.x())).min().orElse(1);
        double hi = residuals.stream().flatMapToDouble(s -> Arrays.stream(s.x())).max().orElse(2);
        all.add(new Series("zero", new double[] {lo, hi}, new double[] {0, 0}));
        XYChart chart = Plots.lines("residuals", xLabel, "log residual", Scale.LOG, Scale.LINEAR,
                all.toArray(Series[]::new));
        for (Series s : residuals) {
            asMarkers(chart.getSeriesMap().get(s.name()));
        }
        XYSeries zero = chart.getSeriesMap().get("zero");
        zero.setLineColor(Color.GRAY);
        zero.setShowInLegend(false);
        return chart;
    }

    /** Series come in (measured, fit) pairs: one colour per pair, markers for the measurement. */
    private static void pairColours(XYChart chart, List<Series> series) {
        Color[] palette = chart.getStyler().getSeriesColors();
        for (int i = 0; i + 1 < series.size(); i += 2) {
            Color c = palette[(i / 2) % palette.length];
            XYSeries measured = chart.getSeriesMap().get(series.get(i).name());
            XYSeries fit = chart.getSeriesMap().get(series.get(i + 1).name());
            asMarkers(measured);
            measured.setMarkerColor(c);
            fit.setLineColor(c);
            fit.setShowInLegend(false);
        }
    }

    private static void asMarkers(XYSeries s) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    /** A fit chart with its residual panel underneath, as one image. */
    private static BufferedImage stacked(XYChart top, XYChart bottom) {
        BufferedImage image = new BufferedImage(WIDTH, Plots.HEIGHT + RESIDUAL_HEIGHT, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            top.paint(g, WIDTH, Plots.HEIGHT);
            g.translate(0, Plots.HEIGHT);
            bottom.paint(g, WIDTH, RESIDUAL_HEIGHT);
        } finally {
            g.dispose();
        }
        return image;
    }
}
