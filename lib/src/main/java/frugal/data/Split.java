package frugal.data;

import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A data set cut in two parts: one to train on and one held out to validate (or test) on.
 *
 * @param <T> what was split: an image set, a corpus, a token array, indices
 */
public record Split<T>(T train, T val) {
    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(val, "val");
    }

    /**
     * The indices {@code 0..n-1} shuffled by {@code seed}: the first {@code round(trainFraction * n)}
     * go to train, the rest to val; each part is sorted, so it keeps the original order.
     */
    public static Split<int[]> indices(int n, double trainFraction, long seed) {
        int cut = cut(n, trainFraction, "items");
        int[] p = Shuffle.permutation(n, seed);
        int[] train = Arrays.copyOfRange(p, 0, cut);
        int[] val = Arrays.copyOfRange(p, cut, n);
        Arrays.sort(train);
        Arrays.sort(val);
        return new Split<>(train, val);
    }

    /** The first {@code round(trainFraction * n)} tokens to train, the rest to val: no shuffling. */
    public static Split<int[]> contiguous(int[] tokens, double trainFraction) {
        int cut = cut(tokens.length, trainFraction, "tokens");
        return new Split<>(Arrays.copyOfRange(tokens, 0, cut), Arrays.copyOfRange(tokens, cut, tokens.length));
    }

    static int cut(int n, double trainFraction, String what) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new FrugalException("train fraction must lie strictly between 0 and 1, got " + trainFraction);
        }
        int cut = (int) Math.round(trainFraction * n);
        if (cut == 0 || cut == n) {
            throw new FrugalException("train fraction " + trainFraction + " of " + n + " " + what + " leaves the "
                    + (cut == 0 ? "train" : "val") + " part empty; use a fraction nearer 0.5 or more data");
        }
        return cut;
    }
}
