package frugal.schedule;

import frugal.core.FrugalException;

/**
 * Linear warmup from 0 to {@code peakLr}, then half a cosine down to {@code finalRatio * peakLr} at
 * {@code total}: {@code lr(p) = peak * (r + (1 - r) * (1 + cos(pi * (p - warmup) / (total - warmup))) / 2)}
 * for {@code warmup <= p <= total}; past {@code total} the end value {@code r * peak}.
 *
 * <p>It is WSD with no stable phase and a {@link DecayShape#COSINE} decay, and is computed as such.
 *
 * @param peakLr the rate at the end of the warmup; finite and >= 0
 * @param total the run length, > 0
 * @param warmup the warmup length, >= 0 and < total
 * @param finalRatio the rate at the end over {@code peakLr}, in [0, 1] (0.1 is a common choice)
 * @param unit what the lengths count
 */
public record CosineSchedule(double peakLr, long total, long warmup, double finalRatio, ScheduleUnit unit)
        implements LrSchedule {
    public CosineSchedule {
        Checks.learningRate("cosine peakLr", peakLr);
        Checks.fraction("cosine finalRatio", finalRatio);
        Checks.present("cosine unit (ScheduleUnit.STEPS or TOKENS)", unit);
        Checks.phasesFit(warmup, 0, total, unit);
        if (warmup == total) {
            throw new FrugalException("cosine warmup (" + warmup + ") takes the whole run (" + total + " "
                    + unit.label() + "): leave room for the cosine decay, or use a WsdSchedule");
        }
    }

    /** A step-indexed cosine with warmup. */
    public static CosineSchedule steps(double peakLr, long totalSteps, long warmupSteps, double finalRatio) {
        return new CosineSchedule(peakLr, totalSteps, warmupSteps, finalRatio, ScheduleUnit.STEPS);
    }

    /** A token-indexed cosine with warmup. */
    public static CosineSchedule tokens(double peakLr, long totalTokens, long warmupTokens, double finalRatio) {
        return new CosineSchedule(peakLr, totalTokens, warmupTokens, finalRatio, ScheduleUnit.TOKENS);
    }

    /** Reads the step or the tokens, as {@link #unit()} says; past {@link #total()} returns the end value. */
    @Override
    public double lr(long step, long tokens) {
        return Phases.lr(p -> peakLr, warmup, total - warmup, total, DecayShape.COSINE, finalRatio,
                unit.position(step, tokens));
    }
}
