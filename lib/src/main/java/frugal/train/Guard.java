package frugal.train;

/**
 * What the training loop does with a bad step: a NaN or infinite loss or gradient norm (always bad), or a
 * loss spike, a loss above {@code spikeFactor} times the median of the last {@code window} good losses.
 *
 * @param action STOP throws {@link TrainingDiverged}; SKIP drops the update and goes on
 * @param spikeFactor > 1, or {@code Double.POSITIVE_INFINITY} to judge only NaN / infinity
 * @param window how many recent good losses the median is taken over (spikes are judged once
 *     min(window, 10) are known)
 * @param maxConsecutiveSkips SKIP only: stop after this many bad steps in a row
 */
public record Guard(Action action, double spikeFactor, int window, int maxConsecutiveSkips) {
    /** The response to a bad step. */
    public enum Action {
        STOP,
        SKIP
    }

    public Guard {
        if (action == null) {
            throw new IllegalArgumentException("guard action must be STOP or SKIP");
        }
        if (!(spikeFactor > 1)) {
            throw new IllegalArgumentException("spikeFactor must be > 1 (or infinity to turn spike detection off), got "
                    + spikeFactor);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (action == Action.SKIP && maxConsecutiveSkips < 1) {
            throw new IllegalArgumentException("maxConsecutiveSkips must be >= 1 with SKIP, got " + maxConsecutiveSkips);
        }
    }

    /** Stop on NaN / infinity only (the default). */
    public static Guard stop() {
        return new Guard(Action.STOP, Double.POSITIVE_INFINITY, 50, 0);
    }

    /** Stop on NaN / infinity, and on a loss above {@code spikeFactor} x the recent median. */
    public static Guard stop(double spikeFactor) {
        return new Guard(Action.STOP, spikeFactor, 50, 0);
    }

    /** Skip bad steps (NaN / infinity, and spikes above {@code spikeFactor} x the recent median). */
    public static Guard skip(double spikeFactor, int maxConsecutiveSkips) {
        return new Guard(Action.SKIP, spikeFactor, 50, maxConsecutiveSkips);
    }

    /** This guard with another median window. */
    public Guard withWindow(int window) {
        return new Guard(action, spikeFactor, window, maxConsecutiveSkips);
    }
}
