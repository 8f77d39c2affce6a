package frugal.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import java.util.List;

/**
 * The load-balancing loss LBL = N_E * sum_i f_i * p_i (Switch Transformer; "Demons in the Detail"), per
 * balancing group, averaged over groups and MoE layers. In a group, f_i is the fraction of its token picks
 * that went to expert i (they sum to 1, so a perfectly balanced router scores 1) and p_i the mean router
 * probability of expert i over its tokens.
 *
 * <p>f_i counts discrete picks: it carries no gradient (here it is a constant array made from the picks), and
 * the loss pushes on the probabilities p_i, lowering those of the experts the group over-uses. Where f_i is
 * gathered (the {@link BalanceScope}) decides what "over-used" means: inside one sequence, or over a corpus.
 */
public final class LoadBalance {
    private LoadBalance() {}

    /** The LBL of the forward pass the routings come from; a scalar on {@code manager}. */
    public static NDArray loss(List<Routing> routings, BalanceScope scope, NDManager manager) {
        if (routings.isEmpty()) {
            throw new FrugalException("no routings: the model has no MoE layer, or no forward ran");
        }
        NDArray total = null;
        int groups = 0;
        for (Routing r : routings) {
            groups = scope.groupsIn(r.rows());
            NDArray f = manager.create(fractions(r, scope), new Shape(groups, r.experts()));
            NDArray p = r.probs().reshape(groups, (long) scope.sequences() * r.tokensPerRow(), r.experts())
                    .mean(new int[] {1});
            NDArray layer = p.mul(f).sum();
            total = total == null ? layer : total.add(layer);
        }
        // N_E / (groups * layers), as an array: autograd keeps it until the backward
        int experts = routings.get(0).experts();
        return total.mul(manager.create((float) experts / ((float) groups * routings.size())));
    }

    /** f: per group (row-major, groups x N_E) the share of the group's picks each expert got. */
    static float[] fractions(Routing r, BalanceScope scope) {
        int groups = scope.groupsIn(r.rows());
        int n = r.experts();
        float[] f = new float[groups * n];
        double picks = (double) scope.sequences() * r.tokensPerRow() * r.topK();
        for (int g = 0; g < groups; g++) {
            long[] counts = r.counts(g * scope.sequences(), (g + 1) * scope.sequences());
            for (int i = 0; i < n; i++) {
                f[g * n + i] = (float) (counts[i] / picks);
            }
        }
        return f;
    }
}
