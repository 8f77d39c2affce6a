package frugal.dg;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Bars;
import frugal.plot.Plots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;

/**
 * LFME's "mining hard samples" analysis on the held-out domains: test images are binned by how many of LFME's
 * experts (one per training domain, kept from training for this analysis only) agree with their majority
 * class, and each algorithm's selected checkpoint is summarised per bin by its mean confidence (softmax
 * probability of its predicted class) and accuracy. Images the experts disagree on are the hard ones.
 *
 * @param expertAlgorithm the algorithm whose experts vote
 * @param bins bin names, most agreement first ("5/5", "4/5", ...)
 * @param counts test images per bin, over all trials and test domains
 * @param algorithms the algorithms summarised
 * @param confidence {@code [algorithm][bin]} mean confidence
 * @param accuracy {@code [algorithm][bin]} accuracy
 */
public record HardSamples(String expertAlgorithm, List<String> bins, int[] counts, List<String> algorithms,
        double[][] confidence, double[][] accuracy) {
    private static final int MAX_BINS = 4;

    /** The analysis over every trial and test domain of {@code results}, at the checkpoints {@code selection} picks. */
    public static HardSamples of(DgResults results, ModelSelection selection) {
        return of(results, selection, 0, results.config().trials());
    }

    /** The analysis of one trial alone: C4 compares the algorithms trial by trial. */
    public static HardSamples ofTrial(DgResults results, ModelSelection selection, int trial) {
        return of(results, selection, trial, trial + 1);
    }

    private static HardSamples of(DgResults results, ModelSelection selection, int fromTrial, int toTrial) {
        String expertAlgorithm = results.algorithms().stream()
                .filter(a -> results.run(a, 0, 0).expertPredictions().length > 0)
                .findFirst()
                .orElseThrow(() -> new FrugalException("the hard-sample analysis needs an algorithm with experts"
                        + " (LFME) among " + results.algorithms()));
        int experts = results.run(expertAlgorithm, 0, 0).expertPredictions().length;
        int nBins = Math.min(MAX_BINS, experts);
        List<String> bins = new ArrayList<>();
        for (int b = 0; b < nBins; b++) {
            bins.add((b == nBins - 1 && b > 0 ? "\u2264" : "") + (experts - b) + "/" + experts);
        }
        List<String> algorithms = results.algorithms();
        int[] counts = new int[nBins];
        double[][] confidence = new double[algorithms.size()][nBins];
        double[][] accuracy = new double[algorithms.size()][nBins];
        int classes = results.domains().classNames().size();
        for (int t = fromTrial; t < toTrial; t++) {
            for (int d = 0; d < results.domains().size(); d++) {
                DgRun expertRun = results.run(expertAlgorithm, t, d);
                int[] labels = expertRun.testLabels();
                int[] bin = new int[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    int[] votes = new int[classes];
                    int majority = 0;
                    for (int[] expert : expertRun.expertPredictions()) {
                        majority = Math.max(majority, ++votes[expert[i]]);
                    }
                    bin[i] = Math.min(experts - majority, nBins - 1);
                    counts[bin[i]]++;
                }
                for (int a = 0; a < algorithms.size(); a++) {
                    CheckpointRecord c = results.run(algorithms.get(a), t, d).selected(selection);
                    for (int i = 0; i < labels.length; i++) {
                        confidence[a][bin[i]] += c.confidence()[i];
                        accuracy[a][bin[i]] += c.predictions()[i] == labels[i] ? 1 : 0;
                    }
                }
            }
        }
        for (int a = 0; a < algorithms.size(); a++) {
            for (int b = 0; b < nBins; b++) {
                confidence[a][b] = counts[b] == 0 ? Double.NaN : confidence[a][b] / counts[b];
                accuracy[a][b] = counts[b] == 0 ? Double.NaN : accuracy[a][b] / counts[b];
            }
        }
        return new HardSamples(expertAlgorithm, List.copyOf(bins), counts, List.copyOf(algorithms), confidence,
                accuracy);
    }

    /**
     * How much less confident {@code algorithm} is on the hardest non-empty bin than on images all experts agree
     * on, relative to the latter: {@code 1 - confidence(hardest) / confidence(all agree)}. Relative, because
     * LFME's logit regression lowers confidence everywhere; the question is where it lowers it most.
     */
    public double relativeConfidenceDrop(String algorithm) {
        int a = indexOf(algorithm);
        int last = counts.length - 1;
        while (last > 0 && counts[last] == 0) {
            last--;
        }
        return 1 - confidence[a][last] / confidence[a][0];
    }

    /** Mean confidence per agreement bin, one bar per algorithm. */
    public CategoryChart chart() {
        List<String> categories = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            categories.add(bins.get(b) + " (n=" + counts[b] + ")");
        }
        Bars[] bars = new Bars[algorithms.size()];
        for (int a = 0; a < bars.length; a++) {
            double[] v = new double[bins.size()];
            for (int b = 0; b < v.length; b++) {
                v[b] = Double.isNaN(confidence[a][b]) ? 0 : 100 * confidence[a][b];
            }
            bars[a] = Bars.of(algorithms.get(a), v);
        }
        return Plots.bars("Confidence on held-out images by " + expertAlgorithm + " expert agreement",
                "experts agreeing with their majority class", "mean confidence (%)", categories, bars);
    }

    /** Per bin: images, and each algorithm's mean confidence and accuracy (percent). */
    public Html table() {
        List<String> headers = new ArrayList<>(List.of("experts agreeing", "images"));
        for (String a : algorithms) {
            headers.add(a + " confidence");
            headers.add(a + " accuracy");
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            List<Object> row = new ArrayList<>(List.of(bins.get(b), counts[b]));
            for (int a = 0; a < algorithms.size(); a++) {
                row.add(String.format(Locale.ROOT, "%.1f", 100 * confidence[a][b]));
                row.add(String.format(Locale.ROOT, "%.1f", 100 * accuracy[a][b]));
            }
            rows.add(row);
        }
        return Plots.table(headers, rows);
    }

    private int indexOf(String algorithm) {
        int a = algorithms.indexOf(algorithm);
        if (a < 0) {
            throw new FrugalException("no algorithm " + algorithm + " in the hard-sample analysis; have " + algorithms);
        }
        return a;
    }
}
