package frugal.scaling;

import frugal.core.FrugalException;

/**
 * One evaluation of one training run: a model of {@code params} non-embedding parameters trained with
 * {@code batch} tokens (or sequences, consistently across a table) per step had loss {@code loss} (nats)
 * after {@code step} optimizer steps.
 */
public record Observation(String run, double params, double batch, long step, double loss) {

    public Observation {
        if (run == null || run.isBlank()) {
            throw new FrugalException("Observation: run name is empty; give every run a name (e.g. \"N=1e6 B=64\")"
                    + " so errors and groupings can point at it");
        }
        String where = "Observation (run '" + run + "', step " + step + ")";
        if (!(params > 0) || !Double.isFinite(params)) {
            throw new FrugalException(where + ": params is " + params
                    + "; expected the model's non-embedding parameter count, a finite number > 0");
        }
        if (!(batch > 0) || !Double.isFinite(batch)) {
            throw new FrugalException(where + ": batch is " + batch
                    + "; expected tokens (or sequences) per step, a finite number > 0");
        }
        if (step < 1) {
            throw new FrugalException(where + ": step must be >= 1 (steps taken before this evaluation);"
                    + " drop the evaluation at step 0, before any training");
        }
        if (!(loss > 0) || !Double.isFinite(loss)) {
            throw new FrugalException(where + ": loss is " + loss
                    + "; scaling laws need finite losses > 0 (nats): drop diverged or unfinished evaluations");
        }
    }

    /** Tokens (or sequences, in the unit of {@code batch}) processed so far, {@code E = B * S}. */
    public double tokens() {
        return batch * step;
    }
}
