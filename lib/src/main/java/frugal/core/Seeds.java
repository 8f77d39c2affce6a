package frugal.core;

import java.util.Random;

/** One seed for everything random: the engine's generator and the Java-side shuffles. */
public final class Seeds {
    private Seeds() {}

    /** Seeds the engine's random generator and returns a Java {@link Random} with the same seed. */
    public static Random set(long seed) {
        Engines.pytorch().setRandomSeed((int) (seed ^ (seed >>> 32)));
        return new Random(seed);
    }
}
