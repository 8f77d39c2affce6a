package frugal.scaling;

import frugal.core.FrugalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An immutable, non-empty table of {@link Observation}s from one setup (tokenizer, data, context length,
 * schedule shape): the input of every scaling-law fit. Each run has one model size and one batch size, and
 * each of its steps appears once; observations are kept sorted by run (first appearance) then step.
 */
public final class RunTable {
    /** Header of the CSV form read by {@link #readCsv} and written by {@link #toCsv}. */
    public static final String CSV_HEADER = "run,params,batch,step,loss";

    private final List<Observation> observations;

    private RunTable(List<Observation> observations) {
        this.observations = observations;
    }

    /** A table of the given observations; checks that runs are consistent and steps not repeated. */
    public static RunTable of(Collection<Observation> observations) {
        if (observations == null || observations.isEmpty()) {
            throw new FrugalException("RunTable: no observations; record at least one (run, params, batch, step,"
                    + " loss) evaluation per run");
        }
        Map<String, Observation> firstOfRun = new LinkedHashMap<>();
        Map<String, Integer> runOrder = new HashMap<>();
        Map<String, Integer> rowOfStep = new HashMap<>();
        int row = 0;
        for (Observation o : observations) {
            if (o == null) {
                throw new FrugalException("RunTable: row " + row + " is null; every row must be an Observation");
            }
            Observation first = firstOfRun.putIfAbsent(o.run(), o);
            runOrder.putIfAbsent(o.run(), runOrder.size());
            if (first != null && (first.params() != o.params() || first.batch() != o.batch())) {
                throw new FrugalException("RunTable: row " + row + " (run '" + o.run() + "', step " + o.step()
                        + ") has params=" + o.params() + ", batch=" + o.batch() + " but the run's first row has params="
                        + first.params() + ", batch=" + first.batch()
                        + "; a run has one model and one batch size: give the other configuration its own run name");
            }
            Integer earlier = rowOfStep.putIfAbsent(o.run() + "\u0000" + o.step(), row);
            if (earlier != null) {
                throw new FrugalException("RunTable: rows " + earlier + " and " + row + " both hold run '" + o.run()
                        + "' at step " + o.step() + "; keep one evaluation per step (e.g. average repeated evaluations)");
            }
            row++;
        }
        List<Observation> sorted = new ArrayList<>(observations);
        sorted.sort(Comparator.<Observation>comparingInt(o -> runOrder.get(o.run()))
                .thenComparingLong(Observation::step));
        return new RunTable(List.copyOf(sorted));
    }

    /** A table of the given observations. */
    public static RunTable of(Observation... observations) {
        return of(List.of(observations));
    }

    /** Reads a CSV file with header {@value #CSV_HEADER}; an error names the line that is wrong. */
    public static RunTable readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FrugalException(file + ": could not be read (" + e.getMessage() + "); expected a CSV file with"
                    + " header " + CSV_HEADER, e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals(CSV_HEADER)) {
            throw new FrugalException(file + ": line 1 must be the header '" + CSV_HEADER + "'");
        }
        List<Observation> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ": line " + (i + 1);
            String[] cells = line.split(",", -1);
            if (cells.length != 5) {
                throw new FrugalException(where + ": expected 5 comma-separated values (" + CSV_HEADER + "), found "
                        + cells.length);
            }
            try {
                rows.add(new Observation(cells[0].strip(), number(cells[1], "params", where),
                        number(cells[2], "batch", where), wholeNumber(cells[3], "step", where),
                        number(cells[4], "loss", where)));
            } catch (FrugalException e) {
                throw new FrugalException(where + ": " + e.getMessage(), e);
            }
        }
        try {
            return of(rows);
        } catch (FrugalException e) {
            throw new FrugalException(file + ": " + e.getMessage(), e);
        }
    }

    private static double number(String cell, String column, String where) {
        try {
            return Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            throw new FrugalException(where + ": column '" + column + "' is '" + cell.strip() + "', not a number");
        }
    }

    private static long wholeNumber(String cell, String column, String where) {
        double value = number(cell, column, where);
        if (value != Math.rint(value) || Math.abs(value) > 1e15) {
            throw new FrugalException(where + ": column '" + column + "' is '" + cell.strip() + "', not a whole number");
        }
        return (long) value;
    }

    /** The table in the CSV form {@link #readCsv} reads (write it to a file yourself). */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (Observation o : observations) {
            if (o.run().contains(",") || o.run().contains("\n")) {
                throw new FrugalException("RunTable.toCsv: run name '" + o.run() + "' contains a comma or line break;"
                        + " rename the run to store it as CSV");
            }
            csv.append(o.run()).append(',').append(o.params()).append(',').append(o.batch()).append(',')
                    .append(o.step()).append(',').append(o.loss()).append('\n');
        }
        return csv.toString();
    }

    /** All observations, sorted by run (first appearance) then step. */
    public List<Observation> observations() {
        return observations;
    }

    public int size() {
        return observations.size();
    }

    /** Run names in order of first appearance. */
    public List<String> runNames() {
        return observations.stream().map(Observation::run).distinct().toList();
    }

    /** The observations of one run, sorted by step. */
    public RunTable run(String name) {
        return filter(o -> o.run().equals(name), "run '" + name + "' (runs: " + runNames() + ")");
    }

    /** Distinct model sizes (non-embedding parameters), ascending. */
    public double[] modelSizes() {
        return observations.stream().mapToDouble(Observation::params).distinct().sorted().toArray();
    }

    /** The observations at or after {@code step}: drop warmup, where the step law does not hold yet. */
    public RunTable fromStep(long step) {
        return filter(o -> o.step() >= step, "steps >= " + step);
    }

    /** The observations {@code keep} accepts; an error if none is left. */
    public RunTable filter(Predicate<Observation> keep) {
        return filter(keep, "the filter");
    }

    private RunTable filter(Predicate<Observation> keep, String what) {
        List<Observation> kept = observations.stream().filter(keep).toList();
        if (kept.isEmpty()) {
            throw new FrugalException("RunTable: no observations match " + what + " among " + size() + " rows");
        }
        return new RunTable(kept);
    }

    @Override
    public String toString() {
        return "RunTable[" + size() + " observations, " + runNames().size() + " runs, model sizes "
                + java.util.Arrays.toString(modelSizes()) + "]";
    }
}
