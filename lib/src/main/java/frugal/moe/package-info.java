/**
 * Mixture-of-experts MLPs for {@link frugal.nn.TinyGpt} and where their load-balancing loss gathers its expert
 * fractions ("Demons in the Detail", notebook 06): the MoE block ({@link frugal.moe.MoeMlp}: top-k softmax
 * router, capacity-free dispatch), the routing each forward leaves ({@link frugal.moe.RoutingTrace}), the LBL
 * over a {@link frugal.moe.BalanceScope} (micro-batch, groups of micro-batches, global batch;
 * {@link frugal.moe.LoadBalance}, {@link frugal.moe.MoeLoss}), domain-labelled text of JDK code and fortune topics
 * ({@link frugal.moe.DomainMixture}), per-domain routing statistics ({@link frugal.moe.RoutingStats}) and the
 * budgeted experiment with its charts and claims ({@link frugal.moe.MoeExperiment}, {@link frugal.moe.MoeResults},
 * {@link frugal.moe.MoeClaims}).
 *
 * <pre>{@code
 * var trace = new RoutingTrace(config.layers());
 * var model = new TinyGpt(config, LinearFactory.dense(), MoeMlp.factory(new MoeConfig(8, 2, 64), trace));
 * var loss = new MoeLoss(trace, BalanceScope.globalBatch(16), 0.05);   // CE + 0.05 * LBL over the step
 * }</pre>
 */
package frugal.moe;
