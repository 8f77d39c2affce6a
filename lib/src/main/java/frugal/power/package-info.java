/**
 * Notebook 01's experiment: the Power scheduler paper (Shen et al. 2024) at toy scale, a character-level tiny GPT
 * on fortunes.
 *
 * <pre>{@code
 * var exp = PowerExperiment.forBudget("full");
 * var wsd = WsdGrid.of(exp, Sweep.of(exp.wsdConfigs()).run(new PowerRun(), LocalExecutor.workers(2), store));
 * GammaFit fit = wsd.gammaFit();                                  // eta_opt / batch = a T^b
 * var cmp = ScheduleComparison.of(wsd, Sweep.of(exp.comparisonConfigs(fit, wsd.powerEtaMax(), wsd.referenceLr()))
 *         .run(...), ...);
 * }</pre>
 *
 * <p>{@link frugal.power.BranchPlan} and {@link frugal.power.BranchedTraining} train every token budget of a WSD or
 * Power recipe off one shared trunk through {@code frugal.train} (checkpoint at each branch point, resume with the
 * branch's schedule). {@link frugal.power.PowerRun} is the sweep's run function; {@link frugal.power.PowerExperiment}
 * the two budgets and the sweep configurations; {@link frugal.power.LrOptimum}, {@link frugal.power.WsdGrid},
 * {@link frugal.power.GammaFit}, {@link frugal.power.ScheduleComparison} and {@link frugal.power.MupTransfer} the
 * analysis; {@link frugal.power.SeedSpread} a per-seed quantity's t interval over the seeds (through
 * {@code frugal.stats}); {@link frugal.power.PowerClaims} the claims table, judged on those intervals.
 *
 * <p>The regime: the full budget's model (1 layer, width 32, N = 16,384 non-embedding parameters) sees 10 to 200
 * tokens per parameter ({@link frugal.power.PowerExperiment#tokensPerParameter}), the over-trained regime the
 * paper's law is about; the test tree's {@code StepCostBench} measures what a step of each candidate model costs.
 */
package frugal.power;
