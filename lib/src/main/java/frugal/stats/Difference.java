package frugal.stats;

import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import smile.stat.distribution.GaussianDistribution;
import smile.stat.distribution.TDistribution;
import smile.stat.hypothesis.TTest;

/**
 * The difference A - B between two methods' scores over seeds, with a t interval and the p-value of a
 * t test against a reference value (0, or a claim's margin). Paired when both were measured on the same
 * seeds and test data (the seed-to-seed noise common to both cancels), Welch's unequal-variance test
 * otherwise. The tests are Smile's ({@link TTest}); the interval uses its t quantiles.
 *
 * @param mean the mean difference A - B
 * @param lo lower end of the interval
 * @param hi upper end of the interval
 * @param confidence the interval's coverage, e.g. 0.95
 * @param pValue two-sided p-value of "the difference equals {@code reference}"
 * @param reference the value tested against
 * @param n how many seeds (pairs, or the smaller group when unpaired)
 * @param test which test: "paired t" or "Welch t"
 */
public record Difference(double mean, double lo, double hi, double confidence, double pValue, double reference,
        int n, String test) {

    /** The coverage used unless a claim asks for another. */
    public static final double CONFIDENCE = 0.95;

    /** Paired: {@code a[i]} and {@code b[i]} come from the same seed. */
    public static Difference paired(double[] a, double[] b, double reference) {
        check(a, b);
        if (a.length != b.length) {
            throw new FrugalException("a paired comparison needs one value of each method per seed, got "
                    + a.length + " and " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        double mean = Arrays.stream(d).average().orElseThrow();
        if (d.length < 2) {
            return new Difference(mean, Double.NaN, Double.NaN, CONFIDENCE, Double.NaN, reference, 1, "paired t");
        }
        double sd = Math.sqrt(Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / (d.length - 1));
        if (sd == 0) {
            // every seed gave the same difference: nothing to test, the interval is the point
            return new Difference(mean, mean, mean, CONFIDENCE, mean == reference ? 1 : 0, reference, d.length,
                    "paired t");
        }
        TTest t = TTest.test(d, reference);
        double half = quantile(d.length - 1) * sd / Math.sqrt(d.length);
        return new Difference(mean, mean - half, mean + half, CONFIDENCE, t.pvalue, reference, d.length,
                "paired t");
    }

    /** Paired against 0. */
    public static Difference paired(double[] a, double[] b) {
        return paired(a, b, 0);
    }

    /** Unpaired: independent runs of A and B (Welch's t, unequal variances). */
    public static Difference unpaired(double[] a, double[] b, double reference) {
        check(a, b);
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        double mean = ma - mb;
        int n = Math.min(a.length, b.length);
        if (n < 2) {
            return new Difference(mean, Double.NaN, Double.NaN, CONFIDENCE, Double.NaN, reference, n, "Welch t");
        }
        double va = variance(a, ma) / a.length;
        double vb = variance(b, mb) / b.length;
        if (va + vb == 0) {
            return new Difference(mean, mean, mean, CONFIDENCE, mean == reference ? 1 : 0, reference, n, "Welch t");
        }
        double[] shifted = Arrays.stream(a).map(x -> x - reference).toArray();
        TTest t = TTest.test(shifted, b, false);
        double half = quantile(t.df) * Math.sqrt(va + vb);
        return new Difference(mean, mean - half, mean + half, CONFIDENCE, t.pvalue, reference, n, "Welch t");
    }

    /** The power {@link #seedsToClear} plans for: the chance that the interval then clears the boundary. */
    public static final double PLANNED_POWER = 0.8;
    /** From here on the t quantiles are the normal ones to well under 1%: no need to scan. */
    private static final int SCANNED_SEEDS = 10_000;

    /**
     * How many paired seeds would let the interval clear {@code boundary} (on the side the mean lies) with
     * probability {@link #PLANNED_POWER}, if the mean difference and its seed-to-seed s.d. stayed as measured: the
     * smallest n with {@code |mean - boundary| >= (t(n-1, 97.5%) + t(n-1, 80%)) sd / sqrt(n)}, the textbook sample
     * size of a one-sample t test. It tells an INCONCLUSIVE verdict's reader whether more seeds are worth running.
     * Empty when unpaired (Welch), with fewer than two seeds or no spread, or when the mean sits on the boundary.
     */
    public OptionalInt seedsToClear(double boundary) {
        double gap = Math.abs(mean - boundary);
        if (!test.equals("paired t") || !hasInterval() || hi == lo || !(gap > 0)) {
            return OptionalInt.empty();
        }
        double sd = (hi - mean) * Math.sqrt(n) / quantile(n - 1); // the interval's own s.d., undone
        // the normal approximation is a lower bound (t quantiles exceed z): scan up from it; its quantiles follow
        // CONFIDENCE and PLANNED_POWER, so a changed constant cannot start the scan past the answer
        GaussianDistribution z = GaussianDistribution.getInstance();
        double normal = Math.pow((z.quantile(1 - (1 - CONFIDENCE) / 2) + z.quantile(PLANNED_POWER)) * sd / gap, 2);
        if (normal > SCANNED_SEEDS) {
            return normal < Integer.MAX_VALUE ? OptionalInt.of((int) Math.ceil(normal)) : OptionalInt.empty();
        }
        for (int k = (int) Math.max(2, Math.floor(normal)); ; k++) {
            TDistribution t = new TDistribution(k - 1);
            if (gap >= (t.quantile(1 - (1 - CONFIDENCE) / 2) + t.quantile(PLANNED_POWER)) * sd / Math.sqrt(k)) {
                return OptionalInt.of(k);
            }
        }
    }

    /**
     * "; about 74 paired seeds would decide it (80% power if the mean and s.d. stay)" while the interval straddles
     * one of {@code boundaries} (the claim is undecided: for a band, give both edges), the most seeds any straddled
     * boundary needs; "" when it straddles none or {@link #seedsToClear} has no answer. For the measured text of a
     * claim judged on this difference.
     */
    public String seedsPlan(double... boundaries) {
        int most = 0;
        for (double b : boundaries) {
            if (hasInterval() && lo <= b && b <= hi) {
                most = Math.max(most, seedsToClear(b).orElse(0));
            }
        }
        return most == 0 ? "" : String.format(Locale.ROOT, "; about %,d paired seeds would decide it (%d%% power if"
                + " the mean and s.d. stay)", most, Math.round(PLANNED_POWER * 100));
    }

    /** True when there is an interval (at least two seeds). */
    public boolean hasInterval() {
        return !Double.isNaN(lo);
    }

    /**
     * "+0.67 [95% CI -1.20, +2.54], paired t p = 0.41 vs 0, n = 2", values times {@code scale} with
     * {@code unit} after them (e.g. 100 and " pp" for accuracies stored as fractions).
     */
    public String describe(double scale, String unit) {
        String m = signed(mean * scale) + unit;
        if (!hasInterval()) {
            return m + " (n = " + n + ": no interval from one seed)";
        }
        return String.format(Locale.ROOT, "%s [%d%% CI %s, %s], %s p = %s vs %s, n = %d", m,
                Math.round(confidence * 100), signed(lo * scale), signed(hi * scale), test, p(pValue),
                signed(reference * scale).replace("+", ""), n);
    }

    /** {@link #describe(double, String)} in the values' own units. */
    public String describe() {
        return describe(1, "");
    }

    private static double quantile(double df) {
        return new TDistribution((int) Math.max(1, Math.floor(df))).quantile(1 - (1 - CONFIDENCE) / 2);
    }

    private static double variance(double[] x, double mean) {
        return Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1);
    }

    private static void check(double[] a, double[] b) {
        if (a == null || b == null || a.length == 0 || b.length == 0) {
            throw new FrugalException("a comparison needs at least one value on each side");
        }
        for (double[] x : new double[][] {a, b}) {
            for (double v : x) {
                if (!Double.isFinite(v)) {
                    throw new FrugalException("a comparison got a non-finite score " + v + ": a run diverged or"
                            + " was not measured; rerun it or leave it out");
                }
            }
        }
    }

    /** A value with its sign, three significant digits ("+0.670", "-1.20e-04"). */
    public static String signedValue(double v) {
        return signed(v);
    }

    private static String signed(double v) {
        double a = Math.abs(v);
        String s = a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.2e", a)
                : String.format(Locale.ROOT, "%.3g", a);
        return (v < 0 ? "-" : "+") + s;
    }

    private static String p(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3g", p);
    }
}
