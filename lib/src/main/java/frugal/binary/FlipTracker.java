package frugal.binary;

import ai.djl.nn.Block;
import frugal.core.FrugalException;
import java.util.List;

/**
 * Counts sign flips of the latent weights of every {@link FbiLinear} in a model: {@link #check()} returns the
 * fraction of binary weights whose sign changed since the previous check (or since the tracker was made).
 * FBI-LLM reads this flip ratio as a sign of how settled binarized training is.
 */
public final class FlipTracker {
    private final List<FbiLinear> layers;
    private final long[][] last;
    private final long total;

    private FlipTracker(List<FbiLinear> layers) {
        if (layers.isEmpty()) {
            throw new FrugalException("FlipTracker: the model has no FbiLinear layers; track a binarized model"
                    + " (FbiGpt.binarized)");
        }
        this.layers = List.copyOf(layers);
        this.last = new long[layers.size()][];
        long n = 0;
        for (int i = 0; i < layers.size(); i++) {
            last[i] = signs(layers.get(i));
            n += (long) layers.get(i).in() * layers.get(i).out();
        }
        this.total = n;
    }

    /** Tracks every FbiLinear of an initialised model; the current signs are the baseline. */
    public static FlipTracker of(Block model) {
        return new FlipTracker(FbiGpt.layers(model));
    }

    /** Binary weights tracked. */
    public long weights() {
        return total;
    }

    /** Fraction of signs changed since the last check; the current signs become the new baseline. */
    public double check() {
        long flipped = 0;
        for (int i = 0; i < layers.size(); i++) {
            long[] now = signs(layers.get(i));
            flipped += BitPacking.differingBits(last[i], now);
            last[i] = now;
        }
        return (double) flipped / total;
    }

    private static long[] signs(FbiLinear layer) {
        return BitPacking.pack(layer.latentWeight().toFloatArray(), layer.out(), layer.in());
    }
}
