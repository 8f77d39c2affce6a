package frugal.scalingexp;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.stats.Difference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Claims C1-C4 of the scaling-laws paper card, judged on notebook 02's measurements (full budget only). */
public final class ScalingClaims {
    /** C1: the least R^2 (in log-log) of the converged-loss power law. */
    public static final double MIN_R_SQUARED = 0.98;
    /** C1: the least span of the fitted model sizes, in decades of N (the issue asks for 1.5). */
    public static final double MIN_DECADES = 1.5;
    /** C2: how much larger than the largest fitted model the held-out one must be. */
    public static final double MIN_EXTRAPOLATION = 4;
    /** C2: the largest relative error of the held-out model's predicted final loss ("a few percent"). */
    public static final double MAX_FINAL_LOSS_ERROR = 0.03;
    /** C3: the largest relative error of the predicted steps to the target loss, at each batch. */
    public static final double MAX_STEPS_ERROR = 0.20;

    private ScalingClaims() {}

    /**
     * The claims table.
     *
     * @param converged the ladder's extrapolated converged losses and their power law (C1)
     * @param heldOut the held-out model's trajectory, predicted and measured, one per seed (C2)
     * @param finalLoss the law's prediction of the held-out final loss with its jackknife spread (C2)
     * @param fromTokens the fits used measurements after this many tokens: the mean trajectory error too
     * @param largestFitted N of the largest model any fit saw
     * @param fit the main setup's fit (its critical batch against the loss, C3)
     * @param atTarget the critical batch measured at the target loss, with the batches that crossed it (C3)
     * @param stepsToTarget the steps-to-target predictions, measured, at two batches (C3)
     * @param constants the constants of the two setups (C4)
     * @param judged false in the quick budget: values shown, not judged
     */
    public static ClaimsTable table(ConvergedLoss converged, List<TrajectoryCheck> heldOut, PredictionSpread finalLoss,
            long fromTokens, long largestFitted, StudyFit fit, CriticalBatchEstimate.Level atTarget,
            List<StepsToTarget> stepsToTarget, ConstantsComparison constants, boolean judged) {
        ClaimsTable table = new ClaimsTable("Scaling laws (Su et al. 2024), claims C1-C4");
        double r2 = converged.fit().quality().rSquared();
        table.add(Claim.judged("C1", "The converged loss against N is a straight line in log-log space over the"
                + " fitted range", String.format(Locale.ROOT, "R^2(log) = %.4f over %.2f decades of N (%d sizes)", r2,
                converged.decades(), converged.params().length), String.format(Locale.ROOT, "R^2 >= %.2f over >= %.1f"
                + " decades", MIN_R_SQUARED, MIN_DECADES), r2 >= MIN_R_SQUARED && converged.decades() >= MIN_DECADES,
                judged));
        table.add(trajectoryClaim(heldOut, finalLoss, fromTokens, largestFitted, judged));
        table.add(criticalBatchClaim(fit.levels(), atTarget, stepsToTarget, judged));

        List<String> differing = constants.differing();
        StringBuilder values = new StringBuilder();
        for (ConstantsComparison.Row r : constants.rows()) {
            values.append(String.format(Locale.ROOT, "%s%s %.3g vs %.3g", values.length() == 0 ? "" : "; ",
                    r.constant(), r.a().value(), r.b().value()));
        }
        table.add(Claim.judged("C4", "The constants change when the setup changes (" + constants.setupA() + " vs "
                + constants.setupB() + ")", values + "; disjoint 95% intervals: " + (differing.isEmpty() ? "none"
                : String.join(", ", differing)), "at least one constant with disjoint 95% intervals",
                !differing.isEmpty(), judged));
        return table;
    }

    /** C2: the held-out final loss within 3% of the prediction, on the interval of law and seeds together. */
    static Claim trajectoryClaim(List<TrajectoryCheck> heldOut, PredictionSpread finalLoss, long fromTokens,
            long largestFitted, boolean judged) {
        double ratio = (double) heldOut.get(0).params() / largestFitted;
        double[] finals = heldOut.stream().mapToDouble(TrajectoryCheck::measuredFinal).toArray();
        Difference error = finalLoss.relativeErrorAgainst(finals);
        double meanAbs = heldOut.stream().mapToDouble(t -> t.meanAbsRelativeError(fromTokens)).average().orElseThrow();
        String measured = String.format(Locale.ROOT, "final loss %s predicted, %s measured over %d seeds: error %s"
                + " (mean |error| from step %d on %.2f%%); N %.1fx the largest fitted", finalLoss.describe("%.4f"),
                String.join(", ", Arrays.stream(finals).mapToObj(f -> String.format(Locale.ROOT, "%.4f", f)).toList()),
                finals.length, error.describe(100, "%"), heldOut.get(0).firstStep(fromTokens), 100 * meanAbs, ratio);
        Verdict verdict = ratio >= MIN_EXTRAPOLATION ? Claim.inside(error, MAX_FINAL_LOSS_ERROR) : Verdict.FAIL;
        return Claim.judged("C2", "The loss trajectory predicted before training for a held-out model at least 4x"
                + " larger than any fitted one matches the measured one", measured, String.format(Locale.ROOT,
                "95%% interval of the final error (law's jackknife and seeds) inside +-%.0f%%, N >= %.0fx",
                100 * MAX_FINAL_LOSS_ERROR, MIN_EXTRAPOLATION), verdict, judged);
    }

    /**
     * C3: the critical batch falls with the loss (the slope's 95% interval below 0), the sweep spans it at the
     * target (else the steps prediction rests on an extrapolated B_crit: INCONCLUSIVE), and the steps to the target
     * at each batch are within 20% on their interval.
     */
    static Claim criticalBatchClaim(CriticalBatchEstimate levels, CriticalBatchEstimate.Level atTarget,
            List<StepsToTarget> stepsToTarget, boolean judged) {
        List<Verdict> parts = new ArrayList<>();
        double slope = levels.slope();
        double half = levels.slopeHalfWidth95();
        parts.add(!levels.determined() ? Verdict.INCONCLUSIVE : slope + half < 0 ? Verdict.PASS
                : slope - half > 0 ? Verdict.FAIL : Verdict.INCONCLUSIVE);
        parts.add(atTarget.bracketed() ? Verdict.PASS : Verdict.INCONCLUSIVE);
        StringBuilder measured = new StringBuilder(String.format(Locale.ROOT, "d log B_crit / d log L = %.2f +-"
                + " %.2f (95%%) over %d levels; at the target %s", slope, half, levels.losses().length, atTarget));
        if (stepsToTarget.size() < 2) {
            parts.add(Verdict.FAIL);
        }
        for (StepsToTarget s : stepsToTarget) {
            measured.append("; ").append(s.describe());
            parts.add(s.reached() ? Claim.inside(s.relativeError(), MAX_STEPS_ERROR) : Verdict.FAIL);
        }
        return Claim.judged("C3", "The critical batch grows as the loss falls, and the predicted steps to reach a"
                + " target loss at two batch sizes match the measured ones", measured.toString(),
                String.format(Locale.ROOT, "slope < 0 (95%% interval); the sweep spans B_crit at the target (x%.0f each"
                + " side); 95%% interval of each steps error inside +-%.0f%%", CriticalBatchEstimate.Level.BRACKET_FACTOR,
                100 * MAX_STEPS_ERROR), Verdict.all(parts), judged);
    }
}
