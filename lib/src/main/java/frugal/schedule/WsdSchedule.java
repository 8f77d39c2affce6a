package frugal.schedule;

import frugal.core.FrugalException;

/**
 * Warmup-stable-decay: a linear warmup from 0 to {@code peakLr} over the first {@code warmup} positions,
 * {@code peakLr} until the last {@code decay} positions, then a decay of the given shape down to
 * {@code finalRatio * peakLr} at {@code total}.
 *
 * <p>Positions are steps or tokens, as {@code unit} says (the Power scheduler paper counts tokens).
 * Exactly: {@code lr(p) = peak * p / warmup} for {@code p < warmup}; {@code peak} for
 * {@code warmup <= p < total - decay}; {@code peak * (r + (1 - r) * shape.factor((p - (total - decay)) / decay))}
 * for {@code total - decay <= p <= total}; past {@code total} the end value {@code r * peak} (or
 * {@code peak} when there is no decay phase). Because the stable phase is constant, runs with several
 * budgets can share one stable run and branch off it: see {@link #branch(long)} and {@link WsdBranches}.
 *
 * @param peakLr the stable rate; finite and >= 0
 * @param total the run length, > 0
 * @param warmup the warmup length, >= 0
 * @param decay the decay length, >= 0, with {@code warmup + decay <= total}
 * @param shape how the decay falls
 * @param finalRatio the rate at the end over {@code peakLr}, in [0, 1]
 * @param unit what the lengths count
 */
public record WsdSchedule(double peakLr, long total, long warmup, long decay, DecayShape shape,
        double finalRatio, ScheduleUnit unit) implements LrSchedule {
    public WsdSchedule {
        Checks.learningRate("WSD peakLr", peakLr);
        Checks.present("WSD decay shape", shape);
        Checks.fraction("WSD finalRatio", finalRatio);
        Checks.present("WSD unit (ScheduleUnit.STEPS or TOKENS)", unit);
        Checks.phasesFit(warmup, decay, total, unit);
    }

    /** A step-indexed WSD that decays to 0. */
    public static WsdSchedule steps(double peakLr, long totalSteps, long warmupSteps, long decaySteps,
            DecayShape shape) {
        return new WsdSchedule(peakLr, totalSteps, warmupSteps, decaySteps, shape, 0, ScheduleUnit.STEPS);
    }

    /** A token-indexed WSD that decays to 0, as in the Power scheduler paper. */
    public static WsdSchedule tokens(double peakLr, long totalTokens, long warmupTokens, long decayTokens,
            DecayShape shape) {
        return new WsdSchedule(peakLr, totalTokens, warmupTokens, decayTokens, shape, 0, ScheduleUnit.TOKENS);
    }

    /**
     * A WSD whose warmup and decay are fractions of the run (the paper decays over the last ~10%),
     * rounded to the nearest whole step or token; it decays to 0.
     */
    public static WsdSchedule ofFractions(double peakLr, long total, double warmupFraction,
            double decayFraction, DecayShape shape, ScheduleUnit unit) {
        Checks.positive("WSD run length (total)", total);
        long warmup = Math.round(Checks.fraction("WSD warmupFraction", warmupFraction) * total);
        long decay = Math.round(Checks.fraction("WSD decayFraction", decayFraction) * total);
        return new WsdSchedule(peakLr, total, warmup, decay, shape, 0, unit);
    }

    /** This schedule, decaying to {@code ratio * peakLr} instead. */
    public WsdSchedule withFinalRatio(double ratio) {
        return new WsdSchedule(peakLr, total, warmup, decay, shape, ratio, unit);
    }

    /** Where the decay starts (and the stable phase ends). */
    public long decayStart() {
        return total - decay;
    }

    /**
     * The run of the same recipe with budget {@code budget}: same peak, warmup, shape, final ratio and
     * unit, and the same decay fraction ({@code decay / total}), its length rounded to the nearest whole
     * step or token. Before its decay starts it is identical to this run's stable phase, so it can be
     * trained from a checkpoint of any longer run of the recipe taken at its {@link #decayStart()}.
     */
    public WsdSchedule branch(long budget) {
        Checks.positive("WSD branch budget", budget);
        long branchDecay = Math.round((double) decay / total * budget);
        if (warmup > budget - branchDecay) {
            throw new FrugalException("WSD branch budget " + budget + " " + unit.label()
                    + " is too short: its warmup (" + warmup + ") + decay (" + branchDecay + ", "
                    + decay + "/" + total + " of the budget) do not fit; use a budget of at least about "
                    + (long) Math.ceil(warmup / (1 - (double) decay / total)) + " " + unit.label());
        }
        return new WsdSchedule(peakLr, budget, warmup, branchDecay, shape, finalRatio, unit);
    }

    /** Reads the step or the tokens, as {@link #unit()} says; past {@link #total()} returns the end value. */
    @Override
    public double lr(long step, long tokens) {
        return Phases.lr(p -> peakLr, warmup, decay, total, shape, finalRatio, unit.position(step, tokens));
    }
}
