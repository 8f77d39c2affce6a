package frugal.core;

import java.util.Random;

/**
 * Randomness that depends only on (seed, step), so a resumed run reproduces an uninterrupted one.
 *
 * <p>The training loop seeds the engine with {@link #engineSeed(long, long)} before every step (dropout and
 * other in-model noise); batch sources use {@link #of(long, long)} for shuffles and sampling.
 */
public final class StepRandom {
    private StepRandom() {}

    /** A Java random generator for this step, independent of every other step's. */
    public static Random of(long seed, long step) {
        return new Random(mix(seed, step));
    }

    /** SplitMix64 finaliser over (seed, step): neighbouring steps get unrelated streams. */
    public static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The engine seed for a step (the engine takes an int). */
    public static int engineSeed(long seed, long step) {
        long z = mix(seed ^ 0x5DEECE66DL, step);
        return (int) (z ^ (z >>> 32));
    }
}
