package frugal.power;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.core.Html;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Claims C1 to C4 of the Power-scheduler card ({@code shared/papers/power-scheduler.md}) judged on this run's
 * sweeps. The bars were set before the full run: C1 every budget's exponent of eta_opt in the batch size above 0
 * and their mean in [0.5, 1.5]; C2 the fitted b in [-1.0, -0.2], over bracketed optima at two budgets or more;
 * C3 Power within 2% of tuned WSD in every cell while cosine at one lr is more than 2% off in some cell; C4 the muP
 * optimum moving at most one octave from the narrowest to the widest model, less than without muP, with every muP
 * optimum bracketed.
 */
public final class PowerClaims {
    /** C3's bar: the largest relative loss gap to tuned WSD that counts as "matches". */
    public static final double GAP = 0.02;

    private PowerClaims() {}

    public static ClaimsTable table(PowerExperiment experiment, WsdGrid wsd, ScheduleComparison comparison,
            MupTransfer transfer) {
        boolean judged = experiment.judged();
        ClaimsTable table = new ClaimsTable("Power scheduler and muP (Shen et al. 2024), budget " + experiment.budget());
        table.add(batchScaling(wsd, judged));
        table.add(gammaLaw(wsd, judged));
        table.add(oneSetting(comparison, judged));
        table.add(transfer(transfer, judged));
        return table;
    }

    /** The table as HTML, the notebook's last output. */
    public static Html html(PowerExperiment experiment, WsdGrid wsd, ScheduleComparison comparison,
            MupTransfer transfer) {
        return table(experiment, wsd, comparison, transfer).toHtml();
    }

    static Claim batchScaling(WsdGrid wsd, boolean judged) {
        List<Long> budgets = wsd.experiment().tokens();
        double[] exponents = budgets.stream().mapToDouble(wsd::batchExponent).toArray();
        double mean = Arrays.stream(exponents).average().orElse(Double.NaN);
        boolean allGrow = Arrays.stream(exponents).allMatch(e -> e > 0);
        String measured = "exponent of eta_opt in batch size per T: " + IntStream
                .range(0, exponents.length).mapToObj(i -> String.format(Locale.ROOT, "%d: %.2f", budgets.get(i),
                        exponents[i])).collect(Collectors.joining(", ")) + String.format(Locale.ROOT, "; mean %.2f", mean);
        return Claim.judged("C1", "At a fixed token budget, the optimal lr grows with the batch size, close to"
                + " proportionally", measured, "every exponent > 0 and mean in [0.5, 1.5] (1 = proportional)",
                allGrow && mean >= 0.5 && mean <= 1.5, judged);
    }

    static Claim gammaLaw(WsdGrid wsd, boolean judged) {
        List<GammaFit.Point> bracketed = wsd.bracketedPoints();
        boolean enough = bracketed.stream().map(GammaFit.Point::tokens).distinct().count() >= 2;
        GammaFit fit = wsd.gammaFit();
        String measured = String.format(Locale.ROOT, "b = %.3f +- %.3f, a = %.3g, R^2 %.2f over %d %s points", fit.b(),
                fit.bStandardError(), fit.a(), fit.rSquared(), fit.points().size(), enough ? "bracketed" : "(bounds included)");
        return Claim.judged("C2", "eta_opt / batch falls with the token budget as a power law a T^b (paper: b = -0.51)",
                measured, "b in [-1.0, -0.2], fitted on bracketed optima at >= 2 budgets",
                enough && fit.b() >= -1.0 && fit.b() <= -0.2, judged);
    }

    static Claim oneSetting(ScheduleComparison comparison, boolean judged) {
        double power = comparison.maxPowerGap();
        double cosine = comparison.maxCosineGap();
        String measured = String.format(Locale.ROOT, "largest gap to tuned WSD over %d cells: Power %s, cosine %s",
                comparison.cells().size(), percent(power), percent(cosine));
        return Claim.judged("C3", "Power with one (a, b) gets within ~2% of tuned WSD at every (batch, budget); cosine"
                + " with one lr does not", measured, "Power gap <= 2% in every cell and cosine gap > 2% in some cell",
                power <= GAP && cosine > GAP, judged);
    }

    static Claim transfer(MupTransfer transfer, boolean judged) {
        double mup = transfer.shiftOctaves(true);
        double standard = transfer.shiftOctaves(false);
        String measured = String.format(Locale.ROOT, "eta_opt shift narrowest -> widest: muP %+.2f octaves%s,"
                + " standard %+.2f octaves%s", mup, transfer.bracketed(true) ? "" : " (bound)", standard,
                transfer.bracketed(false) ? "" : " (bound)");
        return Claim.judged("C4", "With muP the optimal lr of a narrow proxy transfers to a 2-4x wider model; without"
                + " muP it shifts", measured, "|muP shift| <= 1 octave and < |standard shift|, muP optima bracketed",
                Math.abs(mup) <= 1 && Math.abs(mup) < Math.abs(standard) && transfer.bracketed(true), judged);
    }

    private static String percent(double gap) {
        return Double.isFinite(gap) ? String.format(Locale.ROOT, "%+.2f%%", 100 * gap) : "diverged somewhere";
    }
}
