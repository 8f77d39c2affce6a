package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {}

    /** sqrt(sum of squares of every gradient element), computed on the device with one read back. */
    public static double globalNorm(NDList gradients) {
        NDList norms = new NDList(gradients.size());
        for (NDArray g : gradients) {
            norms.add(g.norm());
        }
        return Evaluation.scalar(NDArrays.stack(norms).norm(), "gradient norm");
    }

    /** The factor that brings {@code norm} down to {@code maxNorm}: max / (norm + 1e-6), never above 1. */
    public static double scaleFor(double norm, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /** Scales the gradients in place so their global norm is at most {@code maxNorm}; returns the norm before. */
    public static double clip(NDList gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        double scale = scaleFor(norm, maxNorm);
        if (scale < 1.0) {
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        return norm;
    }
}
