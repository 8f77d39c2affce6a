package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.plot.Series;
import frugal.sweep.Metrics;
import frugal.mup.MupConfig;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real tiny run on fortunes: the curve is recorded where asked and falls. */
class LossCurveRunTest {
    private static final Setup SETUP = new Setup(Corpus.FORTUNES, 16, 1e-2, 5, MupConfig.disabled());

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void trainsATinyModelAndRecordsAFallingValidationCurve() {
        RunSpec spec = new RunSpec(SETUP, new ModelSize(1, 8, 2), 8, 40, 5, 1, 3);
        Metrics m = new LossCurveRun().run(spec.toConfig());
        Series curve = m.curve(LossCurveRun.VAL_LOSS);
        assertArrayEquals(Arrays.stream(spec.evalSteps()).asDoubleStream().toArray(), curve.x());
        int vocab = TokenData.of(Corpus.FORTUNES).vocab();
        assertTrue(curve.y()[0] < Math.log(vocab) + 0.5, "starts near ln(vocab): " + curve.y()[0]);
        assertTrue(curve.y()[curve.size() - 1] < curve.y()[0] - 0.3, "the loss falls: " + Arrays.toString(curve.y()));
        assertEquals(spec.size().nonEmbeddingParams(vocab, 16), m.get(LossCurveRun.PARAMS));
        assertEquals(8 * 16, m.get(LossCurveRun.BATCH_TOKENS));
        assertEquals(curve.y()[curve.size() - 1], m.get(LossCurveRun.VAL_LOSS));
        assertEquals(m, new LossCurveRun().run(spec), "the same configuration gives the same numbers");
    }

    @Test
    void evalStepsAreLogSpacedDistinctAndEndAtTheLastStep() {
        long[] steps = new RunSpec(SETUP, new ModelSize(1, 8, 2), 8, 3000, 24, 8, 1).evalSteps();
        assertEquals(3000, steps[steps.length - 1]);
        assertEquals(30, steps[0]);
        assertEquals(24, steps.length);
        for (int i = 1; i < steps.length; i++) {
            double ratio = (double) steps[i] / steps[i - 1];
            assertTrue(ratio > 1.15 && ratio < 1.28, "log spacing between " + steps[i - 1] + " and " + steps[i]);
        }
        long[] few = new RunSpec(SETUP, new ModelSize(1, 8, 2), 8, 10, 24, 8, 1).evalSteps();
        assertEquals(10, few.length, "short runs measure every step once");
    }

    @Test
    void aRunTravelsAsAConfigurationAndBack() {
        RunSpec spec = new RunSpec(new Setup(Corpus.JDK_SOURCE, 32, 3e-3, 10, MupConfig.disabled()), new ModelSize(2, 24, 4), 16, 500, 12,
                4, 9);
        assertEquals(spec, RunSpec.of(spec.toConfig()));
        assertEquals(16 * 32, spec.batchTokens());
        assertThrows(FrugalException.class, () -> RunSpec.of(spec.toConfig().with("protocol", 0)));
        assertThrows(FrugalException.class, () -> RunSpec.of(spec.toConfig().with("corpus", "WIKIPEDIA")));
        assertThrows(FrugalException.class, () -> new ModelSize(2, 30, 4), "heads must divide the width");
        assertThrows(FrugalException.class, () -> new Setup(Corpus.FORTUNES, 64, 2, 10, MupConfig.disabled()), "learning rate 2");
    }
}
