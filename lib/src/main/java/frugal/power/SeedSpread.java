package frugal.power;

import frugal.claims.Claim;
import frugal.claims.Verdict;
import frugal.core.FrugalException;
import frugal.stats.Difference;
import java.util.Arrays;
import java.util.Locale;

/**
 * A quantity measured once per seed (an exponent fitted on one seed's grid, a cell's relative gap on one seed)
 * and its t interval over the seeds. A one-sample t interval is the paired difference against a constant, so it
 * comes from {@link Difference#paired} (Smile's t test and quantiles). Seeds where the quantity does not exist
 * (NaN: an optimum at the edge of the grid, a fit with too few bracketed points) are left out and {@link #n()}
 * says how many remain.
 *
 * @param values the finite per-seed values
 * @param missing how many seeds had none
 */
public record SeedSpread(double[] values, int missing) {
    public SeedSpread {
        values = values.clone();
        if (missing < 0) {
            throw new FrugalException("missing seeds must be >= 0, got " + missing);
        }
    }

    /** The per-seed values, NaN where a seed has none. */
    public static SeedSpread of(double[] perSeed) {
        double[] finite = Arrays.stream(perSeed).filter(Double::isFinite).toArray();
        return new SeedSpread(finite, perSeed.length - finite.length);
    }

    /** Seeds with a value. */
    public int n() {
        return values.length;
    }

    /** The mean over the seeds with a value; NaN when none has. */
    public double mean() {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** mean - reference with its t interval and the p-value of "equals reference"; null when no seed has a value. */
    public Difference minus(double reference) {
        if (values.length == 0) {
            return null;
        }
        double[] constant = new double[values.length];
        Arrays.fill(constant, reference);
        return Difference.paired(values, constant);
    }

    /**
     * Whether the quantity lies in [lo, hi]: PASS when its whole interval does, FAIL when the interval misses the
     * band, INCONCLUSIVE when it straddles an end or there is no interval (fewer than two seeds).
     */
    public Verdict inside(double lo, double hi) {
        if (!(lo < hi)) {
            throw new FrugalException("a band needs lo < hi, got [" + lo + ", " + hi + "]");
        }
        Difference d = minus((lo + hi) / 2);
        return d == null ? Verdict.INCONCLUSIVE : Claim.inside(d, (hi - lo) / 2);
    }

    /** Whether the quantity is above {@code bar}: PASS when its whole interval is, FAIL when wholly below. */
    public Verdict above(double bar) {
        Difference d = minus(bar);
        return d == null ? Verdict.INCONCLUSIVE : Claim.above(d, 0);
    }

    /** Whether the quantity is below {@code bar}: PASS when its whole interval is, FAIL when wholly above. */
    public Verdict below(double bar) {
        Difference d = minus(bar);
        return d == null ? Verdict.INCONCLUSIVE : d.hasInterval() && d.hi() < 0 ? Verdict.PASS
                : d.hasInterval() && d.lo() > 0 ? Verdict.FAIL : Verdict.INCONCLUSIVE;
    }

    /**
     * How many seeds would decide "above / below {@code bar}" while the interval straddles it, else ""
     * ({@link Difference#seedsPlan}).
     */
    public String seedsPlan(double bar) {
        Difference d = minus(bar);
        return d == null ? "" : d.seedsPlan(0);
    }

    /**
     * "-0.48 [95% CI -0.71, -0.25], n = 3" (values times {@code scale}, {@code unit} after them), with the
     * seeds that had no value named.
     */
    public String describe(double scale, String unit) {
        Difference d = minus(0);
        String missed = missing == 0 ? "" : ", " + missing + " seed(s) without one";
        if (d == null) {
            return "no seed has a value" + missed;
        }
        if (!d.hasInterval()) {
            return String.format(Locale.ROOT, "%s%s (n = %d: no interval)", Difference.signedValue(d.mean() * scale),
                    unit, d.n()) + missed;
        }
        return String.format(Locale.ROOT, "%s%s [%d%% CI %s, %s], n = %d%s", Difference.signedValue(d.mean() * scale),
                unit, Math.round(d.confidence() * 100), Difference.signedValue(d.lo() * scale),
                Difference.signedValue(d.hi() * scale), d.n(), missed);
    }
}
