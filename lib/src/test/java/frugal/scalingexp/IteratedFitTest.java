package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.scaling.Observation;
import frugal.scaling.RunTable;
import frugal.scaling.ScalingLaw;
import frugal.scaling.ScalingLawFit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With the "large" batch at the critical batch (as on a CPU budget), one refinement leaves the critical batch
 * biased; refining to the fixed point recovers the law that made the data.
 */
class IteratedFitTest {
    private static final ScalingLaw TRUE = new ScalingLaw(5e6, 0.12, 300, 0.6, 2e4, 0.3);
    private static final double[] SIZES = {3e3, 1.4e4, 3.8e4, 9.8e4, 1.9e5};
    private static final double LARGE_BATCH = 2048;

    private static void addRun(List<Observation> rows, double n, double batch) {
        for (int k = 0; k < 20; k++) {
            long step = Math.round(100 * Math.pow(20, k / 19.0));
            rows.add(new Observation("N" + n + " B" + batch, n, batch, step, TRUE.loss(n, step, batch)));
        }
    }

    @Test
    void refiningToTheFixedPointRecoversTheCriticalBatch() {
        List<Observation> ladder = new ArrayList<>();
        for (double n : SIZES) {
            addRun(ladder, n, LARGE_BATCH);
        }
        List<Observation> sweep = new ArrayList<>();
        for (double b : new double[] {256, 512, 1024, LARGE_BATCH}) {
            addRun(sweep, SIZES[2], b);
        }
        ScalingLawFit iterated = IteratedFit.fit(RunTable.of(ladder), RunTable.of(sweep));
        ScalingLawFit once = ScalingLawFit.fit(RunTable.of(ladder), RunTable.of(sweep));
        double truth = TRUE.criticalBatch(2.0);
        double iteratedError = Math.abs(iterated.criticalBatch().predict(2.0) / truth - 1);
        double onceError = Math.abs(once.criticalBatch().predict(2.0) / truth - 1);
        assertTrue(iteratedError < 0.05, "B_crit(2) " + iterated.criticalBatch().predict(2.0) + " vs " + truth);
        assertTrue(onceError > 2 * iteratedError, "one round is further off: " + once.criticalBatch().predict(2.0));
        ScalingLaw law = iterated.law();
        assertEquals(TRUE.alphaS(), law.alphaS(), 0.02 * TRUE.alphaS());
        assertEquals(TRUE.sC(), law.sC(), 0.05 * TRUE.sC());
        assertEquals(TRUE.alphaN(), law.alphaN(), 0.02 * TRUE.alphaN());
        assertEquals(TRUE.alphaB(), law.alphaB(), 0.05 * TRUE.alphaB());
    }

    @Test
    void aSweepThatCannotPinTheCriticalBatchIsAnError() {
        List<Observation> ladder = new ArrayList<>();
        for (double n : SIZES) {
            addRun(ladder, n, LARGE_BATCH);
        }
        List<Observation> sweep = new ArrayList<>();
        addRun(sweep, SIZES[2], LARGE_BATCH);
        assertThrows(FrugalException.class, () -> IteratedFit.fit(RunTable.of(ladder), RunTable.of(sweep)),
                "one batch size says nothing about the critical batch");
    }
}
