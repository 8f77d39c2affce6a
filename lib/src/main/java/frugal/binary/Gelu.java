package frugal.binary;

/**
 * GELU as PyTorch's default (exact) form, {@code x/2 (1 + erf(x / sqrt 2))}, for the plain-Java decoder.
 * erf is the Abramowitz-Stegun 7.1.26 approximation (absolute error below 1.5e-7), well inside float
 * rounding of the logits.
 */
final class Gelu {
    private static final double INV_SQRT2 = 0.7071067811865476;

    private Gelu() {}

    static float apply(float x) {
        return (float) (0.5 * x * (1 + erf(x * INV_SQRT2)));
    }

    static double erf(double z) {
        double a = Math.abs(z);
        double t = 1 / (1 + 0.3275911 * a);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double r = 1 - poly * Math.exp(-a * a);
        return z < 0 ? -r : r;
    }
}
