package frugal.moe;

import frugal.train.History;

/**
 * One trained MoE model: its balancing scope, seed, training history (with the held-out evaluations
 * {@link MoeExperiment#VAL_LOSS}, {@link MoeExperiment#MUTUAL_INFORMATION}, {@link MoeExperiment#MAX_LOAD})
 * and the routing statistics of its final model.
 */
public record MoeRun(BalanceScope scope, int seed, History history, RoutingStats stats, double trainSeconds) {}
