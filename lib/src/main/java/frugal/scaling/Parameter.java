package frugal.scaling;

/**
 * A fitted constant with its uncertainty: the estimate, its standard error (from the Jacobian at the
 * optimum, {@code cov = s^2 (J^T J)^-1}, propagated by the delta method where the constant is a function of
 * the fitted coordinates) and a 95% confidence interval from Student's t with the fit's residual degrees of
 * freedom. Scale constants ({@code N_c}, {@code S_c}, {@code B_star}) are fitted as logarithms, so their
 * intervals are asymmetric and stay positive.
 */
public record Parameter(String name, double value, double standardError, double lower95, double upper95) {

    /** Whether {@code x} lies inside the 95% interval. */
    public boolean covers(double x) {
        return lower95 <= x && x <= upper95;
    }

    @Override
    public String toString() {
        return String.format("%s = %.4g ± %.2g (95%%: %.4g .. %.4g)", name, value, standardError, lower95, upper95);
    }
}
