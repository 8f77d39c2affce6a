package frugal.schedule;

import frugal.core.FrugalException;

/**
 * A learning rate as a pure function of the optimiser step and the tokens (or samples) seen so far.
 *
 * <p>Call it once per optimiser step, before the update: {@code step} is the number of steps already
 * taken (0 for the first step) and {@code tokens} the number of tokens seen before this step. Token-based
 * schedules such as Power read {@code tokens}; step-based ones read {@code step}; each schedule says
 * which it reads and ignores the other. A schedule with a run length clamps past the end: it returns
 * its end value (the value at the last position). A negative value of the coordinate it reads is an error.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step, long tokens);

    /** A fixed learning rate; see {@link ConstantSchedule}. */
    static LrSchedule constant(double lr) {
        return new ConstantSchedule(lr);
    }

    /**
     * The learning rates of the first {@code steps} optimiser steps, for charts: element {@code i} is
     * {@code schedule.lr(i, i * tokensPerStep)}, the rate step {@code i} trains with.
     */
    static double[] sample(LrSchedule schedule, int steps, long tokensPerStep) {
        if (schedule == null) {
            throw new FrugalException("sample: schedule is null; pass a schedule such as WsdSchedule.steps(...)");
        }
        if (steps < 0) {
            throw new FrugalException("sample: steps must be >= 0, got " + steps);
        }
        if (tokensPerStep <= 0) {
            throw new FrugalException("sample: tokensPerStep must be > 0 (batch size x sequence length), got "
                    + tokensPerStep);
        }
        double[] lrs = new double[steps];
        for (int i = 0; i < steps; i++) {
            lrs[i] = schedule.lr(i, Math.multiplyExact(i, tokensPerStep));
        }
        return lrs;
    }
}
