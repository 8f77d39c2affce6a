package frugal.data;

import frugal.core.FrugalException;
import java.util.Random;

/**
 * Deterministic shuffles: the same seed gives the same order on every machine, because
 * {@link Random}'s generator is specified by the Java platform.
 */
public final class Shuffle {
    private Shuffle() {}

    /** The indices {@code 0..n-1} in an order fixed by {@code seed} (Fisher-Yates). */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new FrugalException("permutation size must be >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        var random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
