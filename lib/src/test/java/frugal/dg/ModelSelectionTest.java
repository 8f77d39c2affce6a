package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import frugal.core.FrugalException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {
    // three domains, domain 2 held out; out accuracies per domain and the test accuracy at each checkpoint
    private static final List<CheckpointRecord> RUN = List.of(
            checkpoint(100, 0.70, 0.70, 0.90, 0.91), // best on the test domain: what only an oracle would pick
            checkpoint(200, 0.90, 0.80, 0.60, 0.62), // best mean over the training domains (0.85)
            checkpoint(300, 0.95, 0.70, 0.50, 0.55), // best single training domain, lower mean (0.825)
            checkpoint(400, 0.80, 0.80, 0.70, 0.71)); // the last one

    @Test
    void trainingDomainValidationPicksTheBestMeanOverTrainingDomains() {
        assertEquals(200, ModelSelection.TRAINING_DOMAIN_VALIDATION.select(RUN, 2).step());
    }

    @Test
    void oraclePicksTheBestTestDomainOutSplit() {
        assertEquals(100, ModelSelection.ORACLE.select(RUN, 2).step());
    }

    @Test
    void theHeldOutDomainDecidesWhichAccuraciesCount() {
        // with domain 0 held out, training domains are 1 and 2: means 0.80, 0.70, 0.60, 0.75
        assertEquals(100, ModelSelection.TRAINING_DOMAIN_VALIDATION.select(RUN, 0).step());
        assertEquals(300, ModelSelection.ORACLE.select(RUN, 0).step());
    }

    @Test
    void tiesGoToTheEarliestCheckpoint() {
        var tied = List.of(checkpoint(10, 0.5, 0.5, 0.1, 0.1), checkpoint(20, 0.5, 0.5, 0.9, 0.9));
        assertEquals(10, ModelSelection.TRAINING_DOMAIN_VALIDATION.select(tied, 2).step());
    }

    @Test
    void reportedAccuracyIsTheChosenCheckpointsTestAccuracy() {
        var run = new DgRun("x", 0, 2, new double[4], RUN, new int[0], new int[0][], 1, 0, 0);
        assertEquals(0.62, run.selected(ModelSelection.TRAINING_DOMAIN_VALIDATION).testAccuracy());
        assertEquals(0.91, run.selected(ModelSelection.ORACLE).testAccuracy());
    }

    @Test
    void noCheckpointIsAnError() {
        assertThrows(FrugalException.class, () -> ModelSelection.ORACLE.select(List.of(), 0));
    }

    private static CheckpointRecord checkpoint(long step, double out0, double out1, double out2, double test) {
        return new CheckpointRecord(step, new double[] {out0, out1, out2}, test, new int[0], new float[0]);
    }
}
