/**
 * Scaling-law fitting and prediction (Kaplan et al. 2020 forms, as used by Su et al. 2024): the converged
 * loss {@code L(N) = (N_c/N)^alpha_N}, the loss after {@code S_min} steps
 * {@code L(N, S_min) = (N_c/N)^alpha_N + (S_c/S_min)^alpha_S}, and the critical batch size
 * {@code B_crit(L) = B_star / L^(1/alpha_B)}, fitted by nonlinear least squares in log space
 * (Apache Commons Math Levenberg-Marquardt) from a {@link frugal.scaling.RunTable} of training runs; and
 * {@link frugal.scaling.ScalingLaw} predictions of loss trajectories, steps / tokens to a target loss and
 * critical batch sizes for model and batch sizes never trained.
 *
 * <p>Units: {@code N} counts non-embedding parameters; {@code B} may be tokens or sequences per step, and
 * {@code B_star} and every critical batch come out in the same unit; tokens (or sequences) processed are
 * {@code E = B * S}; losses are in nats.
 */
package frugal.scaling;
