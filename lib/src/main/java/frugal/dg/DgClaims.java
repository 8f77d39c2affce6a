package frugal.dg;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The claims of the LFME paper card (shared/papers/domain-generalization.md) checked on a benchmark's results,
 * at training-domain-validation model selection. The extreme domains are the first and the last of the domain
 * list (0 and 75 degrees in DomainBed's RotatedMNIST).
 */
public final class DgClaims {
    private static final ModelSelection SELECTION = ModelSelection.TRAINING_DOMAIN_VALIDATION;

    private DgClaims() {}

    /**
     * C1-C4 comparing {@code method} (with experts) against {@code baseline}.
     *
     * @param judged false in the quick budget: values are shown, not judged
     */
    public static ClaimsTable of(DgResults results, String baseline, String method, boolean judged) {
        DomainSet domains = results.domains();
        int last = domains.size() - 1;
        List<Integer> extremes = List.of(0, last);
        List<Integer> middle = new ArrayList<>();
        for (int d = 1; d < last; d++) {
            middle.add(d);
        }
        ClaimsTable table = new ClaimsTable("LFME on Rotated Fashion-MNIST (DomainBed protocol, " + SELECTION.label()
                + ", " + results.config().trials() + " trials)");

        double first = results.accuracy(baseline, 0, SELECTION).mean();
        double end = results.accuracy(baseline, last, SELECTION).mean();
        int hardestMiddle = middle.stream()
                .min(Comparator.comparingDouble(d -> results.accuracy(baseline, d, SELECTION).mean()))
                .orElseThrow();
        double middleMin = results.accuracy(baseline, hardestMiddle, SELECTION).mean();
        table.add(Claim.judged("C1", baseline + " reproduces the DomainBed shape: the extreme domains ("
                        + domains.get(0).name() + ", " + domains.get(last).name() + ") are the hardest",
                String.format(Locale.ROOT, "%s %.1f%%, %s %.1f%%; hardest middle domain %s %.1f%%",
                        domains.get(0).name(), 100 * first, domains.get(last).name(), 100 * end,
                        domains.get(hardestMiddle).name(), 100 * middleMin),
                "both extremes below every middle domain", Math.max(first, end) < middleMin, judged));

        MeanSe gain = results.gain(method, baseline, allDomains(domains.size()), SELECTION);
        table.add(Claim.judged("C2", method + "'s target beats " + baseline + " on average over the " + domains.size()
                        + " test domains",
                signedPp(gain) + (gain.n() > 1 ? " (paired over trials" + noise(gain) + ")"
                        : " (one trial, no error bar)"),
                "gain > 0", gain.mean() > 0, judged));

        MeanSe gainExtremes = results.gain(method, baseline, extremes, SELECTION);
        MeanSe gainMiddle = results.gain(method, baseline, middle, SELECTION);
        long methodParams = results.run(method, 0, 0).predictorParameters();
        long baselineParams = results.run(baseline, 0, 0).predictorParameters();
        table.add(Claim.judged("C3", "the gain is largest on the hard (extreme) domains; experts are not used at test"
                        + " time (inference cost equals " + baseline + "'s)",
                String.format(Locale.ROOT, "gain on extremes %s, on middle domains %s; test-time parameters %,d vs %,d",
                        signedPp(gainExtremes), signedPp(gainMiddle), methodParams, baselineParams),
                "gain on extremes > gain on middle domains, equal test-time parameters",
                gainExtremes.mean() > gainMiddle.mean() && methodParams == baselineParams, judged));

        HardSamples hard = HardSamples.of(results, SELECTION);
        double methodDrop = hard.relativeConfidenceDrop(method);
        double baselineDrop = hard.relativeConfidenceDrop(baseline);
        table.add(Claim.judged("C4", method + "'s target is less confident where its experts disagree (hard samples),"
                        + " more so than " + baseline,
                String.format(Locale.ROOT, "mean confidence with %s of the experts agreeing vs with %s:"
                        + " %s %.0f%% lower, %s %.0f%% lower", hard.bins().get(hard.bins().size() - 1),
                        hard.bins().get(0), method, 100 * methodDrop, baseline, 100 * baselineDrop),
                "relative drop of " + method + " > that of " + baseline, methodDrop > baselineDrop, judged));
        return table;
    }

    private static List<Integer> allDomains(int n) {
        List<Integer> all = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            all.add(d);
        }
        return all;
    }

    private static String signedPp(MeanSe m) {
        return Double.isNaN(m.se()) ? String.format(Locale.ROOT, "%+.1f pp", 100 * m.mean())
                : String.format(Locale.ROOT, "%+.1f \u00b1 %.1f pp", 100 * m.mean(), 100 * m.se());
    }

    private static String noise(MeanSe m) {
        return Math.abs(m.mean()) < 2 * m.se() ? "; within noise: |gain| < 2 s.e." : "; beyond 2 s.e.";
    }
}
