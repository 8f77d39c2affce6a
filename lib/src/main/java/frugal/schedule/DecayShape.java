package frugal.schedule;

import frugal.core.FrugalException;

/**
 * The shape of a decay phase: a factor that goes from 1 at the start of the decay to 0 at its end,
 * as a function of the fraction {@code x} in [0, 1] of the decay done.
 *
 * <p>A schedule with final ratio r multiplies its rate by {@code r + (1 - r) * factor(x)}, so it ends at
 * r times the rate the decay started from; for EXPONENTIAL that is the public Power-scheduler code's
 * formula {@code a * exp(-x / t) + b} with its a and b.
 */
public enum DecayShape {
    /** {@code 1 - x}. */
    LINEAR {
        @Override
        double shape(double x) {
            return 1 - x;
        }
    },
    /** {@code (1 + cos(pi x)) / 2}: half a cosine wave. */
    COSINE {
        @Override
        double shape(double x) {
            return (1 + Math.cos(Math.PI * x)) / 2;
        }
    },
    /**
     * {@code (e * exp(-x) - 1) / (e - 1)}: the Power scheduler paper's decay (there over x / t tokens),
     * steep at the start and flat at the end.
     */
    EXPONENTIAL {
        // written as exp(1 - x) over exp(1) so both ends are exact: 1 at x = 0 and 0 (never a tiny
        // negative rate) at x = 1
        private final double eMinusOne = Math.exp(1) - 1;

        @Override
        double shape(double x) {
            return (Math.exp(1 - x) - 1) / eMinusOne;
        }
    },
    /** {@code 1 - sqrt(x)}: the "1-sqrt" cooldown (Hägele et al. 2024), steepest at the start. */
    ONE_MINUS_SQRT {
        @Override
        double shape(double x) {
            return 1 - Math.sqrt(x);
        }
    };

    abstract double shape(double x);

    /** The factor at {@code x}, the fraction of the decay done: 1 at x = 0, 0 at x = 1. */
    public double factor(double x) {
        if (!(x >= 0 && x <= 1)) {
            throw new FrugalException(name() + " decay: x is the fraction of the decay done and must be in [0, 1], got " + x);
        }
        return shape(x);
    }
}
