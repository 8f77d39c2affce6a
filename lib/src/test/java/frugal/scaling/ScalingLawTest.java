package frugal.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import org.junit.jupiter.api.Test;

class ScalingLawTest {
    private static final ScalingLaw LAW = Synthetic.KAPLAN;
    private static final double[] SIZES = {1e5, 1e7, 1e9};
    private static final double[] STEPS = {10, 300, 1e4, 1e6};
    private static final double[] BATCHES = {1e3, 1e5, 1e6, 1e8};

    @Test
    void trajectorySolutionSatisfiesTheFixedPointEquation() {
        for (double n : SIZES) {
            for (double s : STEPS) {
                for (double b : BATCHES) {
                    double loss = LAW.loss(n, s, b);
                    double converged = LAW.convergedLoss(n);
                    double rightSide = converged
                            + Math.pow(LAW.sC() * (1 + LAW.criticalBatch(loss) / b) / s, LAW.alphaS());
                    assertEquals(rightSide, loss, 1e-10 * loss, "N=" + n + " S=" + s + " B=" + b);
                    assertTrue(loss > converged);
                    // a finite batch can only cost steps: never below the infinite-batch loss
                    assertTrue(loss >= LAW.lossAtMinSteps(n, s) * (1 - 1e-12));
                }
            }
        }
    }

    @Test
    void plainIterationConvergesToTheSameLossWhereItConverges() {
        // late steps at a large batch: |g'(L)| < 1, so L <- g(L) contracts; the solver must agree with it
        double n = 1e7;
        double s = 1e5;
        double b = 1e7;
        double iterate = LAW.convergedLoss(n);
        for (int k = 0; k < 200; k++) {
            iterate = LAW.fixedPointMap(iterate, LAW.convergedLoss(n), s, b);
        }
        assertEquals(iterate, LAW.loss(n, s, b), 1e-12 * iterate);
    }

    @Test
    void solverConvergesWherePlainIterationOscillates() {
        // a batch far below critical (B = 100 vs B_crit(6) ~ 4e4): g(L) - L(N) ~ L^(-alpha_S/alpha_B), so
        // g'(L) ~ -3.6 (L - L(N)) / L ~ -1.6 at the root L ~ 6: iteration L <- g(L) is repelled from the root
        double n = 1e7;
        double s = 2.35e5;
        double b = 100;
        double converged = LAW.convergedLoss(n);
        double loss = LAW.loss(n, s, b);
        double slope = (LAW.fixedPointMap(loss * 1.0001, converged, s, b)
                - LAW.fixedPointMap(loss * 0.9999, converged, s, b)) / (loss * 0.0002);
        assertTrue(slope < -1, "this case should defeat plain iteration; g' = " + slope);
        double iterate = converged;
        for (int k = 0; k < 200; k++) {
            iterate = LAW.fixedPointMap(iterate, converged, s, b);
        }
        assertTrue(Math.abs(iterate - loss) > 1e-3 * loss, "plain iteration was expected to miss the root");
        assertEquals(loss, LAW.fixedPointMap(loss, converged, s, b), 1e-10 * loss);
    }

    @Test
    void trajectoryFallsWithStepsAndApproachesTheInfiniteBatchCurve() {
        long[] steps = Synthetic.steps(10, 1_000_000, 40);
        double[] small = LAW.lossTrajectory(1e8, 1e5, steps);
        double[] large = LAW.lossTrajectory(1e8, 1e12, steps);
        for (int i = 0; i < steps.length; i++) {
            if (i > 0) {
                assertTrue(small[i] < small[i - 1], "loss must fall with steps");
            }
            assertTrue(large[i] < small[i], "at equal steps a larger batch reaches a lower loss");
            // B = 1e12 is >= 1e4 B_crit here: steps equal S_min to 1e-4, so the loss is L(N, S_min)
            assertEquals(LAW.lossAtMinSteps(1e8, steps[i]), large[i], 1e-4 * large[i]);
        }
    }

    @Test
    void stepsToLossInvertsTheTrajectory() {
        double n = 1e8;
        for (double target : new double[] {2.9, 3.2, 4.0, 8.0}) {
            for (double b : BATCHES) {
                double steps = LAW.stepsToLoss(n, target, b);
                assertEquals(target, LAW.loss(n, steps, b), 1e-10 * target, "target " + target + " batch " + b);
                double minSteps = LAW.minSteps(n, target);
                double minTokens = LAW.minTokens(n, target);
                assertTrue(steps > minSteps);
                assertTrue(LAW.tokensToLoss(n, target, b) > minTokens);
                // the card's relations: S_min = S / (1 + B_crit/B) and E_min = E / (1 + B/B_crit)
                double critical = LAW.criticalBatch(target);
                assertEquals(minSteps, steps / (1 + critical / b), 1e-12 * minSteps);
                assertEquals(minTokens, LAW.tokensToLoss(n, target, b) / (1 + b / critical), 1e-12 * minTokens);
            }
        }
        // at the critical batch a run needs twice the fewest steps and twice the fewest tokens
        double critical = LAW.criticalBatch(3.2);
        assertEquals(2 * LAW.minSteps(n, 3.2), LAW.stepsToLoss(n, 3.2, critical), 1e-9 * LAW.minSteps(n, 3.2));
        assertEquals(2 * LAW.minTokens(n, 3.2), LAW.tokensToLoss(n, 3.2, critical), 1e-9 * LAW.minTokens(n, 3.2));
    }

    @Test
    void criticalBatchGrowsAsTheLossFalls() {
        assertTrue(LAW.criticalBatch(2) > LAW.criticalBatch(3));
        assertEquals(LAW.bStar(), LAW.criticalBatch(1), 1e-6 * LAW.bStar());
    }

    @Test
    void badInputsFailWithAClearMessage() {
        var unreachable = assertThrows(FrugalException.class, () -> LAW.stepsToLoss(1e8, 2.5, 1e6));
        assertTrue(unreachable.getMessage().contains("not above the converged loss"), unreachable.getMessage());
        var constant = assertThrows(FrugalException.class, () -> new ScalingLaw(8.8e13, 0.076, 2.1e3, -0.76, 2e8, 0.21));
        assertTrue(constant.getMessage().contains("alpha_S is -0.76"), constant.getMessage());
        var nan = assertThrows(FrugalException.class, () -> LAW.loss(1e8, Double.NaN, 1e6));
        assertTrue(nan.getMessage().contains("steps is NaN"), nan.getMessage());
        var batch = assertThrows(FrugalException.class, () -> LAW.loss(1e8, 100, 0));
        assertTrue(batch.getMessage().contains("batch is 0.0"), batch.getMessage());
    }
}
