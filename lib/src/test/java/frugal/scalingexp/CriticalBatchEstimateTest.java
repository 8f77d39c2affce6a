package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.scaling.CriticalBatchFit;
import frugal.scaling.LossNsFit;
import frugal.scaling.Observation;
import frugal.scaling.RunTable;
import frugal.scaling.ScalingLaw;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs made by a known law, at batches on both sides of the critical batch and for the same tokens: the line
 * {@code S = S_min (1 + B_crit / B)} at each level gives back the law's critical batch, without any large-batch run.
 */
class CriticalBatchEstimateTest {
    private static final ScalingLaw TRUE = new ScalingLaw(5e6, 0.12, 300, 0.6, 2e4, 0.3);
    private static final double N = 4e4;

    private static RunTable sweep(double... batches) {
        List<Observation> rows = new ArrayList<>();
        for (double b : batches) {
            double steps = 4000 * 2048 / b;
            for (int k = 0; k < 20; k++) {
                long step = Math.round(steps / 20 * Math.pow(20, k / 19.0));
                rows.add(new Observation("B" + b, N, b, step, TRUE.loss(N, step, b)));
            }
        }
        return RunTable.of(rows);
    }

    private static LossNsFit crossings(RunTable sweep) {
        // any fit serves to read crossings off the curves; this one is deliberately not the truth
        return LossNsFit.fit(new double[] {1e4, 1e4, 1e4, 1e5, 1e5, 1e5}, new double[] {100, 300, 1000, 100, 300, 1000},
                new double[] {3, 2.7, 2.5, 2.8, 2.5, 2.3});
    }

    @Test
    void givesBackTheCriticalBatchOfTheLawThatMadeTheRuns() {
        RunTable runs = sweep(512, 1024, 2048, 4096, 8192);
        CriticalBatchEstimate e = CriticalBatchEstimate.of(runs, crossings(runs));
        assertTrue(e.losses().length >= 8, "most levels are crossed by three batches or more");
        for (int i = 0; i < e.losses().length; i++) {
            double truth = TRUE.criticalBatch(e.losses()[i]);
            assertEquals(truth, e.criticalBatches()[i], 0.03 * truth, "B_crit at L = " + e.losses()[i]);
            assertEquals(TRUE.minSteps(N, e.losses()[i]), e.minSteps()[i], 0.03 * e.minSteps()[i]);
        }
        assertEquals(-1 / TRUE.alphaB(), e.slope(), 0.05 / TRUE.alphaB());
        assertTrue(e.grows());
        CriticalBatchFit fit = e.fit();
        assertEquals(TRUE.alphaB(), fit.alphaB().value(), 0.05 * TRUE.alphaB());
        assertEquals(TRUE.criticalBatch(2.0), fit.predict(2.0), 0.05 * TRUE.criticalBatch(2.0));
        assertFalse(e.points().isEmpty());
    }

    @Test
    void aCriticalBatchThatDoesNotFallWithTheLossBecomesAConstant() {
        var e = new CriticalBatchEstimate(new double[] {2.0, 2.3}, new double[] {2.0, 2.1, 2.2, 2.3},
                new double[] {400, 300, 200, 100},
                new double[] {1000, 1500, 2000, 3000}, List.of());
        assertTrue(e.slope() > 0);
        assertFalse(e.grows());
        CriticalBatchFit fit = e.fit();
        assertEquals(CriticalBatchEstimate.CONSTANT_ALPHA_B, fit.alphaB().value());
        double geometricMean = Math.pow(1000.0 * 1500 * 2000 * 3000, 0.25);
        assertEquals(geometricMean, fit.predict(2.0), 1e-6 * geometricMean);
        assertEquals(geometricMean, fit.predict(2.3), 1e-6 * geometricMean);
    }

    @Test
    void twoBatchesCannotDrawTheLineSoStepTwoStands() {
        RunTable runs = sweep(1024, 4096);
        CriticalBatchEstimate e = CriticalBatchEstimate.of(runs, crossings(runs));
        assertEquals(0, e.losses().length, "no level is crossed by three batches");
        assertEquals(CriticalBatchEstimate.LEVELS, e.levelsTried().length);
        assertFalse(e.determined());
        assertFalse(e.grows(), "an unmeasured trend is not a fall");
        assertTrue(Double.isNaN(e.slope()));
        CriticalBatchFit fit = e.fit();
        assertEquals(CriticalBatchEstimate.VANISHING_CRITICAL_BATCH, fit.predict(2.0), 1e-20,
                "no critical batch measured: S_min = S, as step 2 assumes");
    }
}
