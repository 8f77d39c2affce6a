package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.schedule.PowerSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GammaFitTest {
    private static List<GammaFit.Point> law(double a, double b, double noise) {
        Random r = new Random(4);
        List<GammaFit.Point> points = new ArrayList<>();
        for (int batch : new int[] {8, 16, 32}) {
            for (long t = 1 << 17; t <= 1 << 20; t *= 2) {
                points.add(new GammaFit.Point(batch, t, a * Math.pow(t, b) * Math.exp(noise * r.nextGaussian())));
            }
        }
        return points;
    }

    @Test
    void recoversAnExactPowerLaw() {
        GammaFit fit = GammaFit.fit(law(4.6, -0.51, 0));
        assertEquals(4.6, fit.a(), 1e-9);
        assertEquals(-0.51, fit.b(), 1e-12);
        assertEquals(1.0, fit.rSquared(), 1e-12);
        assertEquals(0.0, fit.bStandardError(), 1e-6);
        assertEquals(16 * 4.6 * Math.pow(1e6, -0.51), fit.eta(16, 1e6), 1e-15);
    }

    @Test
    void noisyPointsGiveAStandardErrorThatCoversTheTruth() {
        GammaFit fit = GammaFit.fit(law(2.0, -0.6, 0.05));
        assertTrue(fit.bStandardError() > 0);
        assertTrue(Math.abs(fit.b() + 0.6) < 3 * fit.bStandardError(), fit.toString());
    }

    @Test
    void aRisingFitFallsBackToThePaperExponentForPower() {
        GammaFit rising = GammaFit.fit(law(1e-4, 0.2, 0));
        GammaFit power = rising.forPowerSchedule();
        assertEquals(PowerSchedule.PAPER_B, power.b());
        // a refitted so the law passes through the points' geometric mean
        double meanLog = rising.points().stream().mapToDouble(p -> Math.log(p.gamma()) - PowerSchedule.PAPER_B
                * Math.log(p.tokens())).average().orElseThrow();
        assertEquals(Math.exp(meanLog), power.a(), 1e-12 * power.a());
        GammaFit falling = GammaFit.fit(law(4, -0.5, 0));
        assertSame(falling, falling.forPowerSchedule());
        assertEquals(-0.5, falling.schedule(0.02, 16, 1 << 20, 1 << 14, 1 << 16).b(), 1e-12);
    }

    @Test
    void oneBudgetOrABadGammaIsAnError() {
        FrugalException one = assertThrows(FrugalException.class,
                () -> GammaFit.fit(List.of(new GammaFit.Point(8, 1000, 1e-3), new GammaFit.Point(16, 1000, 2e-3))));
        assertTrue(one.getMessage().contains("two token budgets"), one.getMessage());
        assertThrows(FrugalException.class,
                () -> GammaFit.fit(List.of(new GammaFit.Point(8, 1000, 1e-3), new GammaFit.Point(8, 2000, 0))));
    }
}
