package frugal.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LossNsFitTest {
    private static final ScalingLaw TRUE = Synthetic.KAPLAN;
    private static final double[] SIZES = Synthetic.geometric(1e6, 1e8, 5);
    private static final long[] STEPS = Synthetic.steps(200, 200_000, 30);

    private static void assertCovered(Parameter p, double truth) {
        // 4 standard errors: a fixed-seed test that fails only when the estimate or its error bar is wrong
        assertTrue(Math.abs(p.value() - truth) < 4 * p.standardError(),
                p + " does not cover the true " + truth + " within 4 standard errors");
    }

    @Test
    void recoversKaplanConstantsFromNoisyRuns() {
        RunTable runs = Synthetic.minStepRuns(TRUE, SIZES, STEPS, 0.01, new Random(11));
        LossNsFit fit = LossNsFit.fit(runs);
        // 150 points with 1% noise: the exponents are well determined (tolerances ~4 expected standard errors)
        assertEquals(TRUE.alphaS(), fit.alphaS().value(), 0.03);
        assertEquals(TRUE.alphaN(), fit.alphaN().value(), 0.008);
        assertEquals(1, fit.sC().value() / TRUE.sC(), 0.25);
        // as in L(N) alone, ln N_c carries the alpha_N error times ln L / alpha_N^2: a factor 3
        assertTrue(fit.nC().value() > TRUE.nC() / 3 && fit.nC().value() < TRUE.nC() * 3, fit.nC().toString());
        assertCovered(fit.alphaN(), TRUE.alphaN());
        assertCovered(fit.alphaS(), TRUE.alphaS());
        assertCovered(fit.sC(), TRUE.sC());
        assertCovered(fit.nC(), TRUE.nC());
        assertTrue(fit.quality().rmse() < 0.012, fit.quality().toString());
        // a held-out model 4x larger than the largest fitted one: loss at the last step within 1.5%
        double held = 4e8;
        double truth = TRUE.lossAtMinSteps(held, 200_000);
        assertEquals(truth, fit.predict(held, 200_000), 0.015 * truth);
    }

    @Test
    void recoversTinyCharModelConstants() {
        // constants in the range a char-level corpus gives 1e4..1e6-parameter models (L from ~3 to ~1.2 nats):
        // the start search must not depend on Kaplan-like values
        ScalingLaw tiny = new ScalingLaw(1.5e7, 0.15, 40, 0.5, 5e4, 0.3);
        RunTable runs = Synthetic.minStepRuns(tiny, Synthetic.geometric(1e4, 1e6, 5), Synthetic.steps(50, 5000, 20),
                0.01, new Random(16));
        LossNsFit fit = LossNsFit.fit(runs);
        assertCovered(fit.alphaN(), tiny.alphaN());
        assertCovered(fit.alphaS(), tiny.alphaS());
        assertCovered(fit.nC(), tiny.nC());
        assertCovered(fit.sC(), tiny.sC());
        // ~4 standard errors of this design (SE ~0.0012 and ~0.019 over 4 seeds)
        assertEquals(tiny.alphaN(), fit.alphaN().value(), 0.006);
        assertEquals(tiny.alphaS(), fit.alphaS().value(), 0.08);
    }

    @Test
    void exactDataGiveTheExactConstants() {
        LossNsFit fit = LossNsFit.fit(Synthetic.minStepRuns(TRUE, SIZES, STEPS, 0, new Random(12)));
        assertEquals(TRUE.alphaN(), fit.alphaN().value(), 1e-6);
        assertEquals(TRUE.alphaS(), fit.alphaS().value(), 1e-6);
        assertEquals(1, fit.nC().value() / TRUE.nC(), 1e-4);
        assertEquals(1, fit.sC().value() / TRUE.sC(), 1e-5);
    }

    @Test
    void finiteBatchStepsAreConvertedToMinSteps() {
        // runs at a batch near the critical one take visibly more steps than S_min; the conversion with the
        // true B_crit must give back the constants, while taking S as S_min must not
        double batch = 5e5;
        RunTable runs = Synthetic.runs(TRUE, SIZES, new double[] {batch}, STEPS, 0, new Random(13));
        var trueBatch = CriticalBatchFit.fit(new double[] {2, 3, 4, 5},
                new double[] {TRUE.criticalBatch(2), TRUE.criticalBatch(3), TRUE.criticalBatch(4),
                    TRUE.criticalBatch(5)});
        LossNsFit converted = LossNsFit.fit(runs, trueBatch);
        assertEquals(TRUE.alphaS(), converted.alphaS().value(), 1e-4);
        assertEquals(TRUE.alphaN(), converted.alphaN().value(), 1e-4);
        LossNsFit naive = LossNsFit.fit(runs);
        assertTrue(Math.abs(naive.sC().value() / TRUE.sC() - 1) > 0.2, "S taken as S_min should bias S_c: " + naive.sC());
    }

    @Test
    void minStepsInvertsTheLaw() {
        LossNsFit fit = LossNsFit.fit(Synthetic.minStepRuns(TRUE, SIZES, STEPS, 0.01, new Random(14)));
        for (double s : new double[] {300, 5_000, 100_000}) {
            double loss = fit.predict(3e7, s);
            assertEquals(s, fit.minSteps(3e7, loss), 1e-8 * s);
        }
        var below = assertThrows(FrugalException.class, () -> fit.minSteps(3e7, fit.convergedLoss(3e7) * 0.99));
        assertTrue(below.getMessage().contains("not above the converged loss"), below.getMessage());
    }

    @Test
    void degenerateInputFailsWithAClearMessage() {
        RunTable oneSize = Synthetic.minStepRuns(TRUE, new double[] {1e7}, STEPS, 0.01, new Random(15));
        var single = assertThrows(FrugalException.class, () -> LossNsFit.fit(oneSize));
        assertTrue(single.getMessage().contains("1 distinct model sizes"), single.getMessage());
        var oneStep = assertThrows(FrugalException.class,
                () -> LossNsFit.fit(new double[] {1e6, 1e7, 1e8}, new double[] {100, 100, 100}, new double[] {5, 4, 3}));
        assertTrue(oneStep.getMessage().contains("1 distinct step counts"), oneStep.getMessage());
        var fewPoints = assertThrows(FrugalException.class, () -> LossNsFit.fit(new double[] {1e6, 1e6, 1e8, 1e8},
                new double[] {100, 1000, 100, 1000}, new double[] {5, 4, 4, 3}));
        assertTrue(fewPoints.getMessage().contains("4 data points for 4 parameters"), fewPoints.getMessage());
        var zero = assertThrows(FrugalException.class, () -> LossNsFit.fit(new double[] {1e6, 1e7, 1e8, 1e8, 1e6},
                new double[] {100, 1000, 100, 1000, 0}, new double[] {5, 4, 4, 3, 4}));
        assertTrue(zero.getMessage().contains("minSteps[4] is 0.0"), zero.getMessage());
    }
}
