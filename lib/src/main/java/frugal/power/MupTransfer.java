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
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * The muP transfer sweep's results: loss against lr at each width, with and without muP, the optimal lr of each
 * curve and how far it moves from the narrowest to the widest model, in octaves ({@code log2} of the ratio).
 */
public final class MupTransfer {
    private final PowerExperiment.Transfer transfer;
    private final SweepResults results;

    private MupTransfer(PowerExperiment.Transfer transfer, SweepResults results) {
        this.transfer = transfer;
        this.results = results;
    }

    /** The transfer sweep of {@code experiment} ({@link PowerExperiment#transferConfigs()}). */
    public static MupTransfer of(PowerExperiment experiment, SweepResults results) {
        return new MupTransfer(experiment.transfer(), results);
    }

    /** Validation loss of each transfer lr at one width, in lr order; NaN for failed or diverged runs. */
    public double[] losses(boolean mup, int width) {
        double[] out = new double[transfer.lrs().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = loss(mup, width, transfer.lrs().get(i));
        }
        return out;
    }

    /** The loss of one (parametrization, width, lr), averaged over its seeds. */
    private double loss(boolean mup, int width, double lr) {
        List<RunResult> seeds = results.all().stream().filter(r -> {
            RunConfig c = r.config();
            return c.getBoolean("mup") == mup && c.getLong("width") == width && c.getDouble("lr") == lr;
        }).toList();
        if (seeds.isEmpty()) {
            throw new FrugalException("no transfer run with mup " + mup + ", width " + width + " and lr " + lr
                    + "; run PowerExperiment.transferConfigs");
        }
        return PowerRun.meanValLoss(seeds, transfer.tokens());
    }

    public LrOptimum optimum(boolean mup, int width) {
        return LrOptimum.of(transfer.lrs().stream().mapToDouble(Double::doubleValue).toArray(), losses(mup, width));
    }

    /** {@code log2(eta_opt(widest) / eta_opt(narrowest))}: 0 when the optimum transfers, -1 when it halves. */
    public double shiftOctaves(boolean mup) {
        List<Integer> w = transfer.widths();
        return Math.log(optimum(mup, w.get(w.size() - 1)).lr() / optimum(mup, w.get(0)).lr()) / Math.log(2);
    }

    /** Whether every width's optimum is bracketed by the lr grid (so the shift is an estimate, not a bound). */
    public boolean bracketed(boolean mup) {
        return transfer.widths().stream().allMatch(w -> optimum(mup, w).bracketed());
    }

    /** Loss against lr, one curve per width. */
    public XYChart chart(boolean mup) {
        List<Series> series = new ArrayList<>();
        for (int w : transfer.widths()) {
            series.add(Curves.finite("width " + w, transfer.lrs(), losses(mup, w)));
        }
        String title = String.format(Locale.ROOT, "%s: validation loss against lr (shift %+.2f octaves)",
                mup ? "muP" : "standard parametrization", shiftOctaves(mup));
        return Plots.lines(title, "learning rate", "validation loss (nats/char)", Scale.LOG, Scale.LINEAR,
                Curves.nonEmpty(title, series));
    }

    /** The optimum of every curve. */
    public Html table() {
        List<List<Object>> rows = new ArrayList<>();
        for (boolean mup : new boolean[] {false, true}) {
            for (int w : transfer.widths()) {
                LrOptimum o = optimum(mup, w);
                rows.add(List.of(mup ? "muP" : "standard", w, o.gridLr(), o.lr(), o.gridLoss(),
                        o.bracketed() ? "yes" : "no (a bound)"));
            }
        }
        return Plots.table(List.of("parametrization", "width", "best grid lr", "eta_opt", "best loss", "bracketed"),
                rows);
    }
}
