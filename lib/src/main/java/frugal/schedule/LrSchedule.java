package frugal.schedule;

/**
 * A learning rate as a pure function of the optimiser step and the tokens (or samples) seen so far.
 *
 * <p>Token-based schedules such as Power read {@code tokens}; step-based ones read {@code step}.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step, long tokens);

    static LrSchedule constant(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        return (step, tokens) -> lr;
    }
}
