package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.stats.Difference;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A number the law predicts, with the uncertainty of the law itself: the value from the fit on every ladder size,
 * and the values from the fits that each leave one size out (a jackknife over the ladder's sizes, Efron's
 * leave-one-out). A law carried 4x beyond its largest size depends on which sizes happened to be fitted far more
 * than the least-squares standard errors say (successive points of one run are not independent), and the
 * jackknife measures exactly that dependence.
 *
 * @param value the prediction of the fit on every size
 * @param leaveOneOut the prediction of each leave-one-size-out fit
 */
public record PredictionSpread(double value, double[] leaveOneOut) {
    public PredictionSpread {
        leaveOneOut = leaveOneOut.clone();
        if (!Double.isFinite(value) || Arrays.stream(leaveOneOut).anyMatch(v -> !Double.isFinite(v))) {
            throw new FrugalException("PredictionSpread: the prediction " + value + " and its leave-one-out values "
                    + Arrays.toString(leaveOneOut) + " must be finite");
        }
    }

    /** {@code prediction} by the full law and by each leave-one-size-out law. */
    public static PredictionSpread of(BatchAwareLaw full, List<BatchAwareLaw> leaveOneOut,
            ToDoubleFunction<BatchAwareLaw> prediction) {
        return new PredictionSpread(prediction.applyAsDouble(full), leaveOneOut.stream().mapToDouble(prediction)
                .toArray());
    }

    /** The jackknife standard error, {@code sqrt((n-1)/n sum (v_i - mean)^2)}; 0 without leave-one-out values. */
    public double standardError() {
        int n = leaveOneOut.length;
        if (n < 2) {
            return 0;
        }
        double mean = Arrays.stream(leaveOneOut).average().orElseThrow();
        return Math.sqrt((n - 1.0) / n * Arrays.stream(leaveOneOut).map(v -> (v - mean) * (v - mean)).sum());
    }

    /**
     * The jackknife pseudo-values centred on {@link #value}: {@code value + (n-1)(mean - v_i)}. Their sample
     * variance over n is the jackknife variance, so a t test on them is the jackknife's t interval.
     */
    public double[] pseudoValues() {
        int n = leaveOneOut.length;
        double mean = Arrays.stream(leaveOneOut).average().orElse(value);
        return Arrays.stream(leaveOneOut).map(v -> value + (n - 1) * (mean - v)).toArray();
    }

    /**
     * {@code (predicted - measured) / measured} with a 95% interval that holds both uncertainties: the law's
     * (jackknife pseudo-values) and the measurement's (one value per seed), by Welch's t (Smile). One seed, or no
     * leave-one-out fit, gives no interval.
     */
    public Difference relativeErrorAgainst(double[] measured) {
        if (measured.length == 0) {
            throw new FrugalException("PredictionSpread: nothing measured to compare the prediction with");
        }
        double scale = Arrays.stream(measured).average().orElseThrow();
        double[] predicted = leaveOneOut.length < 2 ? new double[] {value} : pseudoValues();
        return Difference.unpaired(Arrays.stream(predicted).map(v -> v / scale).toArray(),
                Arrays.stream(measured).map(v -> v / scale).toArray(), 0);
    }

    /** "1.6478 (jackknife s.e. 0.0120 over 5 leave-one-size-out fits)". */
    public String describe(String format) {
        return String.format(Locale.ROOT, format + " (jackknife s.e. " + format + " over %d leave-one-size-out fits)",
                value, standardError(), leaveOneOut.length);
    }
}
