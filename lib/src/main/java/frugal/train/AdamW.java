package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import frugal.core.GradMode;
import frugal.core.HelperThreads;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), per-group learning rate and decay, computed
 * exactly as PyTorch's {@code torch.optim.AdamW}:
 *
 * <pre>
 *   w -= lr_g * wd_g * w
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 *   w -= lr_g / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * <p>Each parameter is updated by one in-place decay ({@code w *= 1 - lr_g wd_g}, skipped when wd is 0) and ONE
 * native call, the engine's fused Adam update, which also zeroes the gradient. Its bias correction is folded
 * into the step size and epsilon ({@code lr sqrt(bc2) / bc1} and {@code eps sqrt(bc2)}): the same arithmetic
 * rearranged.
 */
public final class AdamW extends SlotOptimizer {
    /**
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the denominator, > 0
     */
    public record Config(double beta1, double beta2, double eps) {
        public Config {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("AdamW eps must be finite and > 0, got " + eps);
            }
        }

        /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
        public static Config defaults() {
            return new Config(0.9, 0.999, 1e-8);
        }
    }

    private static final String KIND = "adamw";
    private static final int M = 0;
    private static final int V = 1;

    private final Config config;

    public AdamW(TrainableParams params, Config config) {
        super(params, KIND, 2);
        this.config = config;
    }

    /** A factory for the training loop. */
    public static Optimizer.Factory factory(Config config) {
        return params -> new AdamW(params, config);
    }

    /** A factory with PyTorch's default betas and eps. */
    public static Optimizer.Factory factory() {
        return factory(Config.defaults());
    }

    public Config config() {
        return config;
    }

    @Override
    public void step(NDList gradients, double lr, double gradScale) {
        step(gradients, lr, gradScale, HelperThreads.SINGLE);
    }

    @Override
    public void step(NDList gradients, double lr, double gradScale, HelperThreads threads) {
        long t = advance(gradients.size());
        double bc1 = 1 - Math.pow(config.beta1(), t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(config.beta2(), t));
        int parts = Math.min(threads.threads(), entries.size());
        int[] owner = owners(parts);
        threads.forParts(parts, part -> {
            if (part > 0) {
                GradMode.offInThisThread(); // a helper thread records autograd by default; in-place updates must not
            }
            for (int i = 0; i < entries.size(); i++) {
                if (owner[i] == part) {
                    update(i, gradients.get(i), lr, bc1, bc2Sqrt, (float) gradScale);
                }
            }
        });
    }

    private void update(int i, NDArray gradient, double lr, double bc1, double bc2Sqrt, float scale) {
        TrainableParams.Entry e = entries.get(i);
        NDArray w = e.array();
        double groupLr = lr * e.group().lrMultiplier();
        if (e.group().weightDecay() > 0) {
            // decoupled decay as torch does it; the fused call's own decay path costs two temporaries
            w.muli(1 - groupLr * e.group().weightDecay());
        }
        w.getNDArrayInternal().adamUpdate(
                new NDList(w, gradient, state.slot(i, M), state.slot(i, V)),
                new NDList(w),
                (float) groupLr,
                (float) (groupLr * bc2Sqrt / bc1),
                0f, // decay applied above
                scale,
                -1f, // no element-wise clipping
                (float) config.beta1(),
                (float) config.beta2(),
                (float) (config.eps() * bc2Sqrt),
                false,
                false);
    }

    @Override
    public String kind() {
        return KIND;
    }
}
