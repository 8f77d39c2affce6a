/**
 * GaLore (Zhao et al., "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection", ICML 2024) and its
 * low-rank baseline, for notebook 07.
 *
 * <ul>
 *   <li>{@link frugal.galore.GaLore}: an {@link frugal.train.Optimizer} wrapping {@link frugal.train.AdamW}; each
 *       selected matrix's gradient is projected on its smaller side onto the top-r singular vectors (truncated SVD on
 *       the host with Smile, refreshed every T steps), Adam runs on the projection, the step is projected back and
 *       scaled by alpha; other parameters get plain AdamW. It counts its state bytes per matrix.</li>
 *   <li>{@link frugal.galore.LoraLinear}: LoRA adapters on a frozen Linear, through TinyGpt's
 *       {@link frugal.nn.LinearFactory}.</li>
 *   <li>{@link frugal.galore.Memory}: bytes of weights, gradients and optimiser state of a run.</li>
 *   <li>{@link frugal.galore.GaLoreExperiment} / {@link frugal.galore.GaLoreResults}: the notebook's runs over seeds,
 *       charts and the claims of the paper card, judged with {@link frugal.stats.Difference}.</li>
 * </ul>
 */
package frugal.galore;
