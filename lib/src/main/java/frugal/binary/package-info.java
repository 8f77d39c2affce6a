/**
 * Fully binarized transformers after FBI-LLM (Ma et al. 2024): {@link frugal.binary.FbiLinear} (signs of a
 * latent weight, per-column scale and shift, straight-through gradient) and {@link frugal.binary.FbiGpt}
 * (binarized TinyGpt, post-training binarization); {@link frugal.binary.Distillation} (autoregressive
 * distillation from a teacher); {@link frugal.binary.FlipTracker} (sign-flip ratio); 1-bit inference in plain
 * Java: {@link frugal.binary.BitPacking}, {@link frugal.binary.PackedLinear} (look-up-table kernels: plain Java,
 * or the Vector API on JDK 25), {@link frugal.binary.PackedGpt} (batch-1 decoder with a KV cache, save / load); and
 * {@link frugal.binary.FbiExperiment}, notebook 03's experiment and claims.
 */
package frugal.binary;
