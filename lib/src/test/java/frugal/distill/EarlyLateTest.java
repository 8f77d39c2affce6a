package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import frugal.core.FrugalException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EarlyLateTest {
    @Test
    void ipc10InEightRoundsIsThePapers() {
        assertArrayEquals(new int[] {2, 2, 1, 1, 1, 1, 1, 1}, EarlyLate.perRound(10, 8));
    }

    @Test
    void ipc50InEightRoundsIsDeltsRule() {
        // recover.py: ones(rounds) * (ipc // rounds), the first ipc % rounds rounds get one more
        assertArrayEquals(new int[] {7, 7, 6, 6, 6, 6, 6, 6}, EarlyLate.perRound(50, 8));
        assertEquals(50, Arrays.stream(EarlyLate.perRound(50, 8)).sum());
    }

    @Test
    void ipcOneIsFlat() {
        assertArrayEquals(new int[] {0}, EarlyLate.startIterations(1, 8, 4000));
        assertEquals(0, EarlyLate.saving(1, 8, 4000), 0);
    }

    @Test
    void startsAndSavingsOfTheDeltSetting() {
        // 4000 iterations in rounds of 500: early images get 4000, the last ones 500
        int[] start = EarlyLate.startIterations(10, 8, 4000);
        assertArrayEquals(new int[] {0, 0, 500, 500, 1000, 1500, 2000, 2500, 3000, 3500}, start);
        long ipc10 = EarlyLate.imageIterations(start, 4000);
        assertEquals(2 * 4000 + 2 * 3500 + 3000 + 2500 + 2000 + 1500 + 1000 + 500, ipc10);
        assertEquals(1 - ipc10 / 40000.0, EarlyLate.saving(10, 8, 4000), 1e-12);
        // IPC 50: 7 x 4000 + 7 x 3500 + 6 x (3000 + ... + 500) of 200,000: about 42% saved (the card: ~40%)
        assertEquals(1 - 115500 / 200000.0, EarlyLate.saving(50, 8, 4000), 1e-12);
    }

    @Test
    void roundsMustDivideTheIterations() {
        assertThrows(FrugalException.class, () -> EarlyLate.startIterations(10, 8, 1001));
        assertThrows(FrugalException.class, () -> EarlyLate.perRound(0, 8));
    }
}
