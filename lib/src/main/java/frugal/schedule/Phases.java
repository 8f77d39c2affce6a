package frugal.schedule;

import java.util.function.LongToDoubleFunction;

/**
 * The skeleton WSD, cosine and Power share: a linear warmup from 0, a main curve, then a decay over the
 * last {@code decay} positions that scales the curve's value at the decay start by the decay shape.
 */
final class Phases {
    private Phases() {}

    /**
     * @param main the rate after warmup (a constant for WSD, the power law for Power)
     * @param position where the run is; past {@code total} it is clamped to {@code total}
     */
    static double lr(LongToDoubleFunction main, long warmup, long decay, long total,
            DecayShape shape, double finalRatio, long position) {
        long p = Math.min(position, total);
        if (p < warmup) {
            return main.applyAsDouble(warmup) * p / warmup;
        }
        long decayStart = total - decay;
        if (p < decayStart || decay == 0) {
            return main.applyAsDouble(p);
        }
        double done = (double) (p - decayStart) / decay;
        return main.applyAsDouble(decayStart) * (finalRatio + (1 - finalRatio) * shape.factor(done));
    }
}
