package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.plot.Series;
import frugal.sweep.LocalExecutor;
import frugal.sweep.Metrics;
import frugal.sweep.ResultStore;
import frugal.sweep.RunConfig;
import frugal.sweep.Sweep;
import frugal.sweep.SweepResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis on sweeps of a synthetic run function whose losses are known in closed form: a parabola in ln lr
 * around eta* = batch * A * T^B (muP: independent of width; standard: falling as 1/width).
 */
class PowerAnalysisTest {
    private static final double A = 0.5;
    private static final double B = -0.5;
    private static final List<Double> LRS = List.of(1.25e-3, 2.5e-3, 5e-3, 1e-2, 2e-2, 4e-2, 8e-2);
    private static final PowerExperiment EXPERIMENT = new PowerExperiment("full", 16, 1, 32, 16, List.of(8, 16, 32),
            LRS, List.of(1L << 17, 1L << 18, 1L << 19, 1L << 20), 1L << 14, 0.1, 0.1, 0.03, 2, List.of(1L, 2L),
            new PowerExperiment.Transfer(1, List.of(32, 64, 128), LRS, 16, 1L << 18), 2);

    @TempDir
    Path dir;

    static double etaStar(double batch, double tokens) {
        return etaStar(batch, tokens, B);
    }

    static double etaStar(double batch, double tokens, double b) {
        return batch * A * Math.pow(tokens, b);
    }

    static double floor(double tokens) {
        return 1.5 + 100 / Math.sqrt(tokens);
    }

    static double curve(double lr, double eta, double tokens) {
        double d = Math.log(lr) - Math.log(eta);
        return floor(tokens) + 0.05 * d * d;
    }

    /** Losses in closed form; Power sits {@code powerPenalty} above the tuned floor. */
    static Metrics synthetic(RunConfig c, double powerPenalty) {
        return synthetic(c, powerPenalty, 0);
    }

    /** As above, with the WSD grid's exponent b moved by -spread on seed 1 and +spread on seed 2. */
    static Metrics synthetic(RunConfig c, double powerPenalty, double spread) {
        Metrics m = Metrics.empty();
        for (long t : PowerRun.budgets(c)) {
            double batch = c.getLong("batch");
            double loss = switch (c.getString("schedule")) {
                case "wsd" -> {
                    double eta = etaStar(batch, t, B + (c.getLong("seed") == 1 ? -spread : spread));
                    if (c.getString("budgets").contains(",")) {
                        yield curve(c.getDouble("lr"), eta, t);
                    }
                    // the transfer sweep: standard parametrization moves the optimum as 1/width
                    double width = c.getLong("width");
                    yield curve(c.getDouble("lr"), c.getBoolean("mup") ? eta : eta * 32 / width, t);
                }
                case "power" -> floor(t) + powerPenalty;
                case "cosine" -> curve(c.getDouble("lr"), etaStar(batch, t), t);
                default -> throw new IllegalArgumentException(c.toString());
            };
            // seeds 1 and 2 scatter symmetrically: the analysis must see their mean
            loss += c.getLong("seed") == 1 ? 0.003 : -0.003;
            m = m.withFinal(PowerRun.valLoss(t), loss)
                    .withCurve(PowerRun.trainLoss(t), new Series("loss", new double[] {0, t}, new double[] {4, loss}));
        }
        return m;
    }

    private SweepResults sweep(String name, List<RunConfig> configs, double powerPenalty) {
        return Sweep.of(configs).run(c -> synthetic(c, powerPenalty), LocalExecutor.inProcess(),
                ResultStore.at(dir.resolve(name)));
    }

    @Test
    void recoversTheLawAndJudgesTheClaims() {
        WsdGrid wsd = WsdGrid.of(EXPERIMENT, sweep("wsd", EXPERIMENT.wsdConfigs(), 0));
        for (int batch : EXPERIMENT.batches()) {
            for (long t : EXPERIMENT.tokens()) {
                LrOptimum o = wsd.optimum(batch, t);
                assertTrue(o.bracketed());
                assertEquals(etaStar(batch, t), o.lr(), 1e-9 * o.lr(), "eta_opt of batch " + batch + ", T " + t);
                assertEquals(floor(t), o.loss(), 1e-9);
            }
            assertEquals(1.0, wsd.batchExponent(1L << 18), 1e-9);
        }
        GammaFit fit = wsd.gammaFit();
        assertEquals(A, fit.a(), 1e-6);
        assertEquals(B, fit.b(), 1e-9);
        assertEquals(12, fit.points().size());
        assertEquals(etaStar(16, 1L << 18), wsd.referenceLr(), 1e-9);
        // the largest best grid lr is 4e-2 (batch 32, the smallest T: eta* = 0.044); the experiment caps it at 0.03
        assertEquals(0.03, wsd.powerEtaMax(), 0);

        double cosineLr = wsd.referenceLr();
        ScheduleComparison comparison = ScheduleComparison.of(wsd,
                sweep("cmp", EXPERIMENT.comparisonConfigs(fit, wsd.powerEtaMax(), cosineLr), 0.01), fit, cosineLr);
        assertEquals(12, comparison.cells().size());
        for (ScheduleComparison.Cell c : comparison.cells()) {
            double tuned = wsd.bestLoss(c.batch(), c.tokens());
            // tuned WSD is the best grid point, a little above the parabola's floor
            assertEquals((floor(c.tokens()) + 0.01 - tuned) / tuned, c.powerGap(), 1e-12);
            assertEquals((curve(cosineLr, etaStar(c.batch(), c.tokens()), c.tokens()) - tuned) / tuned, c.cosineGap(),
                    1e-12);
        }
        assertTrue(comparison.maxPowerGap() < PowerClaims.GAP);
        assertTrue(comparison.maxCosineGap() > PowerClaims.GAP);

        MupTransfer transfer = MupTransfer.of(EXPERIMENT, sweep("transfer", EXPERIMENT.transferConfigs(), 0));
        assertEquals(0, transfer.shiftOctaves(true), 1e-9);
        assertEquals(-2, transfer.shiftOctaves(false), 1e-9);

        ClaimsTable claims = PowerClaims.table(EXPERIMENT, wsd, comparison, transfer);
        assertEquals(List.of("C1", "C2", "C3", "C4"), claims.claims().stream().map(c -> c.id()).toList());
        // the seeds differ by a constant, so every seed finds the same optima: intervals shrink to points
        assertTrue(claims.claims().stream().allMatch(c -> c.verdict() == Verdict.PASS), claims.toString());
        assertEquals(2, PowerClaims.lawExponents(wsd).n());
        assertEquals(B, PowerClaims.lawExponents(wsd).mean(), 1e-9);
        assertEquals(1, PowerClaims.batchExponents(wsd).mean(), 1e-9);
        assertEquals(0, PowerClaims.optimumSeedSpreadOctaves(wsd), 1e-9, "optima that agree over seeds");
        assertTrue(claims.claims().get(3).measured().contains("0.00 octaves (s.d."), claims.claims().get(3).measured());
        assertEquals(2, PowerClaims.batchExponents(wsd, 1L << 20).n());
        assertEquals(1, PowerClaims.batchExponents(wsd, 1L << 20).mean(), 1e-9);
        for (ScheduleComparison.Cell c : comparison.cells()) {
            assertEquals(2, c.powerGaps().n());
            assertEquals(c.powerGap(), c.powerGaps().mean(), 1e-4, "the seeds' mean gap is about the gap of means");
        }

        // the charts draw from the same results (log axes may add a hidden tick series, so names are checked)
        assertSeries(wsd.lossVsLr(8), "T=131072", "T=1048576");
        assertSeries(wsd.etaVsBatch(), "T=131072 (slope 1.00)");
        assertSeries(wsd.branches(16, 1e-2), "T=131072", "T=262144", "T=524288", "T=1048576");
        assertSeries(transfer.chart(true), "width 32", "width 64", "width 128");
        assertSeries(comparison.chart(), "Power, one (a, b)", "cosine, one lr");
        assertSeries(EXPERIMENT.powerChart(fit, wsd.powerEtaMax()), "Power, batch 8", "Power, batch 32");
        assertSeries(EXPERIMENT.scheduleChart(), "WSD, T=131072", "WSD, T=1048576", "cosine, T=1048576",
                "Power, T=1048576");
        assertTrue(wsd.optimaTable().text().contains("yes"));
    }

    private static void assertSeries(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String... names) {
        assertTrue(chart.getSeriesMap().keySet().containsAll(List.of(names)), chart.getSeriesMap().keySet().toString());
    }

    @Test
    void anExponentThatDiffersBySeedIsInconclusive() {
        // seed 1 finds b = -0.6, seed 2 b = -0.4: the mean -0.5 is the paper's, but two seeds this far apart
        // give an interval (t with 1 degree of freedom: +-1.27) far wider than the band [-1.0, -0.2]
        WsdGrid wsd = WsdGrid.of(EXPERIMENT, Sweep.of(EXPERIMENT.wsdConfigs()).run(c -> synthetic(c, 0, 0.1),
                LocalExecutor.inProcess(), ResultStore.at(dir.resolve("spread"))));
        SeedSpread b = PowerClaims.lawExponents(wsd);
        assertEquals(-0.5, b.mean(), 1e-9);
        assertEquals(2, b.n());
        assertEquals(Verdict.INCONCLUSIVE, PowerClaims.gammaLaw(wsd, true).verdict());
        assertEquals(Verdict.NOT_JUDGED, PowerClaims.gammaLaw(wsd, false).verdict());
        assertEquals(-0.6, wsd.forSeed(1).bracketedFit().orElseThrow().b(), 1e-9);
        // the two seeds' optima are 0.2 log2(T) octaves apart (3.4 to 4 here), an s.d. of that over sqrt 2
        double spread = PowerClaims.optimumSeedSpreadOctaves(wsd);
        assertTrue(spread > 0.2 * 17 / Math.sqrt(2) - 1e-9 && spread < 0.2 * 20 / Math.sqrt(2) + 1e-9, "spread " + spread);
    }

    /** WSD losses whose optimum at the largest budget goes as batch^e1 on seed 1 and batch^e2 on seed 2. */
    private WsdGrid lastBudgetBatchExponents(String name, double e1, double e2) {
        long last = EXPERIMENT.tokens().get(EXPERIMENT.tokens().size() - 1);
        return WsdGrid.of(EXPERIMENT, Sweep.of(EXPERIMENT.wsdConfigs()).run(c -> {
            Metrics m = Metrics.empty();
            double batch = c.getLong("batch");
            for (long t : PowerRun.budgets(c)) {
                double e = t != last ? 1 : c.getLong("seed") == 1 ? e1 : e2;
                double eta = Math.pow(batch / 16, e) * 16 * A * Math.pow(t, B);
                m = m.withFinal(PowerRun.valLoss(t), curve(c.getDouble("lr"), eta, t));
            }
            return m;
        }, LocalExecutor.inProcess(), ResultStore.at(dir.resolve(name))));
    }

    @Test
    void aBudgetWhereTheOptimumStopsGrowingFailsOnlyWhenEverySeedSaysSo() {
        // both seeds: eta_opt falls as batch^-0.5 at the largest budget, so that budget's exponent is -0.5 exactly
        WsdGrid falling = lastBudgetBatchExponents("falling", -0.5, -0.5);
        assertEquals(-0.5, PowerClaims.batchExponents(falling, EXPERIMENT.tokens().get(3)).mean(), 1e-9);
        assertEquals(Verdict.FAIL, PowerClaims.batchScaling(falling, true).verdict());

        // +1 on one seed, -1 on the other: the seeds' mean grid sees an exponent near 0 (a point estimate the old
        // rule failed on), but over two seeds that far apart the interval straddles 0: the run cannot tell
        WsdGrid spread = lastBudgetBatchExponents("spread", 1, -1);
        SeedSpread last = PowerClaims.batchExponents(spread, EXPERIMENT.tokens().get(3));
        assertEquals(0, last.mean(), 1e-9);
        assertEquals(Verdict.INCONCLUSIVE, last.above(0));
        assertTrue(Math.abs(spread.batchExponent(EXPERIMENT.tokens().get(3))) < 0.2);
        assertEquals(Verdict.INCONCLUSIVE, PowerClaims.batchScaling(spread, true).verdict());
    }

    @Test
    void powersCapIsTheLargestGridLrThatIsBestSomewhere() {
        PowerExperiment e = EXPERIMENT;
        PowerExperiment uncapped = new PowerExperiment(e.budget(), e.context(), e.layers(), e.width(), e.headDim(),
                e.batches(), e.lrs(), e.tokens(), e.warmupTokens(), e.decayFraction(), e.cosineFinalRatio(), 1.0,
                e.evalBatches(), e.seeds(), e.transfer(), e.workers());
        WsdGrid wsd = WsdGrid.of(uncapped, sweep("wsd", uncapped.wsdConfigs(), 0));
        // best grid lrs at batch 32: 4e-2, 4e-2, 2e-2, 2e-2 over the budgets (eta* 0.044 to 0.016); nowhere 8e-2
        assertEquals(4e-2, wsd.optimum(32, 1L << 17).gridLr(), 0);
        assertEquals(4e-2, wsd.powerEtaMax(), 0);
    }

    @Test
    void aPowerThatMissesAndAnOptimumThatDoesNotTransferFail() {
        WsdGrid wsd = WsdGrid.of(EXPERIMENT, sweep("wsd", EXPERIMENT.wsdConfigs(), 0));
        GammaFit fit = wsd.gammaFit();
        ScheduleComparison comparison = ScheduleComparison.of(wsd,
                sweep("cmp", EXPERIMENT.comparisonConfigs(fit, wsd.powerEtaMax(), wsd.referenceLr()), 0.2), fit, wsd.referenceLr());
        assertTrue(comparison.maxPowerGap() > PowerClaims.GAP);
        assertEquals(Verdict.FAIL, PowerClaims.oneSetting(comparison, true).verdict());
        assertEquals(Verdict.NOT_JUDGED, PowerClaims.oneSetting(comparison, false).verdict());
    }
}
