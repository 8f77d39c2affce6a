package frugal.schedule;

import frugal.core.FrugalException;

/**
 * The Power scheduler (Shen et al. 2024, "Power Scheduler: A Batch Size and Token Number Agnostic
 * Learning Rate Scheduler"), indexed by TOKENS seen: {@code etaPower(n) = min(etaMax, batchSize * a * n^b)}.
 *
 * <p>Warmup ({@code n < warmupTokens}): a linear ramp from 0 to {@code etaPower(warmupTokens)}. Then
 * {@code etaPower(n)}, which keeps falling as a power law (there is no constant phase). Over the last
 * {@code decayTokens}: {@code shape.factor(x) * etaPower(totalTokens - decayTokens)} with x the fraction
 * of the decay done, down to 0 at {@code totalTokens}; past the end it stays 0 (the end value).
 * It reads {@code tokens} only: a and b are fitted with n in tokens, so a step-indexed version would
 * need its own fit.
 *
 * @param a the power law's scale, > 0 (the paper uses 4; its fit gives 4.6)
 * @param b the power law's exponent, < 0 (the paper fits -0.51)
 * @param etaMax the cap on the rate, > 0 (the paper uses 0.02)
 * @param batchSize the batch size beta in SEQUENCES (not tokens), > 0
 * @param totalTokens the run length in tokens, > 0
 * @param warmupTokens the warmup length in tokens, >= 0
 * @param decayTokens the decay length in tokens, >= 0, with {@code warmupTokens + decayTokens <= totalTokens}
 * @param shape how the decay falls (the paper: {@link DecayShape#EXPONENTIAL})
 */
public record PowerSchedule(double a, double b, double etaMax, long batchSize, long totalTokens,
        long warmupTokens, long decayTokens, DecayShape shape) implements LrSchedule {
    /** The paper's final a (perplexity was insensitive to a in [3, 5]). */
    public static final double PAPER_A = 4;
    /** The paper's final b. */
    public static final double PAPER_B = -0.51;
    /** The paper's final cap on the rate. */
    public static final double PAPER_ETA_MAX = 0.02;

    public PowerSchedule {
        if (!(a > 0) || Double.isInfinite(a)) {
            throw new FrugalException("Power a must be finite and > 0 (the paper uses 4), got " + a);
        }
        if (!(b < 0) || Double.isInfinite(b)) {
            throw new FrugalException("Power b must be negative: the paper fits b = -0.51; got " + b);
        }
        if (!(etaMax > 0) || Double.isInfinite(etaMax)) {
            throw new FrugalException("Power etaMax must be finite and > 0 (the paper uses 0.02), got " + etaMax);
        }
        if (batchSize <= 0) {
            throw new FrugalException("Power batchSize must be > 0 sequences per step, got " + batchSize);
        }
        Checks.present("Power decay shape", shape);
        Checks.phasesFit(warmupTokens, decayTokens, totalTokens, ScheduleUnit.TOKENS);
    }

    /** The paper's final settings (a = 4, b = -0.51, etaMax = 0.02) with an exponential decay. */
    public static PowerSchedule paper(long batchSize, long totalTokens, long warmupTokens, long decayTokens) {
        return new PowerSchedule(PAPER_A, PAPER_B, PAPER_ETA_MAX, batchSize, totalTokens, warmupTokens,
                decayTokens, DecayShape.EXPONENTIAL);
    }

    /** {@code min(etaMax, batchSize * a * tokens^b)}: the rate the power law gives after {@code tokens}. */
    public double etaPower(long tokens) {
        Checks.nonNegative("Power tokens", tokens);
        // at 0 tokens n^b is +infinity, so the cap applies
        return Math.min(etaMax, batchSize * a * Math.pow(tokens, b));
    }

    /** Reads {@code tokens} only; past {@link #totalTokens()} returns the end value 0. */
    @Override
    public double lr(long step, long tokens) {
        return Phases.lr(this::etaPower, warmupTokens, decayTokens, totalTokens, shape, 0,
                ScheduleUnit.TOKENS.position(step, tokens));
    }
}
