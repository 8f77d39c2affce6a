package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.schedule.DecayShape;
import frugal.schedule.LrSchedule;
import frugal.schedule.ScheduleUnit;
import frugal.schedule.WsdSchedule;

/**
 * What the constants of a scaling law belong to (the paper's step 0): the corpus, its character tokenizer, the
 * context length and the learning-rate schedule shape (linear warmup, then constant). Every run of a study shares
 * one setup; change any of it and the constants change (claim C4).
 *
 * @param corpus the training text
 * @param context characters per training window (and the model's context)
 * @param lr the peak learning rate of AdamW, the same for every model size
 * @param warmupSteps linear warmup length; the constant rate after it makes the loss at step S independent of how
 *     long the run goes on, so one run gives the whole trajectory
 */
public record Setup(Corpus corpus, int context, double lr, int warmupSteps) {
    public Setup {
        if (corpus == null) {
            throw new FrugalException("Setup: corpus is null; use Corpus.FORTUNES or Corpus.JDK_SOURCE");
        }
        if (context < 2) {
            throw new FrugalException("Setup: context must be >= 2 characters, got " + context);
        }
        if (!(lr > 0 && lr < 1)) {
            throw new FrugalException("Setup: learning rate must be in (0, 1), got " + lr);
        }
        if (warmupSteps < 0) {
            throw new FrugalException("Setup: warmupSteps must be >= 0, got " + warmupSteps);
        }
    }

    /** Warmup then constant, for a run of {@code steps} steps. */
    public LrSchedule schedule(long steps) {
        return new WsdSchedule(lr, steps, Math.min(warmupSteps, steps), 0, DecayShape.LINEAR, 1, ScheduleUnit.STEPS);
    }

    /** {@code "fortunes, context 64"}. */
    public String label() {
        return corpus.label() + ", context " + context;
    }
}
