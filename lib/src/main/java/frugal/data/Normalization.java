package frugal.data;

import frugal.core.FrugalException;

/**
 * How pixel bytes become model inputs: {@code (x / 255 - mean) / std}.
 *
 * <p>{@link #UNIT} ({@code mean 0, std 1}) leaves pixels in {@code [0, 1]}.
 */
public record Normalization(double mean, double std) {
    /** Pixels scaled to {@code [0, 1]}, no centring. */
    public static final Normalization UNIT = new Normalization(0, 1);

    public Normalization {
        if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
            throw new FrugalException("normalization needs a finite mean and a positive std, got mean " + mean
                    + ", std " + std);
        }
    }

    /** The normalized value of every possible pixel byte, indexed by the unsigned byte. */
    float[] table() {
        float[] t = new float[256];
        for (int x = 0; x < 256; x++) {
            t[x] = (float) ((x / 255.0 - mean) / std);
        }
        return t;
    }
}
