package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.claims.Verdict;
import frugal.core.FrugalException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedSpreadTest {
    @Test
    void theIntervalIsTheOneSampleTInterval() {
        SeedSpread s = SeedSpread.of(new double[] {-0.5, -0.6, -0.4});
        // mean -0.5, sd 0.1, t(0.975, 2) = 4.3027: half-width 4.3027 * 0.1 / sqrt 3 = 0.2484
        var d = s.minus(0);
        assertEquals(-0.5, d.mean(), 1e-12);
        assertEquals(-0.5 - 0.24841, d.lo(), 1e-4);
        assertEquals(-0.5 + 0.24841, d.hi(), 1e-4);
        assertEquals(3, s.n());
        assertTrue(s.describe(1, "").startsWith("-0.500 [95% CI -0.748, -0.252], n = 3"), s.describe(1, ""));
    }

    @Test
    void aKnownDifferentAndAKnownEqualSampleGiveTheirVerdicts() {
        SeedSpread tight = SeedSpread.of(new double[] {0.010, 0.011, 0.009, 0.010});
        assertEquals(Verdict.PASS, tight.below(0.02), "1% +- 0.2% is below 2%");
        assertEquals(Verdict.FAIL, tight.above(0.02));
        assertEquals(Verdict.PASS, tight.inside(0.0, 0.02));
        assertEquals(Verdict.FAIL, tight.inside(0.05, 0.1));
        SeedSpread noisy = SeedSpread.of(new double[] {0.0, 0.04, 0.02});
        // the mean is 2% exactly: the interval straddles the bar, whichever side is asked
        assertEquals(Verdict.INCONCLUSIVE, noisy.below(0.02));
        assertEquals(Verdict.INCONCLUSIVE, noisy.above(0.02));
        assertEquals(Verdict.INCONCLUSIVE, noisy.inside(0.015, 0.5));
        assertEquals("", noisy.seedsPlan(0.02), "a mean on the bar: no number of seeds decides it");
        assertTrue(noisy.seedsPlan(0.01).contains("paired seeds would decide it"), noisy.seedsPlan(0.01));
        assertEquals("", tight.seedsPlan(0.02), "decided already");
    }

    @Test
    void seedsWithoutAValueAreLeftOutAndNamed() {
        SeedSpread s = SeedSpread.of(new double[] {0.7, Double.NaN, 0.9});
        assertEquals(2, s.n());
        assertEquals(1, s.missing());
        assertEquals(0.8, s.mean(), 1e-12);
        assertTrue(s.describe(1, "").endsWith("1 seed(s) without one"), s.describe(1, ""));
        SeedSpread one = SeedSpread.of(new double[] {0.7, Double.NaN});
        assertEquals(Verdict.INCONCLUSIVE, one.inside(0.5, 1.5), "one seed: no interval, no verdict");
        SeedSpread none = SeedSpread.of(new double[] {Double.NaN});
        assertNull(none.minus(0));
        assertEquals(Verdict.INCONCLUSIVE, none.below(1));
        assertTrue(none.describe(1, "").startsWith("no seed has a value"));
        assertThrows(FrugalException.class, () -> s.inside(1, 1));
    }

    @Test
    void someCellIsEnoughOnlyWhenItPasses() {
        assertEquals(Verdict.PASS, PowerClaims.some(List.of(Verdict.FAIL, Verdict.PASS, Verdict.INCONCLUSIVE)));
        assertEquals(Verdict.INCONCLUSIVE, PowerClaims.some(List.of(Verdict.FAIL, Verdict.INCONCLUSIVE)));
        assertEquals(Verdict.FAIL, PowerClaims.some(List.of(Verdict.FAIL, Verdict.FAIL)));
    }
}
