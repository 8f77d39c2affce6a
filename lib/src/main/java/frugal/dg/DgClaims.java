package frugal.dg;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.stats.Difference;
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

        // C1: per trial, the hardest middle domain minus each extreme; both must be clearly above 0
        int hardestMiddle = middle.stream()
                .min(Comparator.comparingDouble(d -> results.accuracy(baseline, d, SELECTION).mean()))
                .orElseThrow();
        double[] middleMin = results.accuracies(baseline, hardestMiddle, SELECTION);
        Difference firstGap = Difference.paired(middleMin, results.accuracies(baseline, 0, SELECTION));
        Difference endGap = Difference.paired(middleMin, results.accuracies(baseline, last, SELECTION));
        table.add(Claim.judged("C1", baseline + " reproduces the DomainBed shape: the extreme domains ("
                        + domains.get(0).name() + ", " + domains.get(last).name() + ") are the hardest",
                String.format(Locale.ROOT, "%s %.1f%%, %s %.1f%%; hardest middle domain %s %.1f%%; its lead over %s:"
                        + " %s; over %s: %s", domains.get(0).name(), 100 * results.accuracy(baseline, 0, SELECTION)
                        .mean(), domains.get(last).name(), 100 * results.accuracy(baseline, last, SELECTION).mean(),
                        domains.get(hardestMiddle).name(), 100 * results.accuracy(baseline, hardestMiddle, SELECTION)
                        .mean(), domains.get(0).name(), firstGap.describe(100, " pp"), domains.get(last).name(),
                        endGap.describe(100, " pp")),
                "both leads' intervals above 0",
                Verdict.all(List.of(Claim.above(firstGap, 0), Claim.above(endGap, 0))), judged));

        Difference average = Difference.paired(results.averageAccuracies(method, SELECTION),
                results.averageAccuracies(baseline, SELECTION));
        table.add(Claim.beats("C2", method + "'s target beats " + baseline + " on average over the " + domains.size()
                        + " test domains (paired by trial)", average, 0, 100, " pp", judged));

        // C3: per trial, the gain on the extremes minus the gain on the middle domains
        double[] gainExtremes = results.gains(method, baseline, extremes, SELECTION);
        double[] gainMiddle = results.gains(method, baseline, middle, SELECTION);
        Difference extremesOverMiddle = Difference.paired(gainExtremes, gainMiddle);
        long methodParams = results.run(method, 0, 0).predictorParameters();
        long baselineParams = results.run(baseline, 0, 0).predictorParameters();
        Verdict c3 = Verdict.all(List.of(Claim.above(extremesOverMiddle, 0),
                methodParams == baselineParams ? Verdict.PASS : Verdict.FAIL));
        table.add(Claim.judged("C3", "the gain is largest on the hard (extreme) domains; experts are not used at test"
                        + " time (inference cost equals " + baseline + "'s)",
                String.format(Locale.ROOT, "gain on extremes %s, on middle domains %s; extremes minus middle %s;"
                        + " test-time parameters %,d vs %,d", signedPp(MeanSe.of(gainExtremes)),
                        signedPp(MeanSe.of(gainMiddle)), extremesOverMiddle.describe(100, " pp"), methodParams,
                        baselineParams),
                "extremes-minus-middle interval above 0, equal test-time parameters", c3, judged));

        HardSamples hard = HardSamples.of(results, SELECTION);
        int trials = results.config().trials();
        double[] methodDrops = new double[trials];
        double[] baselineDrops = new double[trials];
        for (int t = 0; t < trials; t++) {
            HardSamples one = HardSamples.ofTrial(results, SELECTION, t);
            methodDrops[t] = one.relativeConfidenceDrop(method);
            baselineDrops[t] = one.relativeConfidenceDrop(baseline);
        }
        Difference drops = Difference.paired(methodDrops, baselineDrops);
        table.add(Claim.judged("C4", method + "'s target is less confident where its experts disagree (hard samples),"
                        + " more so than " + baseline,
                String.format(Locale.ROOT, "mean confidence with %s of the experts agreeing vs with %s:"
                        + " %s %.0f%% lower, %s %.0f%% lower; per trial, %s's drop minus %s's: %s",
                        hard.bins().get(hard.bins().size() - 1), hard.bins().get(0), method,
                        100 * hard.relativeConfidenceDrop(method), baseline, 100 * hard.relativeConfidenceDrop(baseline),
                        method, baseline, drops.describe(100, " pp")),
                "interval of the drop difference above 0", Claim.above(drops, 0), judged));
        return table;
    }

    private static String signedPp(MeanSe m) {
        return Double.isNaN(m.se()) ? String.format(Locale.ROOT, "%+.1f pp", 100 * m.mean())
                : String.format(Locale.ROOT, "%+.1f \u00b1 %.1f pp", 100 * m.mean(), 100 * m.se());
    }
}
