package frugal.scaling;

import frugal.core.FrugalException;
import java.util.Arrays;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/** The scaling-law formulas and the input checks every fit shares. */
final class Laws {
    private Laws() {}

    /** {@code (scale / x)^exponent}: L(N) with (N_c, alpha_N), and the step term with (S_c, alpha_S). */
    static double power(double scale, double x, double exponent) {
        return Math.pow(scale / x, exponent);
    }

    /** {@code B_crit(L) = B_star / L^(1/alpha_B)}. */
    static double criticalBatch(double bStar, double alphaB, double loss) {
        return bStar / Math.pow(loss, 1 / alphaB);
    }

    /**
     * {@code S_min}: the steps at infinite batch after which a model of {@code params} with converged loss
     * {@code convergedLoss} reaches {@code loss}, the inverse of {@code L = L(N) + (S_c/S_min)^alpha_S}.
     */
    static double minSteps(double convergedLoss, double sC, double alphaS, double params, double loss) {
        if (!(loss > convergedLoss) || !Double.isFinite(loss)) {
            throw new FrugalException(String.format("target loss %s is not above the converged loss L(N) = %.5g of a"
                    + " model with N = %.4g parameters: no number of steps reaches it; pick a target above %.5g or a"
                    + " larger model", loss, convergedLoss, params, convergedLoss));
        }
        return sC / Math.pow(loss - convergedLoss, 1 / alphaS);
    }

    /** Throws unless every value is finite and > 0; the message names the fit, the quantity and the index. */
    static void requirePositive(String fitName, String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0) || !Double.isFinite(values[i])) {
                throw new FrugalException(fitName + ": " + what + "[" + i + "] is " + values[i] + "; every " + what
                        + " must be a finite number > 0 (a power law is fitted to its logarithm)");
            }
        }
    }

    static void requireSameLength(String fitName, String a, double[] x, String b, double[] y) {
        if (x.length != y.length) {
            throw new FrugalException(fitName + ": " + x.length + " " + a + " but " + y.length + " " + b
                    + "; give one " + b + " per " + a);
        }
    }

    /** Throws unless {@code values} holds at least {@code min} distinct values. */
    static void requireDistinct(String fitName, String what, double[] values, int min, String why) {
        long distinct = Arrays.stream(values).distinct().count();
        if (distinct < min) {
            throw new FrugalException(fitName + ": " + distinct + " distinct " + what + " "
                    + Arrays.toString(Arrays.stream(values).distinct().limit(5).toArray()) + "; need at least " + min
                    + " " + why);
        }
    }

    static double[] logs(double[] values) {
        return Arrays.stream(values).map(Math::log).toArray();
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    /** The least-squares line of y on {@code x - centre}: the start of every log-log fit here. */
    static SimpleRegression centredLine(double[] x, double centre, double[] y) {
        var line = new SimpleRegression();
        for (int i = 0; i < x.length; i++) {
            line.addData(x[i] - centre, y[i]);
        }
        return line;
    }
}
