package frugal.power;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.sweep.RunConfig;
import frugal.sweep.RunResult;
import frugal.sweep.SweepResults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;

/**
 * Power with one (a, b) and cosine with one lr against tuned WSD (the best lr of the grid) at every (batch, budget)
 * cell: each schedule's relative loss gap {@code (L - L_wsd) / L_wsd}; positive is worse than tuned WSD. Every
 * schedule ran on the same seeds (initialisation and data order), so each gap is also taken seed by seed, paired,
 * and carries a t interval over the seeds ({@link SeedSpread}); tuned WSD is, on every seed, the run at the lr
 * that is best on the seeds' mean.
 */
public final class ScheduleComparison {
    /**
     * One (batch, budget) cell.
     *
     * @param wsdLoss tuned WSD: the lowest validation loss over the lr grid
     * @param wsdLr the grid lr that reached it
     * @param powerLoss Power with the one (a, b); NaN when it diverged or failed
     * @param cosineLoss cosine at the one lr; NaN when it diverged or failed
     * @param wsdSeeds tuned WSD's loss on each seed (at wsdLr), in seed order
     * @param powerSeeds Power's loss on each seed
     * @param cosineSeeds cosine's loss on each seed
     */
    public record Cell(int batch, long tokens, double wsdLoss, double wsdLr, double powerLoss, double cosineLoss,
            double[] wsdSeeds, double[] powerSeeds, double[] cosineSeeds) {
        public Cell {
            if (wsdSeeds.length != powerSeeds.length || wsdSeeds.length != cosineSeeds.length) {
                throw new FrugalException("cell batch " + batch + ", T " + tokens + ": WSD, Power and cosine ran on"
                        + " different numbers of seeds (" + wsdSeeds.length + ", " + powerSeeds.length + ", "
                        + cosineSeeds.length + "); rerun the comparison sweep with the WSD grid's seeds");
            }
            wsdSeeds = wsdSeeds.clone();
            powerSeeds = powerSeeds.clone();
            cosineSeeds = cosineSeeds.clone();
        }

        /** Power's gap to tuned WSD seed by seed, with its interval over the seeds. */
        public SeedSpread powerGaps() {
            return gaps(powerSeeds);
        }

        /** Cosine's gap to tuned WSD seed by seed, with its interval over the seeds. */
        public SeedSpread cosineGaps() {
            return gaps(cosineSeeds);
        }

        private SeedSpread gaps(double[] losses) {
            double[] g = new double[losses.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (losses[i] - wsdSeeds[i]) / wsdSeeds[i];
            }
            return SeedSpread.of(g);
        }

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
                double[] powerSeeds = losses(comparison, "power", batch, t);
                double[] cosineSeeds = losses(comparison, "cosine", batch, t);
                cells.add(new Cell(batch, t, tuned.gridLoss(), tuned.gridLr(), mean(powerSeeds), mean(cosineSeeds),
                        wsd.seedLosses(batch, t, tuned.gridLr()), powerSeeds, cosineSeeds));
            }
        }
        return new ScheduleComparison(cells, power, cosineLr);
    }

    /** The loss of a schedule at a cell on each of its seeds, in seed order (NaN where a run failed or diverged). */
    private static double[] losses(SweepResults runs, String schedule, int batch, long tokens) {
        List<RunResult> seeds = runs.all().stream().filter(r -> {
            RunConfig c = r.config();
            return schedule.equals(c.getString("schedule")) && c.getLong("batch") == batch
                    && PowerRun.budgets(c).contains(tokens);
        }).sorted(Comparator.comparingLong(r -> r.config().getLong("seed"))).toList();
        if (seeds.isEmpty()) {
            throw new FrugalException("no " + schedule + " run with batch " + batch + " and budget " + tokens
                    + " in the comparison sweep; run PowerExperiment.comparisonConfigs");
        }
        return seeds.stream().mapToDouble(r -> PowerRun.meanValLoss(List.of(r), tokens)).toArray();
    }

    /** The mean over seeds; NaN when one of them failed or diverged (as {@link PowerRun#meanValLoss}). */
    private static double mean(double[] losses) {
        return Arrays.stream(losses).average().orElse(Double.NaN);
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
            rows.add(List.of(c.batch(), c.tokens(), c.wsdLr(), c.wsdLoss(), c.powerLoss(),
                    c.powerGaps().describe(100, "%"), c.cosineLoss(), c.cosineGaps().describe(100, "%")));
        }
        return Plots.table(List.of("batch", "tokens T", "tuned WSD lr", "tuned WSD loss", "Power loss",
                "Power gap over seeds", String.format(Locale.ROOT, "cosine (lr %.3g) loss", cosineLr),
                "cosine gap over seeds"), rows);
    }

    /** Half the 95% interval over seeds, in percent; 0 when there is none (one seed). */
    private static double halfWidth(SeedSpread gaps) {
        var d = gaps.minus(0);
        return d != null && d.hasInterval() ? 100 * (d.hi() - d.lo()) / 2 : 0;
    }

    /** The gaps as bars per cell with their 95% intervals over seeds (cells where a schedule diverged left out). */
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
                new Bars("Power, one (a, b)", finite.stream().mapToDouble(c -> 100 * c.powerGap()).toArray(),
                        finite.stream().mapToDouble(c -> halfWidth(c.powerGaps())).toArray()),
                new Bars("cosine, one lr", finite.stream().mapToDouble(c -> 100 * c.cosineGap()).toArray(),
                        finite.stream().mapToDouble(c -> halfWidth(c.cosineGaps())).toArray()));
        chart.getStyler().setXAxisLabelRotation(45); // twelve cells do not fit side by side
        return chart;
    }

    /** 131072 -> "131k", 1048576 -> "1.05M". */
    private static String shortCount(long n) {
        return n >= 1_000_000 ? String.format(Locale.ROOT, "%.3gM", n / 1e6) : String.format(Locale.ROOT, "%.3gk", n / 1e3);
    }
}
