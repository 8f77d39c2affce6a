package frugal.power;

import frugal.train.History;
import java.util.Map;

/**
 * One branch of a {@link BranchPlan} after training.
 *
 * @param branch the branch
 * @param history its whole run, trunk steps included (the history of the steps done when it diverged)
 * @param metrics what the evaluator measured at the end of the branch; empty when it diverged
 * @param divergence why training stopped (the trunk's reason when the trunk diverged before the branch
 *     point); null when the branch finished
 */
public record BranchResult(BranchPlan.Branch branch, History history, Map<String, Double> metrics,
        String divergence) {
    public BranchResult {
        metrics = Map.copyOf(metrics);
    }

    public boolean diverged() {
        return divergence != null;
    }

    /** The evaluator's metric {@code name}; NaN when the branch diverged. */
    public double metric(String name) {
        return diverged() ? Double.NaN : metrics.getOrDefault(name, Double.NaN);
    }
}
