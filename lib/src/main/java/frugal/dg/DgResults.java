package frugal.dg;

import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.plot.Series;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;

/**
 * Everything a {@link LeaveOneDomainOut} benchmark measured, and its tables and charts. Accuracies are the
 * test domain's in-split accuracy at the checkpoint a {@link ModelSelection} picks; averages over domains are
 * taken per trial first, then summarised over trials, as DomainBed does.
 */
public final class DgResults {
    private final DomainSet domains;
    private final List<String> algorithms;
    private final DgConfig config;
    private final List<DgRun> runs;

    DgResults(DomainSet domains, List<String> algorithms, DgConfig config, List<DgRun> runs) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.algorithms = List.copyOf(algorithms);
        this.config = Objects.requireNonNull(config, "config");
        this.runs = List.copyOf(runs);
    }

    public DomainSet domains() {
        return domains;
    }

    /** Algorithm names, in the order they ran. */
    public List<String> algorithms() {
        return algorithms;
    }

    public DgConfig config() {
        return config;
    }

    public List<DgRun> runs() {
        return runs;
    }

    /** The run of {@code algorithm} in {@code trial} with {@code testDomain} held out. */
    public DgRun run(String algorithm, int trial, int testDomain) {
        return runs.stream()
                .filter(r -> r.algorithm().equals(algorithm) && r.trial() == trial && r.testDomain() == testDomain)
                .findFirst()
                .orElseThrow(() -> new FrugalException("no run of " + algorithm + " in trial " + trial
                        + " with test domain " + testDomain + "; algorithms: " + algorithms + ", trials: "
                        + config.trials() + ", domains: " + domains.size()));
    }

    /** Test accuracy of each trial, {@code algorithm} tested on {@code testDomain}. */
    public double[] accuracies(String algorithm, int testDomain, ModelSelection selection) {
        double[] a = new double[config.trials()];
        for (int t = 0; t < a.length; t++) {
            a[t] = run(algorithm, t, testDomain).selected(selection).testAccuracy();
        }
        return a;
    }

    /** Each trial's accuracy averaged over all test domains. */
    public double[] averageAccuracies(String algorithm, ModelSelection selection) {
        double[] a = new double[config.trials()];
        for (int d = 0; d < domains.size(); d++) {
            double[] perTrial = accuracies(algorithm, d, selection);
            for (int t = 0; t < a.length; t++) {
                a[t] += perTrial[t] / domains.size();
            }
        }
        return a;
    }

    public MeanSe accuracy(String algorithm, int testDomain, ModelSelection selection) {
        return MeanSe.of(accuracies(algorithm, testDomain, selection));
    }

    public MeanSe averageAccuracy(String algorithm, ModelSelection selection) {
        return MeanSe.of(averageAccuracies(algorithm, selection));
    }

    /**
     * {@code algorithm} minus {@code baseline} on the given test domains (accuracy averaged over them per trial),
     * paired by trial: the runs of one trial share splits, minibatches and initialisation.
     */
    public MeanSe gain(String algorithm, String baseline, List<Integer> testDomains, ModelSelection selection) {
        return MeanSe.of(gains(algorithm, baseline, testDomains, selection));
    }

    /** The per-trial values behind {@link #gain}: one paired difference per trial. */
    public double[] gains(String algorithm, String baseline, List<Integer> testDomains, ModelSelection selection) {
        if (testDomains.isEmpty()) {
            throw new FrugalException("a gain needs at least one test domain");
        }
        double[] g = new double[config.trials()];
        for (int d : testDomains) {
            double[] a = accuracies(algorithm, d, selection);
            double[] b = accuracies(baseline, d, selection);
            for (int t = 0; t < g.length; t++) {
                g[t] += (a[t] - b[t]) / testDomains.size();
            }
        }
        return g;
    }

    /** The leave-one-domain-out table: one row per algorithm, test accuracy per held-out domain and the average. */
    public Html table(ModelSelection selection) {
        List<String> headers = new ArrayList<>();
        headers.add("algorithm (" + selection.label() + ")");
        headers.addAll(domains.names());
        headers.add("avg");
        List<List<String>> rows = new ArrayList<>();
        for (String a : algorithms) {
            List<String> row = new ArrayList<>();
            row.add(a);
            for (int d = 0; d < domains.size(); d++) {
                row.add(accuracy(a, d, selection).percent());
            }
            row.add(averageAccuracy(a, selection).percent());
            rows.add(row);
        }
        return Plots.table(headers, rows);
    }

    /** Test accuracy per held-out domain, one bar per algorithm, standard errors as error bars. */
    public CategoryChart perDomainChart(ModelSelection selection) {
        List<Bars> bars = new ArrayList<>();
        for (String a : algorithms) {
            double[] mean = new double[domains.size()];
            double[] se = new double[domains.size()];
            for (int d = 0; d < domains.size(); d++) {
                MeanSe m = accuracy(a, d, selection);
                mean[d] = 100 * m.mean();
                se[d] = Double.isNaN(m.se()) ? 0 : 100 * m.se();
            }
            bars.add(new Bars(a, mean, se));
        }
        return Plots.bars("Test-domain accuracy, " + selection.label(), "held-out domain", "accuracy (%)",
                domains.names(), bars.toArray(Bars[]::new));
    }

    /**
     * Accuracy against training step for one run of each algorithm: the mean over training domains' out
     * splits (what model selection reads) and the held-out domain's in split.
     */
    public XYChart accuracyCurves(int trial, int testDomain) {
        List<Series> series = new ArrayList<>();
        for (String a : algorithms) {
            List<CheckpointRecord> cps = run(a, trial, testDomain).checkpoints();
            double[] step = cps.stream().mapToDouble(CheckpointRecord::step).toArray();
            series.add(new Series(a + ": training-domain val", step, cps.stream()
                    .mapToDouble(c -> 100 * ModelSelection.TRAINING_DOMAIN_VALIDATION.score(c, testDomain)).toArray()));
            series.add(new Series(a + ": test " + domains.get(testDomain).name(), step,
                    cps.stream().mapToDouble(c -> 100 * c.testAccuracy()).toArray()));
        }
        XYChart chart = Plots.lines("Accuracy during training, test domain " + domains.get(testDomain).name()
                + ", trial " + (trial + 1), "step", "accuracy (%)", series.toArray(Series[]::new));
        // one colour per algorithm: solid for validation, dashed for the held-out domain
        Color[] colors = chart.getStyler().getSeriesColors();
        List<XYSeries> lines = new ArrayList<>(chart.getSeriesMap().values());
        for (int i = 0; i < lines.size(); i++) {
            lines.get(i).setLineColor(colors[(i / 2) % colors.length]);
            lines.get(i).setLineStyle(i % 2 == 0 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return chart;
    }

    /** The training objective of each algorithm (ERM: cross-entropy; LFME: cross-entropy + alpha * MSE). */
    public XYChart lossCurves(int trial, int testDomain, int smoothing) {
        if (smoothing < 1) {
            throw new FrugalException("smoothing must be >= 1 step, got " + smoothing);
        }
        List<Series> series = new ArrayList<>();
        for (String a : algorithms) {
            double[] loss = run(a, trial, testDomain).loss();
            int n = loss.length / smoothing;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                for (int k = i * smoothing; k < (i + 1) * smoothing; k++) {
                    y[i] += loss[k] / smoothing;
                }
                x[i] = (i + 1) * smoothing;
            }
            series.add(new Series(a, x, y));
        }
        String title = smoothing == 1 ? "Training objective" : "Training objective (mean of " + smoothing + " steps)";
        return Plots.lines(title + ", test domain " + domains.get(testDomain).name() + ", trial " + (trial + 1), "step",
                "objective", series.toArray(Series[]::new));
    }

    /** Per-class evaluation of one run's selected checkpoint through Tribuo, with the run's provenance. */
    public LabelEvaluation classEvaluation(String algorithm, int trial, int testDomain, ModelSelection selection) {
        return ClassEvaluation.of(this, run(algorithm, trial, testDomain), selection);
    }

    /** Recall per class of each of {@code algorithms} (its run in {@code trial} on {@code testDomain}), via Tribuo. */
    public CategoryChart recallChart(List<String> algorithms, int trial, int testDomain, ModelSelection selection) {
        List<String> classes = domains.classNames();
        Bars[] bars = algorithms.stream().map(a -> {
            LabelEvaluation e = classEvaluation(a, trial, testDomain, selection);
            return Bars.of(a, classes.stream().mapToDouble(c -> 100 * e.recall(new Label(c))).toArray());
        }).toArray(Bars[]::new);
        CategoryChart chart = Plots.bars("Recall per class, held-out " + domains.get(testDomain).name() + ", trial "
                + (trial + 1) + ", " + selection.label(), "class", "recall (%)", classes, bars);
        chart.getStyler().setXAxisLabelRotation(30); // class names are long
        return chart;
    }

    /** Wall time of all training steps, in seconds. */
    public double trainSeconds() {
        return runs.stream().mapToDouble(DgRun::trainSeconds).sum();
    }

    /** Wall time of all checkpoint evaluations, in seconds. */
    public double evalSeconds() {
        return runs.stream().mapToDouble(DgRun::evalSeconds).sum();
    }
}
