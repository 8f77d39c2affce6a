package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.plot.Series;
import frugal.scaling.LossNsFit;
import frugal.scaling.PowerLawFit;
import java.util.Comparator;
import java.util.List;

/**
 * The converged loss of each model size of a ladder, extrapolated from its run: the last measured loss minus the
 * step term the fit says is still to gain, {@code L(N) ~ L_measured(S) - (S_c / S)^alpha_S}; and the power law
 * {@code L(N) = (N_c/N)^alpha_N} fitted to those points alone, whose R^2 in log-log space says how straight the
 * line is (claim C1).
 *
 * @param params N of each size, ascending
 * @param losses the extrapolated converged loss of each size
 * @param fit the power law through them
 */
public record ConvergedLoss(double[] params, double[] losses, PowerLawFit fit) {
    public ConvergedLoss {
        params = params.clone();
        losses = losses.clone();
    }

    /**
     * From the step-2 fit on the ladder: each size's last measured loss minus the step term the fit says is still
     * to gain at that step.
     */
    public static ConvergedLoss of(LossNsFit fit, Runs ladder) {
        List<RunSpec> specs = ladder.specs().stream().sorted(Comparator.comparingLong(ladder::params)).toList();
        double[] n = new double[specs.size()];
        double[] l = new double[specs.size()];
        for (int i = 0; i < n.length; i++) {
            RunSpec spec = specs.get(i);
            Series curve = ladder.curve(spec);
            double steps = curve.x()[curve.size() - 1];
            double loss = curve.y()[curve.size() - 1];
            n[i] = ladder.params(spec);
            double stepTerm = fit.predict(n[i], steps) - fit.convergedLoss(n[i]);
            l[i] = loss - stepTerm;
            if (!(l[i] > 0)) {
                throw new FrugalException(String.format("run %s: its last loss %.4f is below the step term %.4f the"
                        + " fit leaves to gain, so no converged loss can be extrapolated; the L(N, S) fit does not"
                        + " describe this run (plot it against the fit)", spec.name(), loss, stepTerm));
            }
        }
        return new ConvergedLoss(n, l, PowerLawFit.fit(n, l));
    }

    /** How many decades of N the sizes span. */
    public double decades() {
        return Math.log10(params[params.length - 1] / params[0]);
    }

    /** The points, for a chart. */
    public Series points() {
        return new Series("extrapolated converged loss", params, losses);
    }

    /** {@code log(measured / fitted)} of each size: the residuals of the power law. */
    public double[] logResiduals() {
        double[] r = new double[params.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.log(losses[i] / fit.predict(params[i]));
        }
        return r;
    }
}
