package frugal.scaling;

/**
 * How well a fit describes its data, measured in log space (where the fit is made): {@code rSquared} is
 * {@code 1 - RSS/TSS} of the log targets, {@code rmse} the root mean squared log residual (0.01 means
 * about 1% typical relative error).
 */
public record GoodnessOfFit(int points, int parameters, double rSquared, double rmse) {

    /** Residual degrees of freedom, {@code points - parameters}. */
    public int degreesOfFreedom() {
        return points - parameters;
    }

    @Override
    public String toString() {
        return String.format("%d points, %d parameters, R^2(log) = %.5f, RMSE(log) = %.4g", points, parameters,
                rSquared, rmse);
    }
}
