package frugal.schedule;

/**
 * One learning rate for the whole run; reads neither the step nor the tokens.
 *
 * @param lr the rate; finite and >= 0
 */
public record ConstantSchedule(double lr) implements LrSchedule {
    public ConstantSchedule {
        Checks.learningRate("constant learning rate", lr);
    }

    @Override
    public double lr(long step, long tokens) {
        return lr;
    }
}
