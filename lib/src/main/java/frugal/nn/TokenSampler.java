package frugal.nn;

import java.util.Random;

/**
 * Next-token choice from logits: arg-max, or a draw from softmax(logits / temperature). Shared by
 * {@link TinyGpt#generate} and the packed 1-bit decoder, so both pick the same token from the same logits.
 */
public final class TokenSampler {
    private TokenSampler() {}

    /** Temperature 0 is greedy; otherwise one draw with a single {@code random.nextDouble()}. */
    public static int next(float[] logits, double temperature, Random random) {
        return temperature == 0 ? argMax(logits) : sample(logits, temperature, random);
    }

    public static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Inverse-CDF draw with one {@code random.nextDouble()}. */
    public static int sample(float[] logits, double temperature, Random random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] cumulative = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            sum += Math.exp((logits[i] - max) / temperature);
            cumulative[i] = sum;
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }
}
