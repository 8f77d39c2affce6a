package frugal.dg;

import frugal.core.FrugalException;
import java.util.List;

/** How a run's reported checkpoint is chosen (DomainBed, section 3). */
public enum ModelSelection {
    /**
     * The checkpoint with the best mean out-split accuracy over the TRAINING domains: no test-domain data
     * is used, so this is the honest domain-generalization number.
     */
    TRAINING_DOMAIN_VALIDATION("training-domain validation") {
        @Override
        double score(CheckpointRecord c, int testDomain) {
            double sum = 0;
            int n = 0;
            for (int d = 0; d < c.outAccuracy().length; d++) {
                if (d != testDomain) {
                    sum += c.outAccuracy()[d];
                    n++;
                }
            }
            return sum / n;
        }
    },
    /**
     * ORACLE: the checkpoint with the best accuracy on the test domain's out split. It peeks at the test
     * domain, so it is an upper reference, not a domain-generalization result.
     */
    ORACLE("oracle (test-domain validation, not a DG result)") {
        @Override
        double score(CheckpointRecord c, int testDomain) {
            return c.outAccuracy()[testDomain];
        }
    };

    private final String label;

    ModelSelection(String label) {
        this.label = label;
    }

    /** How tables and charts name it. */
    public String label() {
        return label;
    }

    abstract double score(CheckpointRecord c, int testDomain);

    /** The best-scoring checkpoint; on a tie, the earliest. */
    public CheckpointRecord select(List<CheckpointRecord> checkpoints, int testDomain) {
        if (checkpoints.isEmpty()) {
            throw new FrugalException("model selection needs at least one evaluated checkpoint");
        }
        CheckpointRecord best = checkpoints.get(0);
        for (CheckpointRecord c : checkpoints) {
            if (score(c, testDomain) > score(best, testDomain)) {
                best = c;
            }
        }
        return best;
    }
}
