package frugal.sweep;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import frugal.core.FrugalException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one configuration: its metrics when it finished, or the error of its last attempt.
 *
 * @param config the configuration that ran
 * @param status {@link Status#DONE} or {@link Status#FAILED}
 * @param metrics what the run measured ({@link Metrics#empty()} when it failed)
 * @param error the last attempt's exception and stack trace; null when done
 * @param attempts how many times the run was started
 * @param seconds wall time of the last attempt
 * @param where which JVM ran it ("local pid 123", "spark executor 2 on host"), for tracing failures
 */
public record RunResult(RunConfig config, Status status, Metrics metrics, String error, int attempts, double seconds,
        String where) {
    /** Whether a run finished. */
    public enum Status { DONE, FAILED }

    private static final int ERROR_LINES = 40;

    public RunResult {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(where, "where");
        if (status == Status.FAILED && error == null) {
            throw new IllegalArgumentException("a failed run needs its error");
        }
    }

    public boolean done() {
        return status == Status.DONE;
    }

    /** A failed result that never reached the run function (a worker JVM died, a Spark job failed). */
    public static RunResult failed(RunConfig config, String error, int attempts, String where) {
        return new RunResult(config, Status.FAILED, Metrics.empty(), error, attempts, 0, where);
    }

    /**
     * Runs {@code fn} on {@code config} up to {@code maxAttempts} times until it returns; exceptions and errors
     * are caught and recorded, never thrown, so one bad configuration cannot stop a sweep.
     *
     * @throws InterruptedException when the thread is interrupted: the run is abandoned, not recorded
     */
    public static RunResult attempt(RunFunction fn, RunConfig config, int maxAttempts, String where)
            throws InterruptedException {
        if (maxAttempts < 1) {
            throw new FrugalException("attempts must be >= 1, got " + maxAttempts);
        }
        String error = null;
        double seconds = 0;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long t0 = System.nanoTime();
            try {
                Metrics m = fn.run(config);
                seconds = (System.nanoTime() - t0) / 1e9;
                if (m == null) {
                    throw new FrugalException("the run function returned null; return Metrics (Metrics.of(history))");
                }
                return new RunResult(config, Status.DONE, m, null, attempt, seconds, where);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | LinkageError | AssertionError | OutOfMemoryError | StackOverflowError e) {
                seconds = (System.nanoTime() - t0) / 1e9;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("sweep interrupted while running " + config);
                }
                error = describe(e);
            }
        }
        return new RunResult(config, Status.FAILED, Metrics.empty(), error, maxAttempts, seconds, where);
    }

    /** The stack trace without the executor's frames below the run function, at most ERROR_LINES lines. */
    private static String describe(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        List<String> kept = new ArrayList<>();
        boolean belowRun = false;
        for (String line : w.toString().split("\n")) {
            String t = line.strip();
            if (t.startsWith("at " + RunResult.class.getName() + ".attempt(")) {
                belowRun = true;
            } else if (!t.startsWith("at ") && !t.startsWith("...")) {
                belowRun = false; // a "Caused by" section has frames worth reading again
            }
            if (!belowRun) {
                kept.add(line);
            }
        }
        String text = String.join("\n", kept.subList(0, Math.min(kept.size(), ERROR_LINES)));
        return kept.size() > ERROR_LINES ? text + "\n\t... " + (kept.size() - ERROR_LINES) + " more lines" : text;
    }

    /** The first line of the error (exception and message), or "" when done. */
    public String errorSummary() {
        return error == null ? "" : error.lines().findFirst().orElse("");
    }

    /** One JSON object; {@link #fromJson(String)} reads it back with every value exact. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.add("config", config.toJson());
        o.addProperty("status", status.name());
        o.addProperty("attempts", attempts);
        o.addProperty("seconds", seconds);
        o.addProperty("where", where);
        if (error != null) {
            o.addProperty("error", error);
        }
        o.add("metrics", metrics.toJson());
        return o.toString();
    }

    public static RunResult fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            return new RunResult(RunConfig.fromJson(o.getAsJsonObject("config")), Status.valueOf(o.get("status")
                    .getAsString()), Metrics.fromJson(o.getAsJsonObject("metrics")), o.has("error") ? o.get("error")
                    .getAsString() : null, o.get("attempts").getAsInt(), o.get("seconds").getAsDouble(), o.get("where")
                    .getAsString());
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
                | UnsupportedOperationException | ClassCastException e) {
            throw new FrugalException("not a sweep run result (" + e.getMessage() + ")", e);
        }
    }
}
