package frugal.dg;

import java.util.List;

/**
 * One training run: an algorithm, a trial, a held-out test domain.
 *
 * @param algorithm the algorithm's name
 * @param trial 0-based trial
 * @param testDomain index of the held-out domain
 * @param loss the training objective at every step
 * @param checkpoints evaluated checkpoints, in step order
 * @param testLabels the true class of each evaluated test image
 * @param expertPredictions for algorithms with experts: {@code [e][i]} is expert e's predicted class for test image
 *     i after training (analysis only; never used to predict); empty otherwise
 * @param predictorParameters parameters of the network that predicts at test time
 * @param trainSeconds wall time of the training steps
 * @param evalSeconds wall time of the checkpoint evaluations
 */
public record DgRun(String algorithm, int trial, int testDomain, double[] loss, List<CheckpointRecord> checkpoints,
        int[] testLabels, int[][] expertPredictions, long predictorParameters, double trainSeconds,
        double evalSeconds) {
    public DgRun {
        checkpoints = List.copyOf(checkpoints);
    }

    /** The checkpoint {@code selection} chooses. */
    public CheckpointRecord selected(ModelSelection selection) {
        return selection.select(checkpoints, testDomain);
    }
}
