package frugal.claims;

import frugal.core.FrugalException;
import frugal.stats.Difference;
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
 * @param verdict PASS, FAIL, INCONCLUSIVE or NOT JUDGED
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

    /** A claim whose three-way verdict the caller worked out (e.g. {@link Verdict#all} over parts). */
    public static Claim judged(String id, String statement, String measured, String threshold, Verdict verdict,
            boolean judged) {
        return new Claim(id, statement, measured, threshold, judged ? verdict : Verdict.NOT_JUDGED);
    }

    /**
     * "A beats B by more than {@code margin}" (margin 0: A beats B; a negative margin: A is at most that
     * much worse), judged on the interval of the difference A - B: PASS when the whole interval is above
     * the margin, FAIL when it is wholly below, INCONCLUSIVE when it straddles the margin or there is no
     * interval (one seed). An undecided claim's measured text adds how many paired seeds would decide it
     * ({@link Difference#seedsPlan}).
     *
     * @param scale, unit how the difference is shown (100 and " pp" for accuracies held as fractions)
     */
    public static Claim beats(String id, String statement, Difference d, double margin, double scale, String unit,
            boolean judged) {
        return new Claim(id, statement, d.describe(scale, unit) + d.seedsPlan(margin),
                "interval above " + Difference.signedValue(margin * scale) + unit, judged ? above(d, margin)
                        : Verdict.NOT_JUDGED);
    }

    /**
     * "A is within {@code tolerance} of B" (|A - B| <= tolerance): PASS when the whole interval of the
     * difference lies inside [-tolerance, +tolerance], FAIL when the interval misses that band entirely,
     * INCONCLUSIVE otherwise.
     */
    public static Claim within(String id, String statement, Difference d, double tolerance, double scale,
            String unit, boolean judged) {
        return new Claim(id, statement, d.describe(scale, unit) + d.seedsPlan(-tolerance, tolerance),
                "interval inside \u00b1" + Difference.signedValue(tolerance * scale).substring(1) + unit,
                judged ? inside(d, tolerance) : Verdict.NOT_JUDGED);
    }

    /** The verdict of "difference above margin" for a measured difference. */
    public static Verdict above(Difference d, double margin) {
        if (!d.hasInterval()) {
            return Verdict.INCONCLUSIVE;
        }
        return d.lo() > margin ? Verdict.PASS : d.hi() < margin ? Verdict.FAIL : Verdict.INCONCLUSIVE;
    }

    /** The verdict of "|difference| within tolerance" for a measured difference. */
    public static Verdict inside(Difference d, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new FrugalException("a tolerance must be >= 0, got " + tolerance);
        }
        if (!d.hasInterval()) {
            return Verdict.INCONCLUSIVE;
        }
        if (d.lo() >= -tolerance && d.hi() <= tolerance) {
            return Verdict.PASS;
        }
        return d.lo() > tolerance || d.hi() < -tolerance ? Verdict.FAIL : Verdict.INCONCLUSIVE;
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
