package frugal.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CriticalBatchFitTest {
    private static final ScalingLaw TRUE = Synthetic.KAPLAN;
    /** The swept model: L(N) = 2.83, so losses 3.0..4.0 are reached in ~2e3..1e6 steps. */
    private static final double SIZE = 1e8;
    /** Batches around the critical batch at those losses (B_crit(4) ~ 2.7e5 .. B_crit(3) ~ 1.1e6 tokens). */
    private static final double[] BATCHES = Synthetic.geometric(1e5, 4e6, 6);
    private static final long[] STEPS = Synthetic.steps(500, 1_000_000, 60);
    /** Loss levels the runs cross, where the sweep brackets B_crit. */
    private static final double[] LEVELS = Synthetic.geometric(3.05, 4.0, 10);

    /** The exact L(N, S_min) of the true law, as a fit (noise-free data reproduce it to ~1e-9). */
    private static LossNsFit trueLossNs() {
        return LossNsFit.fit(Synthetic.minStepRuns(TRUE, Synthetic.geometric(1e6, 1e8, 4),
                Synthetic.steps(100, 100_000, 8), 0, new Random(20)));
    }

    @Test
    void recoversConstantsFromNoisyCriticalBatches() {
        Random rng = new Random(21);
        double[] losses = Synthetic.geometric(2, 5, 20);
        double[] batches = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            batches[i] = TRUE.criticalBatch(losses[i]) * Math.exp(0.05 * rng.nextGaussian());
        }
        CriticalBatchFit fit = CriticalBatchFit.fit(losses, batches);
        // 5% scatter over ln L in [0.69, 1.61]: SE(1/alpha_B) ~ 0.05/(sqrt(20) 0.27) ~ 0.04, i.e. ~0.002 on
        // alpha_B = 0.21; 0.01 is ~4 standard errors. B_star = B_crit(1): extrapolated below the data, so 20%
        assertEquals(TRUE.alphaB(), fit.alphaB().value(), 0.01);
        assertEquals(1, fit.bStar().value() / TRUE.bStar(), 0.2);
        assertTrue(fit.alphaB().covers(TRUE.alphaB()), fit.alphaB().toString());
        assertTrue(fit.bStar().covers(TRUE.bStar()), fit.bStar().toString());
        assertEquals(TRUE.criticalBatch(3), fit.predict(3), 0.05 * TRUE.criticalBatch(3));
    }

    @Test
    void batchSweepGivesTheCriticalBatch() {
        RunTable sweep = Synthetic.runs(TRUE, new double[] {SIZE}, BATCHES, STEPS, 0, new Random(22));
        List<CriticalBatchPoint> points = CriticalBatchFit.estimate(sweep, trueLossNs(), LEVELS);
        assertEquals(BATCHES.length * LEVELS.length, points.size(), "every run crosses every level");
        for (CriticalBatchPoint p : points.stream().filter(CriticalBatchPoint::usable).toList()) {
            // 60 steps over 3.3 decades: log-log interpolation of the curve is good to ~0.3% in S, which
            // the subtraction S/S_min - 1 amplifies by at most 11x on usable points: 5%
            assertEquals(TRUE.criticalBatch(p.loss()), p.criticalBatch(), 0.05 * TRUE.criticalBatch(p.loss()),
                    p.toString());
        }
        assertTrue(points.stream().filter(CriticalBatchPoint::usable).count() >= points.size() / 2);
        CriticalBatchFit fit = CriticalBatchFit.fit(points);
        assertEquals(TRUE.alphaB(), fit.alphaB().value(), 0.01);
        assertEquals(1, fit.bStar().value() / TRUE.bStar(), 0.1);
    }

    @Test
    void noisySweepsGiveUnbiasedCriticalBatches() {
        // 0.5% loss noise moves each crossing by ~0.5% / |d ln L / d ln S| ~ 3-10% in S; across seeds alpha_B
        // scatters by ~0.009 (measured over 20 seeds). The mean of 8 sweeps (sd ~0.0032) must sit within 0.012
        // of the truth: this catches a biased crossing estimate (a running minimum gave 0.246 on one sweep)
        LossNsFit lossNs = trueLossNs();
        double sum = 0;
        int sweeps = 8;
        for (int seed = 0; seed < sweeps; seed++) {
            RunTable sweep = Synthetic.runs(TRUE, new double[] {SIZE}, BATCHES, STEPS, 0.005, new Random(100 + seed));
            CriticalBatchFit fit = CriticalBatchFit.fit(CriticalBatchFit.estimate(sweep, lossNs, LEVELS));
            assertTrue(Math.abs(fit.alphaB().value() - TRUE.alphaB()) < 4 * fit.alphaB().standardError(),
                    fit.alphaB().toString());
            assertEquals(TRUE.criticalBatch(3), fit.predict(3), 0.25 * TRUE.criticalBatch(3));
            sum += fit.alphaB().value();
        }
        assertEquals(TRUE.alphaB(), sum / sweeps, 0.012);
    }

    @Test
    void degenerateInputFailsWithAClearMessage() {
        var rising = assertThrows(FrugalException.class,
                () -> CriticalBatchFit.fit(new double[] {2, 3, 4}, new double[] {1e5, 2e5, 4e5}));
        assertTrue(rising.getMessage().contains("does not grow as the loss falls"), rising.getMessage());
        var oneLevel = assertThrows(FrugalException.class,
                () -> CriticalBatchFit.fit(new double[] {3, 3, 3}, new double[] {1e5, 2e5, 4e5}));
        assertTrue(oneLevel.getMessage().contains("1 distinct loss levels"), oneLevel.getMessage());
        var nan = assertThrows(FrugalException.class,
                () -> CriticalBatchFit.fit(new double[] {2, 3, 4}, new double[] {1e5, Double.NaN, 4e5}));
        assertTrue(nan.getMessage().contains("criticalBatches[1] is NaN"), nan.getMessage());
        // runs at batches far above critical cannot show B_crit: S ~ S_min, so most points are unusable
        RunTable huge = Synthetic.runs(TRUE, new double[] {SIZE}, new double[] {1e12}, STEPS, 0.01, new Random(24));
        var unusable = assertThrows(FrugalException.class, () -> CriticalBatchFit.fit(huge, trueLossNs()));
        assertTrue(unusable.getMessage().contains("usable critical-batch points"), unusable.getMessage());
    }
}
