package frugal.schedule;

import frugal.core.FrugalException;
import java.util.Locale;

/**
 * What a schedule's lengths (warmup, decay, run length) are counted in: optimiser steps or tokens seen.
 *
 * <p>Token-indexed schedules give the same curve over data whatever the batch size, which is what the
 * Power scheduler paper sweeps; step-indexed ones are the classic choice when the batch size is fixed.
 */
public enum ScheduleUnit {
    STEPS,
    TOKENS;

    /** The coordinate of {@link LrSchedule#lr(long, long)} this unit reads; a negative one is an error. */
    public long position(long step, long tokens) {
        long position = this == STEPS ? step : tokens;
        if (position < 0) {
            throw new FrugalException("schedule queried at " + label() + " = " + position + ": "
                    + label() + " count from 0 (the first step sees 0 " + label() + " before it)");
        }
        return position;
    }

    /**
     * The number of optimiser steps whose positions lie before {@code position}, i.e. the index of the
     * first step at or past it: {@code position} itself in steps, {@code ceil(position / tokensPerStep)}
     * in tokens.
     *
     * @param tokensPerStep tokens per optimiser step; must be > 0, read only for {@link #TOKENS}
     */
    public long stepsBefore(long position, long tokensPerStep) {
        Checks.nonNegative("position", position);
        Checks.positive("tokensPerStep", tokensPerStep);
        return this == STEPS ? position : Math.floorDiv(position + tokensPerStep - 1, tokensPerStep);
    }

    /** "steps" or "tokens", for messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
