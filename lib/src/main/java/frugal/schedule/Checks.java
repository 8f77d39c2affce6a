package frugal.schedule;

import frugal.core.FrugalException;

/** Config validation shared by the schedules, so every schedule words the same mistake the same way. */
final class Checks {
    private Checks() {}

    static double learningRate(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new FrugalException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    static double fraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new FrugalException(name + " must be in [0, 1], got " + value);
        }
        return value;
    }

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new FrugalException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    static long positive(String name, long value) {
        if (value <= 0) {
            throw new FrugalException(name + " must be > 0, got " + value);
        }
        return value;
    }

    static <T> T present(String name, T value) {
        if (value == null) {
            throw new FrugalException(name + " is null; pass one explicitly");
        }
        return value;
    }

    /** Warmup and decay are lengths at the two ends of the run; together they must fit in it. */
    static void phasesFit(long warmup, long decay, long total, ScheduleUnit unit) {
        nonNegative("warmup", warmup);
        nonNegative("decay", decay);
        positive("run length (total " + unit.label() + ")", total);
        if (warmup > total - decay) {
            throw new FrugalException("warmup (" + warmup + ") + decay (" + decay + ") = " + (warmup + decay)
                    + " " + unit.label() + " is longer than the run (" + total + " " + unit.label()
                    + "): shorten the warmup or the decay, or lengthen the run");
        }
    }
}
