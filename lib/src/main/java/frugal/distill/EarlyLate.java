package frugal.distill;

import frugal.core.FrugalException;
import java.util.Arrays;

/**
 * DELT's EarlyLate schedule: the recover iterations are split into rounds of equal length; each round
 * activates a few more images per class, and an image, once active, is optimised until the end. Early
 * images get every iteration, late ones only the last round, which saves compute and diversifies the set.
 *
 * <p>Images per round follow DELT's {@code recover.py}: {@code ipc / rounds} each, the first
 * {@code ipc % rounds} rounds one more (IPC 10 in 8 rounds: 2, 2, 1, 1, 1, 1, 1, 1). Images are
 * activated in IPC-index order, so index 0 (the most "medium" real image) is optimised longest.
 */
public final class EarlyLate {
    private EarlyLate() {}

    /** How many images of each class round {@code r} activates. */
    public static int[] perRound(int ipc, int rounds) {
        check(ipc, rounds);
        int[] counts = new int[rounds];
        for (int r = 0; r < rounds; r++) {
            counts[r] = ipc / rounds + (r < ipc % rounds ? 1 : 0);
        }
        return counts;
    }

    /** The round in which each IPC index becomes active. */
    public static int[] activationRound(int ipc, int rounds) {
        int[] counts = perRound(ipc, rounds);
        int[] round = new int[ipc];
        int k = 0;
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < counts[r]; j++) {
                round[k++] = r;
            }
        }
        return round;
    }

    /**
     * The first iteration of each IPC index when {@code iterations} are split into {@code rounds} equal
     * rounds; with one round every image starts at 0 (flat optimisation).
     */
    public static int[] startIterations(int ipc, int rounds, int iterations) {
        if (iterations % rounds != 0) {
            throw new FrugalException("EarlyLate splits the iterations into equal rounds: " + iterations
                    + " iterations do not divide into " + rounds + " rounds; use a multiple of " + rounds);
        }
        int roundLength = iterations / rounds;
        return Arrays.stream(activationRound(ipc, rounds)).map(r -> r * roundLength).toArray();
    }

    /** Image-iterations of one class: the sum over its images of the iterations each is optimised. */
    public static long imageIterations(int[] startIterations, int iterations) {
        long total = 0;
        for (int start : startIterations) {
            total += iterations - start;
        }
        return total;
    }

    /** Fraction of image-iterations saved against flat optimisation of every image for all iterations. */
    public static double saving(int ipc, int rounds, int iterations) {
        long early = imageIterations(startIterations(ipc, rounds, iterations), iterations);
        return 1 - (double) early / ((long) ipc * iterations);
    }

    private static void check(int ipc, int rounds) {
        if (ipc < 1 || rounds < 1) {
            throw new FrugalException("EarlyLate needs ipc >= 1 and rounds >= 1, got ipc " + ipc + ", rounds " + rounds);
        }
    }
}
