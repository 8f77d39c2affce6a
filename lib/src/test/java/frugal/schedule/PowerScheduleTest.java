package frugal.schedule;

import static frugal.schedule.WsdScheduleTest.expectMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PowerScheduleTest {

    // b = -0.5 and batch 1 so etaPower(n) = min(0.02, 4 / sqrt(n)) is easy by hand; the cap binds for n < 40_000.
    // 1_000_000 tokens: warmup [0, 10_000), power law until 640_000, exponential decay over [640_000, 1_000_000].
    private final PowerSchedule power = new PowerSchedule(4, -0.5, 0.02, 1, 1_000_000, 10_000, 360_000,
            DecayShape.EXPONENTIAL);

    @Test
    void powerLawAndItsCap() {
        assertEquals(0.02, power.etaPower(0), 0.0); // 0^b is infinite: capped
        assertEquals(0.02, power.etaPower(20_000), 0.0); // 4 / 141.4 = 0.028: capped
        assertEquals(0.02, power.etaPower(40_000), 1e-15); // 4 / 200: exactly at the cap
        assertEquals(0.01, power.etaPower(160_000), 1e-15); // 4 / 400
    }

    @Test
    void phasesByHand() {
        // warmup ramps to etaPower(10_000) = min(0.02, 4 / 100) = 0.02
        assertEquals(0.0, power.lr(0, 0), 0.0);
        assertEquals(0.01, power.lr(0, 5000), 1e-15);
        assertEquals(0.02, power.lr(0, 10_000), 0.0); // warmup end, capped
        assertEquals(0.008, power.lr(0, 250_000), 1e-15); // 4 / 500
        assertEquals(4 / Math.sqrt(639_999), power.lr(0, 639_999), 1e-15); // last power-law token
        // decay start: etaPower(640_000) = 4 / 800 = 0.005, factor 1
        assertEquals(0.005, power.lr(0, 640_000), 1e-15);
        // half the decay: 0.005 * (e^0.5 - 1) / (e - 1) = 0.005 * 0.3775406688
        assertEquals(0.001887703344, power.lr(0, 820_000), 1e-12);
        assertEquals(0.0, power.lr(0, 1_000_000), 0.0);
        assertEquals(0.0, power.lr(0, 2_000_000), 0.0); // clamped past the end
        assertEquals(power.lr(0, 250_000), power.lr(123_456, 250_000), 0.0, "reads tokens only");
    }

    @Test
    void warmupRampsToAnUncappedTarget() {
        PowerSchedule longWarmup = new PowerSchedule(4, -0.5, 0.02, 2, 1_000_000, 250_000, 0, DecayShape.LINEAR);
        // target 2 * 4 / 500 = 0.016; half way 0.008
        assertEquals(0.008, longWarmup.lr(0, 125_000), 1e-15);
        assertEquals(0.016, longWarmup.lr(0, 250_000), 1e-15);
        assertEquals(0.008, longWarmup.lr(0, 1_000_000), 1e-15); // no decay: 8 / 1000 at the end
    }

    @Test
    void paperSettings() {
        PowerSchedule paper = PowerSchedule.paper(256, 20_000_000_000L, 0, 1_000_000_000L);
        // 256 * 4 * (1e10)^-0.51 = 1024 * 10^-5.1 = 1024 * 7.943282e-6 = 0.00813392
        assertEquals(0.00813392, paper.lr(0, 10_000_000_000L), 1e-8);
        assertEquals(0.02, paper.lr(0, 1_000_000), 0.0); // 1024 * 1e6^-0.51 = 0.89: capped at etaMax
    }

    @Test
    void badConfigsNameWhatIsWrong() {
        expectMessage(() -> new PowerSchedule(4, 0, 0.02, 1, 100, 0, 0, DecayShape.EXPONENTIAL),
                "b must be negative: the paper fits b = -0.51");
        expectMessage(() -> new PowerSchedule(4, 0.3, 0.02, 1, 100, 0, 0, DecayShape.EXPONENTIAL), "b must be negative");
        expectMessage(() -> new PowerSchedule(0, -0.5, 0.02, 1, 100, 0, 0, DecayShape.EXPONENTIAL), "a must be finite and > 0");
        expectMessage(() -> new PowerSchedule(-4, -0.5, 0.02, 1, 100, 0, 0, DecayShape.EXPONENTIAL), "a must be");
        expectMessage(() -> new PowerSchedule(4, -0.5, 0, 1, 100, 0, 0, DecayShape.EXPONENTIAL), "etaMax must be finite and > 0");
        expectMessage(() -> new PowerSchedule(4, -0.5, Double.NaN, 1, 100, 0, 0, DecayShape.EXPONENTIAL), "etaMax");
        expectMessage(() -> new PowerSchedule(4, -0.5, 0.02, 0, 100, 0, 0, DecayShape.EXPONENTIAL),
                "batchSize must be > 0 sequences");
        expectMessage(() -> PowerSchedule.paper(8, 100, 60, 50), "warmup (60) + decay (50) = 110 tokens is longer than the run");
        expectMessage(() -> new PowerSchedule(4, -0.5, 0.02, 1, 100, 0, 0, null), "decay shape is null");
        expectMessage(() -> power.lr(0, -1), "tokens count from 0");
    }
}
