package frugal.growth;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.dg.MeanSe;
import frugal.stats.Difference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The claims of the model-growth card (shared/papers/model-growth.md) on an experiment's results, every one
 * judged on paired differences over seeds (the same initial windows, validation set and budget per seed): PASS only
 * when the 95% interval clears the bar, INCONCLUSIVE when it straddles it.
 */
final class GrowthClaims {
    private static final String STACK = GrowthOperator.STACK.label();

    private GrowthClaims() {}

    static ClaimsTable of(GrowthResults results, boolean judged) {
        GrowthConfig c = results.config();
        int main = c.mainGrowthStep();
        int layers = c.large(results.vocab()).layers();
        ClaimsTable table = new ClaimsTable(String.format(Locale.ROOT, "Model growth on fortunes: %d -> %d layers,"
                + " equal training FLOPs, %d seeds", c.smallLayers(), layers, c.seeds()));
        double[] scratch = results.finals(GrowthResults.SCRATCH, 0);
        double[] stack = results.finals(STACK, main);

        table.add(Claim.beats("C1", String.format(Locale.ROOT, "at equal total FLOPs, G_stack (grown after %d small steps)"
                + " has a lower validation loss than the %d-layer model from scratch (scratch - G_stack)", main, layers),
                Difference.paired(scratch, stack), 0, 1, " nats", judged));

        table.add(speedUp(results.flopsToMatchScratch(STACK, main), judged));

        List<String> parts = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (GrowthOperator op : List.of(GrowthOperator.ZERO, GrowthOperator.RANDOM)) {
            Difference d = Difference.paired(results.finals(op.label(), main), stack);
            parts.add(op.label() + " - G_stack " + d.describe(1, " nats") + d.seedsPlan(0));
            verdicts.add(Claim.above(d, 0));
        }
        table.add(Claim.judged("C3", "G_stack beats at least one other growth operator (G_zero, G_random) grown at the"
                + " same point, at equal FLOPs", String.join("; ", parts), "an interval above +0 nats", any(verdicts),
                judged));

        table.add(timing(results, judged));
        return table;
    }

    /** C2: the FLOPs G_stack needs to reach the scratch model's final loss, as a share saved. */
    private static Claim speedUp(double[] reach, boolean judged) {
        String statement = "G_stack reaches the scratch model's final validation loss with fewer FLOPs (paper: 54.6%"
                + " speed-up at 7B; share of the scratch FLOPs saved)";
        long reached = Arrays.stream(reach).filter(Double::isFinite).count();
        if (reached < reach.length) {
            String each = Arrays.stream(reach).mapToObj(r -> Double.isNaN(r) ? "not reached"
                    : String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", "));
            return Claim.judged("C2", statement, "FLOPs needed / scratch's per seed: " + each + " (reached in " + reached
                    + " of " + reach.length + " seeds within the budget)", "an interval above +0% saved",
                    reached == 0 ? Verdict.FAIL : Verdict.INCONCLUSIVE, judged);
        }
        double[] all = new double[reach.length];
        Arrays.fill(all, 1);
        Difference saved = Difference.paired(all, reach);
        double speedUp = 1 / Arrays.stream(reach).average().orElseThrow() - 1;
        return new Claim("C2", statement, saved.describe(100, "% saved") + String.format(Locale.ROOT,
                "; speed-up %.1f%% (scratch FLOPs / G_stack's - 1, at the mean)", 100 * speedUp),
                "interval above +0% saved", judged ? Claim.above(saved, 0) : Verdict.NOT_JUDGED);
    }

    /**
     * C4: the final loss of G_stack against the growth point shows either an interior optimum (the best interior
     * point beats both ends) or a monotone trend (every step along the sweep goes the same way), each judged on
     * paired intervals.
     */
    private static Claim timing(GrowthResults results, boolean judged) {
        List<Integer> points = results.config().growthSteps();
        List<double[]> finals = points.stream().map(d -> results.finals(STACK, d)).toList();
        double[] means = finals.stream().mapToDouble(f -> Arrays.stream(f).average().orElseThrow()).toArray();
        int best = 0;
        for (int i = 1; i < means.length; i++) {
            best = means[i] < means[best] ? i : best;
        }
        int last = points.size() - 1;
        Verdict interior = best == 0 || best == last ? Verdict.FAIL : Verdict.all(List.of(
                Claim.above(Difference.paired(finals.get(0), finals.get(best)), 0),
                Claim.above(Difference.paired(finals.get(last), finals.get(best)), 0)));
        boolean rising = means[last] > means[0];
        List<Verdict> steps = new ArrayList<>();
        for (int i = 1; i <= last; i++) {
            steps.add(Claim.above(rising ? Difference.paired(finals.get(i), finals.get(i - 1))
                    : Difference.paired(finals.get(i - 1), finals.get(i)), 0));
        }
        Verdict monotone = points.size() < 2 ? Verdict.FAIL : Verdict.all(steps);
        Verdict verdict = any(List.of(interior, monotone));
        String measured = "final loss at d = " + points.stream().map(String::valueOf).collect(Collectors.joining(" / "))
                + " small steps: " + finals.stream().map(f -> GrowthResults.meanSe(MeanSe.of(f))).collect(Collectors.joining(" / "))
                + String.format(Locale.ROOT, "; interior optimum: %s, monotone (%s with d): %s", interior.label(),
                rising ? "rising" : "falling", monotone.label());
        return Claim.judged("C4", "the growth-timing sweep shows an interior optimum or a monotone trend", measured,
                "either shape with every paired interval clear of 0", verdict, judged);
    }

    /** "At least one part holds": PASS if any part passes, FAIL if all fail, else INCONCLUSIVE. */
    private static Verdict any(List<Verdict> parts) {
        if (parts.contains(Verdict.PASS)) {
            return Verdict.PASS;
        }
        return parts.stream().allMatch(v -> v == Verdict.FAIL) ? Verdict.FAIL : Verdict.INCONCLUSIVE;
    }
}
