package frugal.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerLawFitTest {
    private static final double N_C = Synthetic.KAPLAN.nC();
    private static final double ALPHA_N = Synthetic.KAPLAN.alphaN();
    /** 1% multiplicative noise: typical scatter of final losses between seeds of small models. */
    private static final double NOISE = 0.01;

    /** {@code repeats} noisy converged losses at each of 10 sizes spanning 3 decades. */
    private static double[][] data(int repeats, Random rng) {
        double[] sizes = Synthetic.geometric(1e5, 1e8, 10);
        double[] n = new double[sizes.length * repeats];
        double[] loss = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = sizes[i % sizes.length];
            loss[i] = Laws.power(N_C, n[i], ALPHA_N) * Math.exp(NOISE * rng.nextGaussian());
        }
        return new double[][] {n, loss};
    }

    @Test
    void recoversKaplanConstantsFromNoisyLosses() {
        double[][] d = data(1, new Random(1));
        PowerLawFit fit = PowerLawFit.fit(d[0], d[1]);
        // expected standard error of alpha_N: 0.01 / (sqrt(10) * sd(ln N) ~ 2.2) ~ 0.0015; 0.006 is 4 of them
        assertEquals(ALPHA_N, fit.alphaN().value(), 0.006);
        assertTrue(Math.abs(fit.alphaN().value() - ALPHA_N) < 4 * fit.alphaN().standardError());
        // ln N_c = ln N + ln L / alpha_N amplifies the alpha_N error by ln L / alpha_N^2 ~ 200: a factor 3 is
        // what 4 standard errors allow; the loss prediction below is the quantity that matters and is tight
        assertTrue(fit.nC().value() > N_C / 3 && fit.nC().value() < N_C * 3, "N_c " + fit.nC().value());
        // a model 4x larger than any fitted one: the extrapolated loss within 1%
        double held = 4e8;
        assertEquals(Laws.power(N_C, held, ALPHA_N), fit.predict(held), 0.01 * fit.predict(held));
        assertTrue(fit.quality().rSquared() > 0.97, fit.quality().toString());
        assertEquals(10, fit.quality().points());
        assertEquals(8, fit.quality().degreesOfFreedom());
    }

    @Test
    void exactDataGiveTheExactConstants() {
        double[] n = Synthetic.geometric(1e5, 1e8, 6);
        double[] loss = Arrays.stream(n).map(x -> Laws.power(N_C, x, ALPHA_N)).toArray();
        PowerLawFit fit = PowerLawFit.fit(n, loss);
        assertEquals(ALPHA_N, fit.alphaN().value(), 1e-9);
        assertEquals(1, fit.nC().value() / N_C, 1e-6);
        assertEquals(1, fit.quality().rSquared(), 1e-12);
    }

    @Test
    void standardErrorShrinksWithMoreData() {
        double[][] few = data(1, new Random(2));
        double[][] many = data(16, new Random(3));
        double seFew = PowerLawFit.fit(few[0], few[1]).alphaN().standardError();
        double seMany = PowerLawFit.fit(many[0], many[1]).alphaN().standardError();
        // 16x the data: expected ratio 1/4; 0.5 leaves room for the noise in each estimate of s
        assertTrue(seMany < 0.5 * seFew, seMany + " vs " + seFew);
    }

    @Test
    void intervalsCoverTheTrueConstantsAboutAsOftenAsStated() {
        Random rng = new Random(4);
        int replicas = 300;
        int alphaCovered = 0;
        int nCCovered = 0;
        for (int r = 0; r < replicas; r++) {
            double[][] d = data(1, rng);
            PowerLawFit fit = PowerLawFit.fit(d[0], d[1]);
            alphaCovered += fit.alphaN().covers(ALPHA_N) ? 1 : 0;
            nCCovered += fit.nC().covers(N_C) ? 1 : 0;
        }
        // nominal 95%; the binomial sd of 300 draws is 1.3%, so 90%..99% is ~4 sd either side
        double alphaRate = alphaCovered / (double) replicas;
        double nCRate = nCCovered / (double) replicas;
        assertTrue(alphaRate > 0.90 && alphaRate < 0.99, "alpha_N coverage " + alphaRate);
        assertTrue(nCRate > 0.90 && nCRate < 0.99, "N_c coverage " + nCRate);
    }

    @Test
    void lowestLossPerSizeIsFitted() {
        RunTable table = Synthetic.minStepRuns(Synthetic.KAPLAN, Synthetic.geometric(1e6, 1e8, 5),
                Synthetic.steps(1000, 1_000_000, 5), 0, new Random(5));
        PowerLawFit fit = PowerLawFit.fitLowestLosses(table);
        assertEquals(5, fit.quality().points());
        // the lowest loss is at S = 1e6, where the step term (2.1e3/1e6)^0.76 ~ 0.009 nats is ~0.3% of L
        assertEquals(ALPHA_N, fit.alphaN().value(), 0.003);
    }

    @Test
    void degenerateInputFailsWithAClearMessage() {
        var oneSize = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, 1e6, 1e6}, new double[] {3, 3.1, 2.9}));
        assertTrue(oneSize.getMessage().contains("1 distinct model sizes"), oneSize.getMessage());
        var nan = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, 1e7, 1e8}, new double[] {3, Double.NaN, 2}));
        assertTrue(nan.getMessage().contains("losses[1] is NaN"), nan.getMessage());
        var negative = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, 1e7, 1e8}, new double[] {3, 2.5, -1}));
        assertTrue(negative.getMessage().contains("losses[2] is -1.0"), negative.getMessage());
        var infinite = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, Double.POSITIVE_INFINITY, 1e8}, new double[] {3, 2.5, 2}));
        assertTrue(infinite.getMessage().contains("params[1] is Infinity"), infinite.getMessage());
        var twoPoints = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, 1e7}, new double[] {3, 2.5}));
        assertTrue(twoPoints.getMessage().contains("2 data points for 2 parameters"), twoPoints.getMessage());
        var mismatch = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, 1e7, 1e8}, new double[] {3, 2.5}));
        assertTrue(mismatch.getMessage().contains("3 model sizes but 2 losses"), mismatch.getMessage());
        var rising = assertThrows(FrugalException.class,
                () -> PowerLawFit.fit(new double[] {1e6, 1e7, 1e8}, new double[] {2, 2.5, 3}));
        assertTrue(rising.getMessage().contains("does not fall with model size"), rising.getMessage());
    }
}
