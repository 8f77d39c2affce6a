package frugal.galore;

import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.stats.Difference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.lines.SeriesLines;

/** The runs of a {@link GaLoreExperiment}, their curves, memory and the card's claims C1-C4. */
public final class GaLoreResults {
    /** C1's tolerance: GaLore's validation loss within 3% of AdamW's. */
    public static final double C1_TOLERANCE = 0.03;

    private final GaLoreExperiment.Config config;
    private final List<GaLoreExperiment.Run> runs;
    private final Map<TrainingMethod, List<GaLoreExperiment.Run>> byMethod = new LinkedHashMap<>();

    GaLoreResults(GaLoreExperiment.Config config, List<GaLoreExperiment.Run> runs) {
        this.config = config;
        this.runs = List.copyOf(runs);
        for (GaLoreExperiment.Run r : runs) {
            byMethod.computeIfAbsent(r.method(), m -> new ArrayList<>()).add(r);
        }
    }

    public List<GaLoreExperiment.Run> runs() {
        return runs;
    }

    /** Seconds of training, all runs. */
    public double trainSeconds() {
        return runs.stream().mapToDouble(GaLoreExperiment.Run::seconds).sum();
    }

    /** Final validation loss of {@code method} per seed, in seed order. */
    public double[] valLosses(TrainingMethod method) {
        return of(method).stream().mapToDouble(GaLoreExperiment.Run::valLoss).toArray();
    }

    /** Validation loss against the step, mean over seeds, one curve per method. */
    public XYChart valCurves() {
        List<Series> series = new ArrayList<>();
        byMethod.forEach((m, list) -> {
            Series first = list.get(0).history().evalSeries(GaLoreExperiment.VAL_LOSS);
            double[] mean = new double[first.size()];
            for (GaLoreExperiment.Run r : list) {
                double[] y = r.history().evalSeries(GaLoreExperiment.VAL_LOSS).y();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += y[i] / list.size();
                }
            }
            series.add(new Series(m.label(), first.x(), mean));
        });
        return Plots.lines("Validation loss (mean over " + config.seeds() + " seeds)", "step", "nats per character",
                Scale.LINEAR, Scale.LOG, series.toArray(Series[]::new));
    }

    /**
     * Final validation loss of every run against its seed, one line per method, with AdamW + 3% (C1's bar) dashed:
     * the claims pair the methods seed by seed, and this shows the pairs.
     */
    public XYChart finalLossBySeed() {
        List<Series> series = new ArrayList<>();
        double[] seeds = new double[config.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = i;
        }
        byMethod.forEach((m, list) -> series.add(new Series(m.label(), seeds, valLosses(m))));
        double[] bar = Arrays.stream(valLosses(TrainingMethod.adamW())).map(v -> v * (1 + C1_TOLERANCE))
                .toArray();
        String barName = "AdamW + 3% (C1's bar)";
        series.add(new Series(barName, seeds, bar));
        XYChart chart = Plots.lines("Final validation loss per seed", "seed", "nats per character", Scale.LINEAR,
                Scale.LINEAR, series.toArray(Series[]::new));
        chart.getSeriesMap().get(barName).setLineStyle(SeriesLines.DASH_DASH);
        return chart;
    }

    /** Weights, gradients and optimiser state per method, in KiB (counted from the arrays of seed 0's runs). */
    public CategoryChart memoryBars() {
        List<String> names = new ArrayList<>();
        int n = byMethod.size();
        double[][] v = new double[4][n];
        int i = 0;
        for (Map.Entry<TrainingMethod, List<GaLoreExperiment.Run>> e : byMethod.entrySet()) {
            Memory mem = e.getValue().get(0).memory();
            names.add(e.getKey().label());
            v[0][i] = mem.weights() / 1024.0;
            v[1][i] = mem.gradients() / 1024.0;
            v[2][i] = mem.optimizerState() / 1024.0;
            v[3][i] = mem.buffers() / 1024.0;
            i++;
        }
        return Plots.bars("Training memory by part (float32)", "method", "KiB", names, Bars.of("weights", v[0]),
                Bars.of("gradients", v[1]), Bars.of("optimizer state", v[2]), Bars.of("GaLore update buffers", v[3]));
    }

    /** Memory per method in bytes, with the optimizer state relative to AdamW's. */
    public Html memoryTable() {
        long adam = memory(TrainingMethod.adamW()).optimizerState();
        List<List<?>> rows = new ArrayList<>();
        for (TrainingMethod m : byMethod.keySet()) {
            Memory mem = memory(m);
            rows.add(List.of(m.label(), mem.weights(), mem.gradients(), mem.optimizerState(), mem.buffers(),
                    mem.total(), String.format(Locale.ROOT, "%.1f%%", 100.0 * mem.optimizerState() / adam)));
        }
        return Plots.table(List.of("method", "weights (B)", "gradients (B)", "optimizer state (B)",
                "update buffers (B)", "total (B)", "state / AdamW's"), rows);
    }

    /** GaLore's projected matrices at rank {@code method.rank()}: shape, side, state predicted and allocated. */
    public Html matrixTable(TrainingMethod method) {
        List<List<?>> rows = new ArrayList<>();
        for (GaLore.Matrix m : matrices(method)) {
            rows.add(List.of(m.path(), m.rows() + " x " + m.cols(), m.side(), m.rank(), m.fullRankStateBytes(),
                    m.predictedStateBytes(), m.momentBytes() + m.basisBytes()));
        }
        return Plots.table(List.of("matrix", "shape", "basis side", "rank", "AdamW state (B)",
                "predicted 4(2rn + mr) (B)", "allocated (B)"), rows);
    }

    /** C1-C4 of the card; judged only in the full budget. */
    public ClaimsTable claims() {
        boolean judged = config.judged();
        int quarter = config.dModel() / 4;
        TrainingMethod adam = TrainingMethod.adamW();
        TrainingMethod galore = TrainingMethod.galore(quarter, config.updateGap());
        TrainingMethod fixed = TrainingMethod.galore(quarter, GaLore.NEVER);
        TrainingMethod lora = TrainingMethod.lora(quarter);
        ClaimsTable table = new ClaimsTable(String.format(Locale.ROOT, "GaLore on fortunes (TinyGpt d %d, %d layers,"
                + " %d steps, %d seeds, paired by seed)", config.dModel(), config.layers(), config.steps(),
                config.seeds()));

        double[] a = valLosses(adam);
        double[] g = valLosses(galore);
        double[] relative = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            relative[i] = g[i] / a[i] - 1;
        }
        table.add(Claim.within("C1", galore.label() + "'s validation loss is within 3% of full-rank AdamW's at equal"
                + " steps (relative gap per seed)", Difference.paired(relative, new double[relative.length]),
                C1_TOLERANCE, 100, "%", judged));

        Memory loraMemory = memory(lora);
        Memory galoreMemory = memory(galore);
        table.add(Claim.beats("C2", String.format(Locale.ROOT, "%s beats %s in pre-training from scratch (LoRA loss -"
                + " GaLore loss; optimizer state %,d vs %,d B, trainable state incl. gradients %,d vs %,d B)",
                galore.label(), lora.label(), galoreMemory.optimizerState(), loraMemory.optimizerState(),
                galoreMemory.optimizerState() + galoreMemory.gradients(),
                loraMemory.optimizerState() + loraMemory.gradients()),
                Difference.paired(valLosses(lora), g), 0, 1, " nats", judged));

        long predicted = 0;
        long allocated = 0;
        long fullRank = 0;
        for (GaLore.Matrix m : matrices(galore)) {
            predicted += m.predictedStateBytes();
            allocated += m.momentBytes() + m.basisBytes();
            fullRank += m.fullRankStateBytes();
        }
        long outside = galoreMemory.optimizerState() - allocated;
        long adamState = memory(adam).optimizerState();
        double predictedCut = 1 - (double) (predicted + outside) / adamState;
        double measuredCut = 1 - (double) galoreMemory.optimizerState() / adamState;
        table.add(Claim.judged("C3", "optimizer-state memory falls by the predicted fraction (2mn -> 2rn + mr per"
                        + " projected matrix, in bytes of the state arrays)",
                String.format(Locale.ROOT, "projected matrices %,d -> %,d B predicted, %,d B allocated; whole state"
                        + " %,d -> %,d B: -%.1f%% measured, -%.1f%% predicted", fullRank, predicted, allocated, adamState,
                        galoreMemory.optimizerState(), 100 * measuredCut, 100 * predictedCut),
                "allocated bytes = predicted bytes", allocated == predicted && measuredCut == predictedCut, judged));

        table.add(Claim.beats("C4", "the subspace matters: refreshing P every " + config.updateGap() + " steps beats a"
                + " fixed P (T = infinity) (fixed-P loss - refreshed loss)",
                Difference.paired(valLosses(fixed), g), 0, 1, " nats", judged));
        return table;
    }

    private List<GaLoreExperiment.Run> of(TrainingMethod method) {
        List<GaLoreExperiment.Run> list = byMethod.get(method);
        if (list == null) {
            throw new FrugalException("no runs of " + method.label() + "; the experiment ran " + byMethod.keySet());
        }
        return list;
    }

    private Memory memory(TrainingMethod method) {
        return of(method).get(0).memory();
    }

    private List<GaLore.Matrix> matrices(TrainingMethod method) {
        return of(method).get(0).matrices();
    }
}
