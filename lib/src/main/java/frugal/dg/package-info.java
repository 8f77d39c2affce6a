/**
 * Domain generalization the DomainBed way: rotated-domain data ({@link frugal.dg.RotatedFashionMnist}),
 * algorithms behind a small interface ({@link frugal.dg.Algorithm}: {@link frugal.dg.Erm}, {@link frugal.dg.Lfme}
 * and its expert-free variant), the leave-one-domain-out runner with checkpoint model selection
 * ({@link frugal.dg.LeaveOneDomainOut}, {@link frugal.dg.ModelSelection}), results tables and charts
 * ({@link frugal.dg.DgResults}), per-class evaluation with provenance through Tribuo
 * ({@link frugal.dg.ClassEvaluation}), LFME's hard-sample analysis ({@link frugal.dg.HardSamples}) and notebook
 * 05's budgeted experiment ({@link frugal.dg.DgExperiment}).
 *
 * <pre>{@code
 * var experiment = DgExperiment.forBudget("quick");
 * DgResults results = experiment.run(experiment.loadDomains(), manager);
 * results.table(ModelSelection.TRAINING_DOMAIN_VALIDATION);
 * }</pre>
 */
package frugal.dg;
