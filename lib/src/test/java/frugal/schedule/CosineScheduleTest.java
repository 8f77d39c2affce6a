package frugal.schedule;

import static frugal.schedule.WsdScheduleTest.expectMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CosineScheduleTest {

    // warmup [0, 100), cosine over [100, 1100] from 0.1 down to 0.1 * 0.1
    private final CosineSchedule cosine = CosineSchedule.steps(0.1, 1100, 100, 0.1);

    @Test
    void valuesByHand() {
        assertEquals(0.0, cosine.lr(0, 0), 0.0);
        assertEquals(0.05, cosine.lr(50, 0), 1e-15);
        assertEquals(0.1, cosine.lr(100, 0), 1e-15); // warmup end = cosine start
        // a quarter: (1 + cos(pi/4)) / 2 = (1 + 0.7071067812) / 2 = 0.8535533906;
        // 0.1 * (0.1 + 0.9 * 0.8535533906) = 0.1 * 0.8681980515
        assertEquals(0.08681980515, cosine.lr(350, 0), 1e-11);
        // half: 0.1 * (0.1 + 0.9 * 0.5)
        assertEquals(0.055, cosine.lr(600, 0), 1e-15);
        assertEquals(0.01, cosine.lr(1100, 0), 1e-15);
        assertEquals(0.01, cosine.lr(2000, 0), 1e-15); // clamped past the end
    }

    @Test
    void tokenIndexedReadsTokens() {
        CosineSchedule tokens = CosineSchedule.tokens(2.0, 1000, 0, 0);
        assertEquals(2.0, tokens.lr(500, 0), 0.0);
        assertEquals(1.0, tokens.lr(0, 500), 1e-15);
        assertEquals(0.0, tokens.lr(0, 1000), 0.0);
    }

    @Test
    void badConfigs() {
        expectMessage(() -> CosineSchedule.steps(0.1, 1000, 1000, 0), "takes the whole run");
        expectMessage(() -> CosineSchedule.steps(0.1, 1000, 1001, 0), "is longer than the run (1000 steps)");
        expectMessage(() -> CosineSchedule.steps(0.1, 1000, 10, -0.5), "finalRatio must be in [0, 1]");
        expectMessage(() -> CosineSchedule.steps(-1, 1000, 10, 0), "cosine peakLr must be finite and >= 0");
    }
}
