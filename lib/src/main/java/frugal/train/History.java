package frugal.train;

import frugal.core.FrugalException;
import frugal.core.AtomicFiles;
import frugal.plot.Series;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * What a training run measured: one {@link Step} per optimiser step and any number of {@link Eval}s.
 *
 * <p>Query series for plots ({@code series("loss")}), read final numbers for claims, or export CSV.
 */
public final class History {
    /**
     * One training step.
     *
     * @param step optimiser steps done after this one (1 for the first)
     * @param lr the schedule's learning rate (before group multipliers)
     * @param loss the training loss of the step's batch
     * @param gradNorm global gradient norm before clipping
     * @param tokens tokens (or samples) seen so far, this step's batch included
     * @param wallMs wall time of the step in milliseconds
     * @param skipped true when the guard dropped the update
     */
    public record Step(long step, double lr, double loss, double gradNorm, long tokens, double wallMs, boolean skipped) {}

    /** One evaluation metric measured after {@code step} optimiser steps. */
    public record Eval(long step, String metric, double value) {}

    /** Step series names accepted by {@link #series(String)}. */
    public static final List<String> STEP_SERIES = List.of("loss", "lr", "grad_norm", "tokens", "wall_ms");

    private static final String STEP_HEADER = "step,lr,loss,grad_norm,tokens,wall_ms,skipped";
    private static final String EVAL_HEADER = "step,metric,value";

    private final List<Step> steps = new ArrayList<>();
    private final List<Eval> evals = new ArrayList<>();

    public void add(Step step) {
        steps.add(step);
    }

    public void add(Eval eval) {
        evals.add(eval);
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    public List<Eval> evals() {
        return Collections.unmodifiableList(evals);
    }

    /** Number of steps skipped by the guard. */
    public long skipped() {
        return steps.stream().filter(Step::skipped).count();
    }

    /** A step metric against the step number: loss, lr, grad_norm, tokens or wall_ms (skipped steps left out). */
    public Series series(String name) {
        ToDoubleFunction<Step> f = switch (name) {
            case "loss" -> Step::loss;
            case "lr" -> Step::lr;
            case "grad_norm" -> Step::gradNorm;
            case "tokens" -> s -> s.tokens();
            case "wall_ms" -> Step::wallMs;
            default -> throw new FrugalException("no step series '" + name + "'; known: " + STEP_SERIES
                    + " (evaluation metrics: evalSeries(name), recorded: " + evalMetrics() + ")");
        };
        List<Step> kept = steps.stream().filter(s -> !s.skipped()).toList();
        double[] x = new double[kept.size()];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = kept.get(i).step();
            y[i] = f.applyAsDouble(kept.get(i));
        }
        return new Series(name, x, y);
    }

    /** The training loss against tokens seen (token-based schedules compare runs this way). */
    public Series lossVsTokens() {
        List<Step> kept = steps.stream().filter(s -> !s.skipped()).toList();
        double[] x = kept.stream().mapToDouble(Step::tokens).toArray();
        double[] y = kept.stream().mapToDouble(Step::loss).toArray();
        return new Series("loss", x, y);
    }

    /** An evaluation metric against the step number. */
    public Series evalSeries(String metric) {
        List<Eval> kept = evals.stream().filter(e -> e.metric().equals(metric)).toList();
        if (kept.isEmpty()) {
            throw new FrugalException("no evaluation metric '" + metric + "' was recorded; recorded: " + evalMetrics());
        }
        return new Series(metric, kept.stream().mapToDouble(Eval::step).toArray(),
                kept.stream().mapToDouble(Eval::value).toArray());
    }

    /** Names of the evaluation metrics recorded, in first-seen order. */
    public List<String> evalMetrics() {
        return evals.stream().map(Eval::metric).distinct().toList();
    }

    /** The loss of the last step that was not skipped; NaN when there is none. */
    public double lastLoss() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!steps.get(i).skipped()) {
                return steps.get(i).loss();
            }
        }
        return Double.NaN;
    }

    /** Mean training loss over the last {@code n} steps that were not skipped (a less noisy final loss). */
    public double meanLoss(int n) {
        double sum = 0;
        int count = 0;
        for (int i = steps.size() - 1; i >= 0 && count < n; i--) {
            if (!steps.get(i).skipped()) {
                sum += steps.get(i).loss();
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The last recorded value of an evaluation metric. */
    public OptionalDouble lastEval(String metric) {
        for (int i = evals.size() - 1; i >= 0; i--) {
            if (evals.get(i).metric().equals(metric)) {
                return OptionalDouble.of(evals.get(i).value());
            }
        }
        return OptionalDouble.empty();
    }

    /** Steps as CSV: step,lr,loss,grad_norm,tokens,wall_ms,skipped (doubles round-trip exactly). */
    public String stepsCsv() {
        StringBuilder sb = new StringBuilder(STEP_HEADER).append('\n');
        for (Step s : steps) {
            sb.append(s.step()).append(',').append(s.lr()).append(',').append(s.loss()).append(',')
                    .append(s.gradNorm()).append(',').append(s.tokens()).append(',').append(s.wallMs()).append(',')
                    .append(s.skipped()).append('\n');
        }
        return sb.toString();
    }

    /** Evaluations as CSV in long form: step,metric,value. */
    public String evalsCsv() {
        StringBuilder sb = new StringBuilder(EVAL_HEADER).append('\n');
        for (Eval e : evals) {
            sb.append(e.step()).append(',').append(e.metric()).append(',').append(e.value()).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #stepsCsv()} to {@code file} atomically (temporary file, then move). */
    public void writeStepsCsv(Path file) {
        AtomicFiles.write(file, stepsCsv().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@link #evalsCsv()} to {@code file} atomically. */
    public void writeEvalsCsv(Path file) {
        AtomicFiles.write(file, evalsCsv().getBytes(StandardCharsets.UTF_8));
    }

    /** Parses what {@link #stepsCsv()} and {@link #evalsCsv()} wrote. */
    public static History fromCsv(String stepsCsv, String evalsCsv) {
        History h = new History();
        String[] lines = stepsCsv.split("\n");
        requireHeader(lines, STEP_HEADER, "steps");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            if (f.length != 7) {
                throw new FrugalException("steps CSV line " + (i + 1) + " has " + f.length + " fields, expected 7: " + lines[i]);
            }
            h.add(new Step(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]), Boolean.parseBoolean(f[6])));
        }
        lines = evalsCsv.split("\n");
        requireHeader(lines, EVAL_HEADER, "evaluations");
        for (int i = 1; i < lines.length; i++) {
            int first = lines[i].indexOf(',');
            int last = lines[i].lastIndexOf(',');
            if (first < 0 || first == last) {
                throw new FrugalException("evaluations CSV line " + (i + 1) + " is not step,metric,value: " + lines[i]);
            }
            h.add(new Eval(Long.parseLong(lines[i].substring(0, first)), lines[i].substring(first + 1, last),
                    Double.parseDouble(lines[i].substring(last + 1))));
        }
        return h;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "History(%d steps, last loss %.4g, %d evaluations, %d skipped)",
                steps.size(), lastLoss(), evals.size(), skipped());
    }

    private static void requireHeader(String[] lines, String header, String what) {
        if (lines.length == 0 || !lines[0].equals(header)) {
            throw new FrugalException(what + " CSV must start with the header '" + header + "'");
        }
    }
}
