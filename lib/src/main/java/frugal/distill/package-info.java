/**
 * Dataset distillation in the SRe2L family ("batch-to-global matching"), for notebook 04.
 *
 * <ul>
 *   <li>Squeeze: {@link frugal.distill.Squeeze#teacher} trains a BN {@link frugal.distill.Architecture},
 *       cached on disk by {@link frugal.distill.TeacherCache}, into a frozen {@link frugal.distill.Teacher}.
 *   <li>Recover: {@link frugal.distill.Recover#images} optimises the pixels of IPC-major synthetic images
 *       against CE + {@link frugal.distill.BnMatching} under a differentiable {@link frugal.distill.Augment},
 *       as {@link frugal.distill.RecoverConfig} says (SRe2L, SRe2L++, DELT); with a
 *       {@link frugal.distill.Committee}, CV-DD's pairs of members; {@link frugal.distill.EarlyLate} holds
 *       DELT's round schedule and {@link frugal.distill.RealImages} the "medium" real initialisation.
 *   <li>Relabel and evaluate: {@link frugal.distill.Student#train} with hard labels or a
 *       {@link frugal.distill.Labeler} (eval-mode, batch-specific or committee soft labels) under a
 *       {@link frugal.distill.StudentConfig}.
 *   <li>Measure and keep: {@link frugal.distill.Diversity}, {@link frugal.distill.Embedding} (2-D PCA chart),
 *       {@link frugal.distill.DistilledSets} (PNG export and load), {@link frugal.distill.Clock}.
 *   <li>The notebook's experiment: {@link frugal.distill.DistillExperiment} at a
 *       {@link frugal.distill.DistillBudget}, rows of the table being {@link frugal.distill.Method}s.
 * </ul>
 */
package frugal.distill;
