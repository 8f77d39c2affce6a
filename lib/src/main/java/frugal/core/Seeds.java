package frugal.core;

import java.util.Random;

/** One seed for everything random: the engine's generator and the Java-side shuffles. */
public final class Seeds {
    /**
     * The engine's generator is one per process: code that seeds it and then draws from it (a model's
     * initialisation) while other threads train holds this lock, and so does every re-seed, so that no other
     * thread re-seeds the generator in between ({@link OneThreadEach} runs trainings side by side).
     */
    public static final Object ENGINE_GENERATOR = new Object();

    private Seeds() {}

    /** Seeds the engine's random generator and returns a Java {@link Random} with the same seed. */
    public static Random set(long seed) {
        synchronized (ENGINE_GENERATOR) {
            Engines.pytorch().setRandomSeed((int) (seed ^ (seed >>> 32)));
        }
        return new Random(seed);
    }
}
