package frugal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import org.junit.jupiter.api.Test;

class DecayShapeTest {

    @Test
    void everyShapeGoesExactlyFromOneToZero() {
        for (DecayShape shape : DecayShape.values()) {
            assertEquals(1.0, shape.factor(0), 0.0, shape + " at the decay start");
            assertEquals(0.0, shape.factor(1), 0.0, shape + " at the decay end");
        }
    }

    @Test
    void midpointsByHand() {
        assertEquals(0.5, DecayShape.LINEAR.factor(0.5), 1e-15);
        // (1 + cos(pi / 2)) / 2 = (1 + 0) / 2
        assertEquals(0.5, DecayShape.COSINE.factor(0.5), 1e-15);
        // 1 - sqrt(0.25) = 1 - 0.5
        assertEquals(0.5, DecayShape.ONE_MINUS_SQRT.factor(0.25), 1e-15);
        // (e * exp(-0.5) - 1) / (e - 1) = (e^0.5 - 1) / (e - 1) = 0.6487212707 / 1.7182818285 = 0.3775406688
        assertEquals(0.3775406688, DecayShape.EXPONENTIAL.factor(0.5), 1e-10);
    }

    @Test
    void exponentialWithFinalRatioIsThePublicCodesFormula() {
        // the public code: a * exp(-x/t) + b, a = (1 - r) e / (e - 1), b = (r e - 1) / (e - 1); here r = 0.1, x/t = 0.3
        double r = 0.1;
        double publicCode = (1 - r) * Math.E / (Math.E - 1) * Math.exp(-0.3) + (r * Math.E - 1) / (Math.E - 1);
        assertEquals(publicCode, r + (1 - r) * DecayShape.EXPONENTIAL.factor(0.3), 1e-12);
        // a factor in [0, 1] that falls: the shape is monotone on a few points
        double previous = 1;
        for (int i = 1; i <= 10; i++) {
            double f = DecayShape.EXPONENTIAL.factor(i / 10.0);
            assertTrue(f < previous && f >= 0, "exponential factor at " + i / 10.0 + " = " + f);
            previous = f;
        }
    }

    @Test
    void factorOutsideTheDecayIsAnError() {
        FrugalException e = assertThrows(FrugalException.class, () -> DecayShape.LINEAR.factor(1.5));
        assertTrue(e.getMessage().contains("must be in [0, 1], got 1.5"), e.getMessage());
        assertThrows(FrugalException.class, () -> DecayShape.COSINE.factor(-0.1));
        assertThrows(FrugalException.class, () -> DecayShape.EXPONENTIAL.factor(Double.NaN));
    }
}
