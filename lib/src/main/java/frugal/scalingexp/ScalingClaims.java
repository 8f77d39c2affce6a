package frugal.scalingexp;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
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
     * @param heldOut the held-out model's trajectory, predicted and measured (C2)
     * @param fromTokens the fits used measurements after this many tokens: the mean trajectory error too
     * @param largestFitted N of the largest model any fit saw
     * @param fit the main setup's fit (its critical batch against the loss, C3)
     * @param stepsToTarget the steps-to-target predictions, measured, at two batches (C3)
     * @param constants the constants of the two setups (C4)
     * @param judged false in the quick budget: values shown, not judged
     */
    public static ClaimsTable table(ConvergedLoss converged, TrajectoryCheck heldOut, long fromTokens,
            long largestFitted, StudyFit fit, List<StepsToTarget> stepsToTarget, ConstantsComparison constants,
            boolean judged) {
        ClaimsTable table = new ClaimsTable("Scaling laws (Su et al. 2024), claims C1-C4");
        double r2 = converged.fit().quality().rSquared();
        table.add(Claim.judged("C1", "The converged loss against N is a straight line in log-log space over the"
                + " fitted range", String.format(Locale.ROOT, "R^2(log) = %.4f over %.2f decades of N (%d sizes)", r2,
                converged.decades(), converged.params().length), String.format(Locale.ROOT, "R^2 >= %.2f over >= %.1f"
                + " decades", MIN_R_SQUARED, MIN_DECADES), r2 >= MIN_R_SQUARED && converged.decades() >= MIN_DECADES,
                judged));

        double ratio = (double) heldOut.params() / largestFitted;
        double error = heldOut.finalRelativeError();
        String measured = String.format(Locale.ROOT, "final loss %.4f predicted, %.4f measured: %+.2f%% (mean |error|"
                + " from step %d on %.2f%%); N %.1fx the largest fitted", heldOut.predictedFinal(),
                heldOut.measuredFinal(), 100 * error, heldOut.firstStep(fromTokens),
                100 * heldOut.meanAbsRelativeError(fromTokens), ratio);
        table.add(Claim.judged("C2", "The loss trajectory predicted before training for a held-out model at least 4x"
                + " larger than any fitted one matches the measured one", measured, String.format(Locale.ROOT,
                "|final error| <= %.0f%%, N >= %.0fx", 100 * MAX_FINAL_LOSS_ERROR, MIN_EXTRAPOLATION),
                Math.abs(error) <= MAX_FINAL_LOSS_ERROR && ratio >= MIN_EXTRAPOLATION, judged));

        CriticalBatchEstimate levels = fit.levels();
        double worst = stepsToTarget.stream().mapToDouble(s -> Math.abs(s.relativeError())).max().orElse(Double.NaN);
        StringBuilder measuredC3 = new StringBuilder(String.format(Locale.ROOT, "d log B_crit / d log L = %.2f +-"
                + " %.2f (95%%) over %d levels", levels.slope(), levels.slopeHalfWidth95(), levels.losses().length));
        for (StepsToTarget s : stepsToTarget) {
            measuredC3.append(String.format(Locale.ROOT, "; B = %d: %.0f steps predicted, %s", s.run().batchTokens(),
                    s.predictedSteps(), s.measuredText()));
        }
        table.add(Claim.judged("C3", "The critical batch grows as the loss falls, and the predicted steps to reach a"
                + " target loss at two batch sizes match the measured ones", measuredC3.toString(),
                String.format(Locale.ROOT, "slope < 0 with 95%% confidence; |steps error| <= %.0f%% at each of 2"
                + " batches", 100 * MAX_STEPS_ERROR), levels.grows() && stepsToTarget.size() >= 2
                && worst <= MAX_STEPS_ERROR, judged));

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
}
