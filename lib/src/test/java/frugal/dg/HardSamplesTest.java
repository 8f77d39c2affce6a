package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import frugal.core.FrugalException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardSamplesTest {
    private static final HardSamples SAMPLES = new HardSamples("LFME", List.of("3/3", "2/3", "\u22641/3"),
            new int[] {10, 5, 0}, List.of("ERM", "LFME"),
            new double[][] {{0.9, 0.6, Double.NaN}, {0.8, 0.4, Double.NaN}},
            new double[][] {{0.9, 0.5, Double.NaN}, {0.9, 0.6, Double.NaN}});

    @Test
    void relativeDropComparesTheHardestNonEmptyBinWithFullAgreement() {
        assertEquals(1 - 0.6 / 0.9, SAMPLES.relativeConfidenceDrop("ERM"), 1e-12);
        assertEquals(0.5, SAMPLES.relativeConfidenceDrop("LFME"), 1e-12);
    }

    @Test
    void tableListsEveryBin() {
        String text = SAMPLES.table().text();
        assertEquals(2 + 3, text.lines().count(), text);
    }

    @Test
    void unknownAlgorithmIsAClearError() {
        assertThrows(FrugalException.class, () -> SAMPLES.relativeConfidenceDrop("Mixup"));
    }
}
