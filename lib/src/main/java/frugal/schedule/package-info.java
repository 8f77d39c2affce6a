/**
 * Learning-rate schedules: constant, cosine with warmup, warmup-stable-decay (WSD) with decay shapes and
 * branching at several budgets, and the Power scheduler.
 *
 * <p>Every schedule is an immutable record validated on construction, and a pure function
 * {@link frugal.schedule.LrSchedule#lr(long, long)} of the steps taken and the tokens seen before the
 * current step. WSD and cosine count their lengths in steps or tokens as their {@link
 * frugal.schedule.ScheduleUnit} says; Power counts tokens, as in its paper. Past the end of the run a
 * schedule returns its end value; a negative step or token count is an error.
 */
package frugal.schedule;
