package frugal.scalingexp;

import frugal.core.FrugalException;
import frugal.mup.MupConfig;
import frugal.schedule.DecayShape;
import frugal.schedule.LrSchedule;
import frugal.schedule.ScheduleUnit;
import frugal.schedule.WsdSchedule;

/**
 * What the constants of a scaling law belong to (the paper's step 0): the corpus, its character tokenizer, the
 * context length, the learning-rate schedule shape (linear warmup, then constant) and the parametrization. Every run
 * of a study shares one setup; change any of it and the constants change (claim C4).
 *
 * <p>Under muP ({@code mup} enabled) one {@code lr} is right at every width: hidden matrices train at
 * {@code lr / m} with {@code m = width / baseWidth}, their init and the output logits scale with {@code m}
 * ({@link MupConfig}), so the lr tuned on the base width transfers to the whole ladder and the held-out model.
 * Under the standard parametrization the same lr is too large for wide models, which then learn more slowly than
 * a law fitted on narrow ones says.
 *
 * @param corpus the training text
 * @param context characters per training window (and the model's context)
 * @param lr the peak learning rate of AdamW, the same for every model size
 * @param warmupSteps linear warmup length; the constant rate after it makes the loss at step S independent of how
 *     long the run goes on, so one run gives the whole trajectory
 * @param mup the parametrization: {@link MupConfig#paper} for muP, {@link MupConfig#disabled()} for standard
 */
public record Setup(Corpus corpus, int context, double lr, int warmupSteps, MupConfig mup) {
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
        if (mup == null) {
            throw new FrugalException("Setup: mup is null; use MupConfig.paper(baseWidth) or MupConfig.disabled()");
        }
    }

    /** The same setup on another corpus (the second setup of claim C4 changes only the data). */
    public Setup withCorpus(Corpus other) {
        return new Setup(other, context, lr, warmupSteps, mup);
    }

    /** Warmup then constant, for a run of {@code steps} steps. */
    public LrSchedule schedule(long steps) {
        return new WsdSchedule(lr, steps, Math.min(warmupSteps, steps), 0, DecayShape.LINEAR, 1, ScheduleUnit.STEPS);
    }

    /** {@code "fortunes, context 64"}. */
    public String label() {
        return corpus.label() + ", context " + context;
    }

    /** {@code "muP (base width 32), lr 0.01"} or {@code "standard, lr 0.006"}. */
    public String parametrization() {
        return (mup.enabled() ? "muP (base width " + mup.baseWidth() + ")" : "standard") + ", lr " + lr;
    }
}
