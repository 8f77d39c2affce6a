package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import org.junit.jupiter.api.Test;

class LrOptimumTest {
    private static final double[] LRS = {1e-3, 2e-3, 4e-3, 8e-3, 16e-3};

    /** A loss exactly quadratic in ln lr, minimum 1.5 at lr 5e-3. */
    private static double quadratic(double lr) {
        double d = Math.log(lr) - Math.log(5e-3);
        return 1.5 + 0.3 * d * d;
    }

    @Test
    void findsTheVertexOfAQuadraticInLogLr() {
        double[] losses = new double[LRS.length];
        for (int i = 0; i < LRS.length; i++) {
            losses[i] = quadratic(LRS[i]);
        }
        LrOptimum o = LrOptimum.of(LRS, losses);
        assertTrue(o.bracketed());
        assertEquals(5e-3, o.lr(), 1e-12);
        assertEquals(1.5, o.loss(), 1e-12);
        assertEquals(4e-3, o.gridLr());
        assertEquals(quadratic(4e-3), o.gridLoss());
    }

    @Test
    void usesOnlyTheThreePointsAroundTheBest() {
        // the far right point is wild (a near-divergence); the vertex must not move
        double[] losses = {quadratic(1e-3), quadratic(2e-3), quadratic(4e-3), quadratic(8e-3), 9.0};
        assertEquals(5e-3, LrOptimum.of(LRS, losses).lr(), 1e-12);
    }

    @Test
    void acceptsAnyOrder() {
        double[] lrs = {8e-3, 1e-3, 4e-3, 16e-3, 2e-3};
        double[] losses = new double[lrs.length];
        for (int i = 0; i < lrs.length; i++) {
            losses[i] = quadratic(lrs[i]);
        }
        assertEquals(5e-3, LrOptimum.of(lrs, losses).lr(), 1e-12);
    }

    @Test
    void anOptimumAtTheEdgeOrNextToADivergedRunIsABound() {
        LrOptimum edge = LrOptimum.of(LRS, new double[] {2.0, 2.1, 2.2, 2.3, 2.4});
        assertFalse(edge.bracketed());
        assertEquals(1e-3, edge.lr());
        assertEquals(2.0, edge.loss());

        LrOptimum nextToNaN = LrOptimum.of(LRS, new double[] {2.4, 2.2, 2.0, Double.NaN, Double.NaN});
        assertFalse(nextToNaN.bracketed());
        assertEquals(4e-3, nextToNaN.lr());

        LrOptimum infinite = LrOptimum.of(LRS, new double[] {2.4, 2.2, 2.0, Double.POSITIVE_INFINITY, 3.0});
        assertFalse(infinite.bracketed(), "an infinite loss is a diverged run");
    }

    @Test
    void everyRunDivergedGivesNone() {
        assertSame(LrOptimum.NONE, LrOptimum.of(LRS, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN}));
    }

    @Test
    void badInputsAreClearErrors() {
        assertThrows(FrugalException.class, () -> LrOptimum.of(LRS, new double[] {1, 2}));
        assertThrows(FrugalException.class, () -> LrOptimum.of(new double[] {1e-3, -1e-3}, new double[] {1, 2}));
        FrugalException twice = assertThrows(FrugalException.class,
                () -> LrOptimum.of(new double[] {1e-3, 1e-3, 2e-3}, new double[] {1, 2, 3}));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }
}
