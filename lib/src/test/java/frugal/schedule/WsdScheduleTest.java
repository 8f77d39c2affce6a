package frugal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class WsdScheduleTest {

    // 1000 steps: warmup [0, 100), stable [100, 800), linear decay [800, 1000]
    private final WsdSchedule linear = WsdSchedule.steps(0.01, 1000, 100, 200, DecayShape.LINEAR);

    @Test
    void linearDecayAtEachPhaseBoundary() {
        assertEquals(0.0, linear.lr(0, 0), 0.0);
        assertEquals(0.005, linear.lr(50, 0), 1e-15); // half the warmup
        assertEquals(0.01, linear.lr(100, 0), 0.0); // warmup end
        assertEquals(0.01, linear.lr(500, 0), 0.0); // stable
        assertEquals(0.01, linear.lr(799, 0), 0.0); // last stable step
        assertEquals(0.01, linear.lr(800, 0), 0.0); // decay start: factor 1
        assertEquals(0.005, linear.lr(900, 0), 1e-15); // half the decay
        assertEquals(0.0, linear.lr(1000, 0), 0.0); // decay end
        assertEquals(0.0, linear.lr(5000, 0), 0.0); // past the end: clamped at the end value
        assertEquals(800, linear.decayStart());
    }

    @Test
    void finalRatioSetsTheFloor() {
        WsdSchedule floored = linear.withFinalRatio(0.1);
        // 0.01 * (0.1 + 0.9 * 0.5)
        assertEquals(0.0055, floored.lr(900, 0), 1e-15);
        assertEquals(0.001, floored.lr(1000, 0), 1e-15);
        assertEquals(0.001, floored.lr(1001, 0), 1e-15);
    }

    @Test
    void tokenIndexedExponentialReadsTokensOnly() {
        // 10_000 tokens: warmup 1000, decay over [8000, 10_000]
        WsdSchedule wsd = WsdSchedule.tokens(1.0, 10_000, 1000, 2000, DecayShape.EXPONENTIAL);
        assertEquals(0.25, wsd.lr(7, 250), 1e-15);
        assertEquals(1.0, wsd.lr(7, 8000), 0.0);
        // half the decay: (e^0.5 - 1) / (e - 1) = 0.6487212707 / 1.7182818285
        assertEquals(0.3775406688, wsd.lr(7, 9000), 1e-10);
        assertEquals(0.0, wsd.lr(7, 10_000), 0.0);
        assertEquals(0.0, wsd.lr(0, 10_000), 0.0, "the step is not read");
        assertEquals(0.0, wsd.lr(9000, 0), 0.0, "9000 steps but 0 tokens: warmup start");
    }

    @Test
    void fractionsRoundToWholeUnits() {
        WsdSchedule wsd = WsdSchedule.ofFractions(0.5, 333, 0.1, 0.15, DecayShape.COSINE, ScheduleUnit.STEPS);
        assertEquals(33, wsd.warmup()); // 33.3
        assertEquals(50, wsd.decay()); // 49.95
        // cosine decay over [283, 333]: at 308, half way, (1 + cos(pi/2)) / 2 = 0.5
        assertEquals(0.25, wsd.lr(308, 0), 1e-15);
    }

    @Test
    void noDecayPhaseStaysAtPeak() {
        WsdSchedule flat = WsdSchedule.steps(0.3, 10, 4, 0, DecayShape.LINEAR);
        assertEquals(0.15, flat.lr(2, 0), 1e-15);
        assertEquals(0.3, flat.lr(10, 0), 0.0);
        assertEquals(0.3, flat.lr(11, 0), 0.0);
    }

    @Test
    void badConfigsNameWhatIsWrong() {
        expectMessage(() -> WsdSchedule.steps(-0.1, 1000, 100, 200, DecayShape.LINEAR), "peakLr must be finite and >= 0");
        expectMessage(() -> WsdSchedule.steps(Double.NaN, 1000, 100, 200, DecayShape.LINEAR), "got NaN");
        expectMessage(() -> WsdSchedule.steps(Double.POSITIVE_INFINITY, 1000, 100, 200, DecayShape.LINEAR), "peakLr");
        expectMessage(() -> WsdSchedule.steps(0.1, 1000, 300, 800, DecayShape.LINEAR),
                "warmup (300) + decay (800) = 1100 steps is longer than the run (1000 steps)");
        expectMessage(() -> WsdSchedule.tokens(0.1, 0, 0, 0, DecayShape.LINEAR), "run length (total tokens) must be > 0");
        expectMessage(() -> WsdSchedule.steps(0.1, 1000, -1, 200, DecayShape.LINEAR), "warmup must be >= 0, got -1");
        expectMessage(() -> WsdSchedule.steps(0.1, 1000, 100, -5, DecayShape.LINEAR), "decay must be >= 0, got -5");
        expectMessage(() -> linear.withFinalRatio(1.5), "finalRatio must be in [0, 1], got 1.5");
        expectMessage(() -> WsdSchedule.steps(0.1, 1000, 100, 200, null), "decay shape is null");
        expectMessage(() -> new WsdSchedule(0.1, 1000, 100, 200, DecayShape.LINEAR, 0, null), "unit");
        expectMessage(() -> WsdSchedule.ofFractions(0.1, 1000, 0.1, 1.2, DecayShape.LINEAR, ScheduleUnit.STEPS),
                "decayFraction must be in [0, 1], got 1.2");
        expectMessage(() -> WsdSchedule.ofFractions(0.1, 1000, 0.6, 0.6, DecayShape.LINEAR, ScheduleUnit.STEPS),
                "is longer than the run");
    }

    @Test
    void negativePositionIsAnError() {
        expectMessage(() -> linear.lr(-1, 0), "steps = -1");
        WsdSchedule tokens = WsdSchedule.tokens(1.0, 100, 10, 10, DecayShape.LINEAR);
        expectMessage(() -> tokens.lr(0, -3), "tokens count from 0");
    }

    static void expectMessage(Executable bad, String expected) {
        FrugalException e = assertThrows(FrugalException.class, bad);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
