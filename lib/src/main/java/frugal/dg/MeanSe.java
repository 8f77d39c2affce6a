package frugal.dg;

import frugal.core.FrugalException;
import java.util.Locale;

/**
 * A mean over trials with its standard error (sample standard deviation / sqrt(n); NaN for one trial).
 *
 * @param mean the mean
 * @param se its standard error
 * @param n how many values
 */
public record MeanSe(double mean, double se, int n) {
    public static MeanSe of(double... values) {
        if (values.length == 0) {
            throw new FrugalException("a mean needs at least one value");
        }
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double se = values.length < 2 ? Double.NaN : Math.sqrt(ss / (values.length - 1) / values.length);
        return new MeanSe(mean, se, values.length);
    }

    /** "mean ± se" in percent with one decimal (just the mean for one trial). */
    public String percent() {
        return Double.isNaN(se) ? String.format(Locale.ROOT, "%.1f", 100 * mean)
                : String.format(Locale.ROOT, "%.1f \u00b1 %.1f", 100 * mean, 100 * se);
    }
}
