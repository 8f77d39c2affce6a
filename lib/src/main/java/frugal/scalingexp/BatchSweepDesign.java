package frugal.scalingexp;

import frugal.core.FrugalException;
import java.util.List;
import java.util.Locale;

/**
 * Step 3's batch sweep, designed to span the critical batch at a target loss: batches well below and well above a
 * guess of {@code B_crit(target)}, each run trained for the steps it needs to reach the target with room to spare,
 * {@code S(B) = S_min (1 + B_crit / B)} times {@code margin} (Kaplan et al. 2020, eq. 5.1; McCandlish et al. 2018).
 * A big batch needs more tokens than a small one to reach the same loss, {@code E = E_min (1 + B / B_crit)}, so a
 * sweep that gives every run the same tokens leaves its big batches short of the low losses, and a sweep whose
 * batches all lie on one side of {@code B_crit} can only extrapolate it. Whether the measured critical batch at the
 * target really lies inside the swept range is checked after the runs ({@link CriticalBatchEstimate.Level#bracketed}).
 *
 * @param targetLoss the loss at which the critical batch must be spanned (and the steps-to-target check is made)
 * @param criticalBatchGuess {@code B_crit(targetLoss)} in tokens, from a pilot
 * @param minStepsGuess {@code S_min(targetLoss)} of the sweep's model size, from a pilot
 * @param batches the swept batches in sequences, ascending
 * @param margin how many times the guessed steps each run gets (the guesses are rough)
 */
public record BatchSweepDesign(double targetLoss, double criticalBatchGuess, double minStepsGuess, List<Integer> batches,
        double margin) {
    public BatchSweepDesign {
        batches = List.copyOf(batches);
        if (!(targetLoss > 0) || !(criticalBatchGuess > 0) || !(minStepsGuess > 0) || !(margin >= 1)) {
            throw new FrugalException(String.format(Locale.ROOT, "BatchSweepDesign: need a target loss, critical batch"
                    + " and S_min > 0 and margin >= 1; got %s, %s, %s, %s", targetLoss, criticalBatchGuess,
                    minStepsGuess, margin));
        }
        if (batches.size() < CriticalBatchEstimate.MIN_BATCHES) {
            throw new FrugalException("BatchSweepDesign: a critical batch needs at least "
                    + CriticalBatchEstimate.MIN_BATCHES + " batches, got " + batches);
        }
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i) < 1 || i > 0 && batches.get(i) <= batches.get(i - 1)) {
                throw new FrugalException("BatchSweepDesign: batches must be >= 1 and ascending, got " + batches);
            }
        }
    }

    /** The steps the run at {@code batch} sequences of {@code context} characters gets. */
    public long steps(int batch, int context) {
        return (long) Math.ceil(margin * minStepsGuess * (1 + criticalBatchGuess / ((double) batch * context)));
    }

    /**
     * Whether the batches span the guess by {@link CriticalBatchEstimate.Level#BRACKET_FACTOR} on each side, in
     * {@code context}-character sequences: a design that does not is refused by {@link ScalingExperiment}.
     */
    public boolean spansGuess(int context) {
        double factor = CriticalBatchEstimate.Level.BRACKET_FACTOR;
        return (double) batches.get(0) * context * factor <= criticalBatchGuess
                && (double) batches.get(batches.size() - 1) * context >= factor * criticalBatchGuess;
    }
}
