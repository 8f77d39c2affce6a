package frugal.power;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.sweep.RunConfig;
import frugal.sweep.RunResult;
import frugal.sweep.SweepResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;

/**
 * Power with one (a, b) and cosine with one lr against tuned WSD (the best lr of the grid) at every (batch, budget)
 * cell: each schedule's relative loss gap {@code (L - L_wsd) / L_wsd}; positive is worse than tuned WSD.
 */
public final class ScheduleComparison {
    /**
     * One (batch, budget) cell.
     *
     * @param wsdLoss tuned WSD: the lowest validation loss over the lr grid
     * @param wsdLr the grid lr that reached it
     * @param powerLoss Power with the one (a, b); NaN when it diverged or failed
     * @param cosineLoss cosine at the one lr; NaN when it diverged or failed
     */
    public record Cell(int batch, long tokens, double wsdLoss, double wsdLr, double powerLoss, double cosineLoss) {
        /** Power's relative gap to tuned WSD (NaN when Power diverged). */
        public double powerGap() {
            return (powerLoss - wsdLoss) / wsdLoss;
        }

        /** Cosine's relative gap to tuned WSD (NaN when cosine diverged). */
        public double cosineGap() {
            return (cosineLoss - wsdLoss) / wsdLoss;
        }
    }

    private final List<Cell> cells;
    private final GammaFit power;
    private final double cosineLr;

    private ScheduleComparison(List<Cell> cells, GammaFit power, double cosineLr) {
        this.cells = List.copyOf(cells);
        this.power = power;
        this.cosineLr = cosineLr;
    }

    /**
     * The cells of the experiment from the WSD grid and the comparison sweep
     * ({@link PowerExperiment#comparisonConfigs}) run with {@code power} and {@code cosineLr}.
     */
    public static ScheduleComparison of(WsdGrid wsd, SweepResults comparison, GammaFit power, double cosineLr) {
        PowerExperiment e = wsd.experiment();
        List<Cell> cells = new ArrayList<>();
        for (int batch : e.batches()) {
            for (long t : e.tokens()) {
                LrOptimum tuned = wsd.optimum(batch, t);
                cells.add(new Cell(batch, t, tuned.gridLoss(), tuned.gridLr(), loss(comparison, "power", batch, t),
                        loss(comparison, "cosine", batch, t)));
            }
        }
        return new ScheduleComparison(cells, power, cosineLr);
    }

    /** The loss of a schedule at a cell, averaged over its seeds. */
    private static double loss(SweepResults runs, String schedule, int batch, long tokens) {
        List<RunResult> seeds = runs.all().stream().filter(r -> {
            RunConfig c = r.config();
            return schedule.equals(c.getString("schedule")) && c.getLong("batch") == batch
                    && PowerRun.budgets(c).contains(tokens);
        }).toList();
        if (seeds.isEmpty()) {
            throw new FrugalException("no " + schedule + " run with batch " + batch + " and budget " + tokens
                    + " in the comparison sweep; run PowerExperiment.comparisonConfigs");
        }
        return PowerRun.meanValLoss(seeds, tokens);
    }

    public List<Cell> cells() {
        return cells;
    }

    /** The largest Power gap over the grid; infinite when Power diverged somewhere. */
    public double maxPowerGap() {
        return cells.stream().mapToDouble(c -> Double.isNaN(c.powerGap()) ? Double.POSITIVE_INFINITY : c.powerGap())
                .max().orElseThrow();
    }

    /** The largest cosine gap over the grid; infinite when cosine diverged somewhere. */
    public double maxCosineGap() {
        return cells.stream().mapToDouble(c -> Double.isNaN(c.cosineGap()) ? Double.POSITIVE_INFINITY : c.cosineGap())
                .max().orElseThrow();
    }

    /** Losses and gaps per cell. */
    public Html table() {
        List<List<Object>> rows = new ArrayList<>();
        for (Cell c : cells) {
            rows.add(List.of(c.batch(), c.tokens(), c.wsdLr(), c.wsdLoss(), c.powerLoss(), percent(c.powerGap()),
                    c.cosineLoss(), percent(c.cosineGap())));
        }
        return Plots.table(List.of("batch", "tokens T", "tuned WSD lr", "tuned WSD loss", "Power loss", "Power gap",
                String.format(Locale.ROOT, "cosine (lr %.3g) loss", cosineLr), "cosine gap"), rows);
    }

    /** The gaps as bars per cell (cells where a schedule diverged are left out). */
    public CategoryChart chart() {
        List<Cell> finite = cells.stream().filter(c -> Double.isFinite(c.powerGap()) && Double.isFinite(c.cosineGap()))
                .toList();
        if (finite.isEmpty()) {
            throw new FrugalException("every cell has a diverged Power or cosine run; nothing to chart (see table())");
        }
        List<String> names = finite.stream().map(c -> c.batch() + " / " + shortCount(c.tokens())).toList();
        String title = String.format(Locale.ROOT, "Gap to tuned WSD: Power a=%.2g b=%.2f; cosine lr=%.2g",
                power.a(), power.b(), cosineLr);
        CategoryChart chart = Plots.bars(title, "batch / tokens T", "gap (%)", names,
                Bars.of("Power, one (a, b)", finite.stream().mapToDouble(c -> 100 * c.powerGap()).toArray()),
                Bars.of("cosine, one lr", finite.stream().mapToDouble(c -> 100 * c.cosineGap()).toArray()));
        chart.getStyler().setXAxisLabelRotation(45); // twelve cells do not fit side by side
        return chart;
    }

    /** 131072 -> "131k", 1048576 -> "1.05M". */
    private static String shortCount(long n) {
        return n >= 1_000_000 ? String.format(Locale.ROOT, "%.3gM", n / 1e6) : String.format(Locale.ROOT, "%.3gk", n / 1e3);
    }

    private static String percent(double gap) {
        return Double.isFinite(gap) ? String.format(Locale.ROOT, "%+.2f%%", 100 * gap) : "diverged";
    }
}
