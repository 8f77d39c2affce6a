package frugal.claims;

import frugal.core.FrugalException;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * A paper's claim checked on this run: what the paper says, what we measured, the bar it had to clear,
 * and the verdict. Build one with {@link #check}; a quick-budget run reports {@link Verdict#NOT_JUDGED}.
 *
 * @param id the claim's id in the paper card (C1, C2, ...)
 * @param statement the claim in words
 * @param measured what this run measured, formatted for the table
 * @param threshold the bar, in words (e.g. "ratio <= 1.5")
 * @param verdict PASS, FAIL or NOT JUDGED
 */
public record Claim(String id, String statement, String measured, String threshold, Verdict verdict) {
    public Claim {
        if (id == null || id.isBlank() || statement == null || statement.isBlank()) {
            throw new FrugalException("a claim needs an id and a statement, got id=" + id + ", statement=" + statement);
        }
        if (measured == null || threshold == null || verdict == null) {
            throw new FrugalException("claim " + id + ": measured, threshold and verdict must be given");
        }
    }

    /**
     * Judges {@code value} against {@code bar} when {@code judged}; NaN never passes.
     *
     * @param judged false in a quick-budget run: the value is shown but not judged
     */
    public static Claim check(String id, String statement, double value, String threshold, DoublePredicate bar,
            boolean judged) {
        Verdict v = !judged ? Verdict.NOT_JUDGED
                : Double.isFinite(value) && bar.test(value) ? Verdict.PASS : Verdict.FAIL;
        return new Claim(id, statement, format(value), threshold, v);
    }

    /** A claim whose measurement is not a single number (e.g. "curves line up"), judged by the caller. */
    public static Claim judged(String id, String statement, String measured, String threshold, boolean passed,
            boolean judged) {
        return new Claim(id, statement, measured, threshold,
                !judged ? Verdict.NOT_JUDGED : passed ? Verdict.PASS : Verdict.FAIL);
    }

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
