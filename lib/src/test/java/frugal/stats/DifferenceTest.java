package frugal.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.claims.Claim;
import frugal.claims.Verdict;
import frugal.core.FrugalException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DifferenceTest {
    @Test
    void pairedIntervalAndPValueMatchTheTextbook() {
        // differences 1..5: mean 3, sd sqrt(2.5), t(4) 97.5% quantile 2.7764; t = 3 / (sqrt(2.5)/sqrt(5)) = 4.2426
        Difference d = Difference.paired(new double[] {2, 4, 6, 8, 10}, new double[] {1, 2, 3, 4, 5});
        double half = 2.776445 * Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(3, d.mean(), 1e-12);
        assertEquals(3 - half, d.lo(), 1e-5);
        assertEquals(3 + half, d.hi(), 1e-5);
        assertEquals(0.013236, d.pValue(), 1e-5);
        assertEquals(5, d.n());
    }

    @Test
    void aKnownDifferencePassesAndItsMirrorFails() {
        Random r = new Random(7);
        double[] b = new double[8];
        double[] a = new double[8];
        for (int i = 0; i < b.length; i++) {
            b[i] = 0.70 + 0.02 * r.nextGaussian();       // seed-to-seed noise shared by both methods
            a[i] = b[i] + 0.03 + 0.005 * r.nextGaussian(); // A is 3 pp better on every seed
        }
        Difference ab = Difference.paired(a, b);
        assertEquals(Verdict.PASS, Claim.above(ab, 0));
        assertTrue(ab.pValue() < 1e-4, ab.describe());
        assertEquals(Verdict.FAIL, Claim.above(Difference.paired(b, a), 0));
        // the same numbers unpaired: the shared noise no longer cancels, the interval is wider
        Difference unpaired = Difference.unpaired(a, b, 0);
        assertTrue(unpaired.hi() - unpaired.lo() > ab.hi() - ab.lo(), unpaired.describe());
    }

    @Test
    void equalSamplesAreInconclusiveNeverPass() {
        Random r = new Random(11);
        double[] a = new double[6];
        double[] b = new double[6];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.7 + 0.02 * r.nextGaussian();
            b[i] = 0.7 + 0.02 * r.nextGaussian();
        }
        Difference d = Difference.paired(a, b);
        assertEquals(Verdict.INCONCLUSIVE, Claim.above(d, 0), d.describe());
        assertTrue(d.pValue() > 0.05, d.describe());
        assertEquals(Verdict.INCONCLUSIVE, Claim.above(Difference.unpaired(a, b, 0), 0));
        // one seed: a margin with no interval is never a PASS
        assertEquals(Verdict.INCONCLUSIVE, Claim.above(Difference.paired(new double[] {0.9}, new double[] {0.1}), 0));
    }

    @Test
    void withinATolerance() {
        double[] b = {1.00, 1.10, 0.95, 1.05, 1.02};
        double[] close = {1.005, 1.104, 0.952, 1.056, 1.021};
        double[] far = {1.20, 1.31, 1.14, 1.26, 1.23};
        assertEquals(Verdict.PASS, Claim.inside(Difference.paired(close, b), 0.02));
        assertEquals(Verdict.FAIL, Claim.inside(Difference.paired(far, b), 0.02));
        assertEquals(Verdict.INCONCLUSIVE, Claim.inside(Difference.paired(new double[] {1.03, 0.99}, new double[] {1, 1}), 0.02));
    }

    @Test
    void aMarginShiftsTheTest() {
        double[] a = {0.80, 0.82, 0.81, 0.79};
        double[] b = {0.70, 0.71, 0.72, 0.69};
        Difference d = Difference.paired(a, b, 0.05);
        assertEquals(0.05, d.reference());
        assertEquals(Verdict.PASS, Claim.above(d, 0.05));
        assertEquals(Verdict.FAIL, Claim.above(d, 0.2));
        Claim c = Claim.beats("C1", "A beats B", d, 0.05, 100, " pp", true);
        assertTrue(c.measured().contains("95% CI") && c.measured().contains("paired t p ="), c.measured());
        assertEquals(Verdict.NOT_JUDGED, Claim.beats("C1", "A beats B", d, 0.05, 100, " pp", false).verdict());
    }

    @Test
    void partsCombine() {
        assertEquals(Verdict.PASS, Verdict.all(List.of(Verdict.PASS, Verdict.PASS)));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.all(List.of(Verdict.PASS, Verdict.INCONCLUSIVE)));
        assertEquals(Verdict.FAIL, Verdict.all(List.of(Verdict.INCONCLUSIVE, Verdict.FAIL)));
    }

    @Test
    void badInputIsNamed() {
        FrugalException e = assertThrows(FrugalException.class,
                () -> Difference.paired(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertThrows(FrugalException.class, () -> Difference.paired(new double[] {1, 2}, new double[] {1}));
        assertFalse(Difference.paired(new double[] {1}, new double[] {0}).hasInterval());
    }

    /** Two seeds whose paired differences have mean {@code mean} and s.d. {@code sd} exactly. */
    private static Difference pairedWith(double mean, double sd) {
        double a = sd / Math.sqrt(2);
        return Difference.paired(new double[] {mean - a, mean + a}, new double[] {0, 0});
    }

    @Test
    void seedsToDecideMatchTheTextbookSampleSize() {
        // one-sample t test, two-sided 5%, 80% power: effect 0.5 s.d. needs 34 seeds, 0.8 s.d. needs 15 (the
        // published tables, e.g. G*Power's)
        assertEquals(34, pairedWith(0.5, 1).seedsToClear(0).getAsInt());
        assertEquals(15, pairedWith(-0.8, 1).seedsToClear(0).getAsInt());
        assertEquals(34, pairedWith(1.5, 1).seedsToClear(1).getAsInt(), "the gap to the boundary is what counts");
        // a tiny effect: past the scanned range the normal approximation, (2.80 / 0.01)^2
        assertEquals(78_490, pairedWith(0.01, 1).seedsToClear(0).getAsInt(), 2);
        assertTrue(pairedWith(0, 1).seedsToClear(0).isEmpty(), "a mean on the boundary is never decided");
        assertTrue(Difference.unpaired(new double[] {1, 2, 3}, new double[] {0, 2, 1}, 0).seedsToClear(0).isEmpty(),
                "Welch: no paired plan");
    }

    @Test
    void onlyAnUndecidedIntervalGetsASeedsPlan() {
        Difference undecided = pairedWith(0.5, 1);
        assertEquals(Verdict.INCONCLUSIVE, Claim.above(undecided, 0));
        assertTrue(undecided.seedsPlan(0).contains("about 34 paired seeds"), undecided.seedsPlan(0));
        Claim claim = Claim.beats("C1", "A beats B", undecided, 0, 1, "", true);
        assertTrue(claim.measured().endsWith(undecided.seedsPlan(0)), claim.measured());
        Difference decided = Difference.paired(new double[] {2, 4, 6, 8, 10}, new double[] {1, 2, 3, 4, 5});
        assertEquals(Verdict.PASS, Claim.above(decided, 0));
        assertEquals("", decided.seedsPlan(0));
        // a band: the plan names the edge the interval still straddles
        // the interval is +0.5 +- 8.98: it straddles +9 and not -9
        assertEquals(undecided.seedsPlan(9), undecided.seedsPlan(-9, 9));
        assertTrue(undecided.seedsPlan(9).contains("about 3 paired seeds"), undecided.seedsPlan(9));
        assertEquals("", decided.seedsPlan(-100, 100), "inside the band: decided");
    }
}
