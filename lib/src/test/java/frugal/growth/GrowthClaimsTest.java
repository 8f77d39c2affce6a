package frugal.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.claims.Claim;
import frugal.claims.Verdict;
import frugal.plot.Series;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict logic on constructed results: final losses per seed chosen to sit clearly apart or inside the noise. */
class GrowthClaimsTest {
    private static final GrowthConfig CONFIG = GrowthConfigTest.tiny(List.of(2, 4, 6), 4, 2, 3);
    private static final double[] SCRATCH = {2.00, 2.05, 1.95};

    @Test
    void aClearWinEverywherePasses() {
        List<Claim> claims = claims(new double[] {-0.10, -0.11, -0.09}, new double[] {0.20, 0.22, 0.21},
                new double[] {0.01, -0.02, 0.0}, new double[][] {{0.1, 0.11, 0.12}, {0, 0, 0}, {0.05, 0.06, 0.04}});
        assertEquals(Verdict.PASS, claims.get(0).verdict(), claims.get(0).toString());
        assertEquals(Verdict.PASS, claims.get(1).verdict(), claims.get(1).toString());
        assertTrue(claims.get(1).measured().contains("speed-up"), claims.get(1).measured());
        assertEquals(Verdict.PASS, claims.get(2).verdict(), "G_stack beats G_zero clearly: " + claims.get(2));
        assertEquals(Verdict.PASS, claims.get(3).verdict(), "an interior optimum at d = 4: " + claims.get(3));
    }

    @Test
    void aMarginInsideTheNoiseIsInconclusiveAndALossIsAFail() {
        List<Claim> claims = claims(new double[] {-0.10, 0.08, -0.02}, new double[] {-0.20, -0.22, -0.21},
                new double[] {-0.1, -0.12, -0.11}, new double[][] {{0, 0, 0}, {0.1, -0.1, 0.05}, {0.02, 0.1, -0.05}});
        assertEquals(Verdict.INCONCLUSIVE, claims.get(0).verdict(), claims.get(0).toString());
        // seed 1's grown model never reaches the scratch loss within the budget
        assertEquals(Verdict.INCONCLUSIVE, claims.get(1).verdict(), claims.get(1).toString());
        assertTrue(claims.get(1).measured().contains("not reached"), claims.get(1).measured());
        assertEquals(Verdict.INCONCLUSIVE, claims.get(2).verdict(), "G_stack itself is noisy: " + claims.get(2));
        assertEquals(Verdict.INCONCLUSIVE, claims.get(3).verdict(), claims.get(3).toString());
    }

    @Test
    void aSteadyTrendIsMonotone() {
        List<Claim> claims = claims(new double[] {0.1, 0.12, 0.11}, new double[] {-0.2, -0.2, -0.21},
                new double[] {0.0, 0.01, 0.0}, new double[][] {{0, 0.01, 0}, {0.1, 0.11, 0.1}, {0.2, 0.2, 0.22}});
        assertEquals(Verdict.FAIL, claims.get(0).verdict(), "G_stack is worse than scratch: " + claims.get(0));
        assertEquals(Verdict.FAIL, claims.get(1).verdict(), "never reached in any seed: " + claims.get(1));
        assertEquals(Verdict.FAIL, claims.get(2).verdict(), "both others beat G_stack: " + claims.get(2));
        assertEquals(Verdict.PASS, claims.get(3).verdict(), claims.get(3).toString());
        assertTrue(claims.get(3).measured().contains("rising"), claims.get(3).measured());
    }

    /**
     * Claims on results whose final losses are scratch's plus the given offsets per seed: G_stack at the main point
     * (4), G_zero and G_random at 4, and G_stack at each sweep point (the main point's row is overridden by
     * {@code stack}).
     */
    private static List<Claim> claims(double[] stack, double[] zero, double[] random, double[][] sweep) {
        List<GrowthRun> runs = new ArrayList<>();
        int v = 10;
        long budget = CONFIG.budgetFlops(v);
        for (int s = 0; s < 3; s++) {
            runs.add(run(GrowthResults.SCRATCH, 0, s, SCRATCH[s], budget));
            runs.add(run("G_zero", 4, s, SCRATCH[s] + zero[s], budget));
            runs.add(run("G_random", 4, s, SCRATCH[s] + random[s], budget));
            for (int i = 0; i < 3; i++) {
                int d = CONFIG.growthSteps().get(i);
                runs.add(run("G_stack", d, s, SCRATCH[s] + (d == 4 ? stack[s] : sweep[i][s]), budget));
            }
        }
        return GrowthClaims.of(new GrowthResults(CONFIG, v, runs, 0), true).claims();
    }

    /** A run whose loss falls linearly from 4 to {@code finalLoss} over the budget. */
    private static GrowthRun run(String method, int d, int seed, double finalLoss, long flops) {
        return new GrowthRun(method, seed, d, 10, flops, new Series(method, new double[] {0, flops},
                new double[] {4, finalLoss}), Double.NaN);
    }
}
