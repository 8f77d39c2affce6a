package frugal.schedule;

import static frugal.schedule.WsdScheduleTest.expectMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void constantIgnoresStepAndTokens() {
        LrSchedule constant = LrSchedule.constant(3e-4);
        assertEquals(3e-4, constant.lr(0, 0), 0.0);
        assertEquals(3e-4, constant.lr(1_000_000, 5_000_000_000L), 0.0);
        expectMessage(() -> LrSchedule.constant(-1), "constant learning rate must be finite and >= 0, got -1.0");
        expectMessage(() -> new ConstantSchedule(Double.POSITIVE_INFINITY), "got Infinity");
    }

    @Test
    void sampleGivesTheRateOfEachStep() {
        // tokens: warmup [0, 20), decay [60, 100]; step i has seen 10 i tokens
        WsdSchedule wsd = WsdSchedule.tokens(1.0, 100, 20, 40, DecayShape.LINEAR);
        double[] expected = {0, 0.5, 1, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0};
        assertArrayEquals(expected, LrSchedule.sample(wsd, 12, 10), 1e-15);
        // a step-indexed schedule sees the step index whatever the tokens per step
        assertArrayEquals(new double[] {0, 0.5, 1},
                LrSchedule.sample(WsdSchedule.steps(1.0, 10, 2, 0, DecayShape.LINEAR), 3, 4096), 0.0);
        assertEquals(0, LrSchedule.sample(wsd, 0, 10).length);
    }

    @Test
    void sampleRejectsBadArguments() {
        WsdSchedule wsd = WsdSchedule.tokens(1.0, 100, 20, 40, DecayShape.LINEAR);
        expectMessage(() -> LrSchedule.sample(wsd, -1, 10), "steps must be >= 0");
        expectMessage(() -> LrSchedule.sample(wsd, 5, 0), "tokensPerStep must be > 0");
        expectMessage(() -> LrSchedule.sample(null, 5, 10), "schedule is null");
    }

    @Test
    void stepsBeforeAPosition() {
        assertEquals(7, ScheduleUnit.STEPS.stepsBefore(7, 1000));
        assertEquals(3, ScheduleUnit.TOKENS.stepsBefore(30, 10)); // steps 0, 1, 2 see 0, 10, 20 tokens
        assertEquals(4, ScheduleUnit.TOKENS.stepsBefore(31, 10)); // step 3 sees 30 < 31
        assertEquals(0, ScheduleUnit.TOKENS.stepsBefore(0, 10));
        expectMessage(() -> ScheduleUnit.TOKENS.stepsBefore(30, 0), "tokensPerStep must be > 0");
    }
}
