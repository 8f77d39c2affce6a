package frugal.train;

/**
 * Loss and accuracy over an evaluation set.
 *
 * @param loss mean loss, weighted by each batch's token (sample) count
 * @param accuracy fraction of targets equal to the arg-max of the output
 * @param count targets evaluated
 */
public record EvalResult(double loss, double accuracy, long count) {}
