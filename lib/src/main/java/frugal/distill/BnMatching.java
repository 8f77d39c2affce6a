package frugal.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import frugal.core.FrugalException;
import frugal.nn.BnStats;
import java.util.List;

/**
 * SRe2L's batch-norm statistics matching: how far the batch's per-channel statistics at the input of
 * every BN layer are from the teacher's running statistics,
 * {@code sum_l m_l (||mu_l - running_mean_l||_2 + ||var_l - running_var_l||_2)}, plain (not squared)
 * L2 norms, biased batch variance, {@code m_1} for the first layer and 1 for the others.
 */
public final class BnMatching {
    /** SRe2L's {@code first_bn_multiplier}. */
    public static final double FIRST_LAYER_MULTIPLIER = 10;

    private BnMatching() {}

    /**
     * The matching loss over the recorded {@code entries} (from {@link BnStats}, still on the autograd
     * graph). Entry {@code layerIndex} 0 is the first layer. The multiplier is an array created on
     * {@code manager}, which must stay open until the backward pass has run.
     */
    public static NDArray loss(List<BnStats.Entry> entries, double firstLayerMultiplier, NDManager manager) {
        if (entries.isEmpty()) {
            throw new FrugalException("BN matching found no batch-norm statistics: the model has no BatchNormLayer,"
                    + " or the forward ran outside BnStats.capture(model)");
        }
        if (!(firstLayerMultiplier >= 0) || Double.isInfinite(firstLayerMultiplier)) {
            throw new FrugalException("the first BN layer's multiplier must be finite and >= 0, got "
                    + firstLayerMultiplier);
        }
        NDArray total = null;
        for (BnStats.Entry e : entries) {
            NDArray term = distance(e);
            if (e.layerIndex() == 0 && firstLayerMultiplier != 1) {
                // an array that outlives the backward pass (multiplying by a Java number would free it early)
                term = term.mul(manager.create((float) firstLayerMultiplier));
            }
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** One layer's unweighted term: ||mu - running mean||_2 + ||var - running var||_2. */
    public static NDArray distance(BnStats.Entry e) {
        NDArray mean = e.batchMean().sub(e.runningMean()).square().sum().sqrt();
        NDArray var = e.batchVariance().sub(e.runningVar()).square().sum().sqrt();
        return mean.add(var);
    }
}
