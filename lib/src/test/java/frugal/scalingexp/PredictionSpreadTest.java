package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.claims.Claim;
import frugal.claims.Verdict;
import frugal.core.FrugalException;
import frugal.stats.Difference;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PredictionSpreadTest {
    @Test
    void theJackknifeStandardErrorAndPseudoValuesFollowTheirFormulas() {
        PredictionSpread s = new PredictionSpread(2.0, new double[] {1.9, 2.0, 2.1, 2.0});
        // (n-1)/n sum (v - mean)^2 = 3/4 * 0.02
        assertEquals(Math.sqrt(0.75 * 0.02), s.standardError(), 1e-12);
        double[] p = s.pseudoValues();
        assertEquals(2.0, Arrays.stream(p).average().orElseThrow(), 1e-12, "centred on the full fit");
        double mean = Arrays.stream(p).average().orElseThrow();
        double var = Arrays.stream(p).map(v -> (v - mean) * (v - mean)).sum() / (p.length - 1);
        assertEquals(s.standardError() * s.standardError(), var / p.length, 1e-12, "var(pseudo) / n = jackknife var");
        assertThrows(FrugalException.class, () -> new PredictionSpread(Double.NaN, new double[0]));
    }

    @Test
    void aPredictionWithinTheNoiseIsInconclusiveAndAClearMissFails() {
        double[] twoSeeds = {2.00, 2.01};
        // a tight law 1% below the seeds: the interval holds law and seeds, well inside 3%
        Difference close = new PredictionSpread(1.985, new double[] {1.984, 1.985, 1.986, 1.985, 1.985})
                .relativeErrorAgainst(twoSeeds);
        assertEquals((1.985 - 2.005) / 2.005, close.mean(), 1e-12);
        assertTrue(close.hasInterval() && close.lo() < close.mean() && close.hi() > close.mean());
        // a law whose leave-one-out fits scatter by 10% cannot be said to be within 3%
        Difference loose = new PredictionSpread(1.985, new double[] {1.7, 2.3, 1.9, 2.1, 1.95})
                .relativeErrorAgainst(twoSeeds);
        assertEquals(Verdict.INCONCLUSIVE, Claim.inside(loose, 0.03));
        // 20% off with a tight law and seeds
        Difference far = new PredictionSpread(1.6, new double[] {1.6, 1.601, 1.599, 1.6, 1.6})
                .relativeErrorAgainst(new double[] {2.0, 2.002});
        assertEquals(Verdict.FAIL, Claim.inside(far, 0.03));
        assertFalse(new PredictionSpread(1.6, new double[] {1.6, 1.61}).relativeErrorAgainst(new double[] {2.0})
                .hasInterval(), "one seed: no interval");
    }
}
