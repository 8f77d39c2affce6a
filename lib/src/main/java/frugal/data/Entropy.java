package frugal.data;

import frugal.core.FrugalException;

/**
 * Entropy of a token stream's unigram (single-token frequency) distribution, in nats per token: the
 * cross-entropy of the best model that ignores context. A language model has learned something
 * from context only when its validation loss falls clearly below this.
 */
public final class Entropy {
    private Entropy() {}

    /** {@code -sum p(t) ln p(t)} over the token frequencies of {@code tokens}, in nats. */
    public static double unigram(int[] tokens) {
        if (tokens.length == 0) {
            throw new FrugalException("the unigram entropy of an empty token array is undefined");
        }
        int max = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0) {
                throw new FrugalException("token id " + tokens[i] + " at position " + i + " is negative");
            }
            max = Math.max(max, tokens[i]);
        }
        long[] counts = new long[max + 1];
        for (int t : tokens) {
            counts[t]++;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / tokens.length;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
