package frugal.scaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTableTest {
    @TempDir
    Path dir;

    private static RunTable table() {
        return RunTable.of(new Observation("big", 1e7, 256, 200, 3.1), new Observation("small", 1e6, 256, 100, 4.0),
                new Observation("big", 1e7, 256, 100, 3.6), new Observation("small", 1e6, 256, 200, 3.7));
    }

    @Test
    void keepsRunsInOrderAndStepsSorted() {
        RunTable t = table();
        assertEquals(List.of("big", "small"), t.runNames());
        assertEquals(List.of(100L, 200L), t.run("big").observations().stream().map(Observation::step).toList());
        assertArrayEquals(new double[] {1e6, 1e7}, t.modelSizes());
        assertEquals(2, t.fromStep(150).size());
        assertEquals(256 * 200, t.run("small").observations().get(1).tokens());
    }

    @Test
    void csvRoundTrips() throws Exception {
        Path file = dir.resolve("runs.csv");
        Files.writeString(file, table().toCsv());
        assertEquals(table().observations(), RunTable.readCsv(file).observations());
    }

    @Test
    void badValuesNameTheRow() {
        var nan = assertThrows(FrugalException.class, () -> new Observation("big", 1e7, 256, 300, Double.NaN));
        assertTrue(nan.getMessage().contains("run 'big', step 300") && nan.getMessage().contains("loss is NaN"),
                nan.getMessage());
        var negative = assertThrows(FrugalException.class, () -> new Observation("big", 1e7, 256, 300, -0.5));
        assertTrue(negative.getMessage().contains("loss is -0.5"), negative.getMessage());
        var params = assertThrows(FrugalException.class, () -> new Observation("big", 0, 256, 300, 3));
        assertTrue(params.getMessage().contains("params is 0.0"), params.getMessage());
        var batch = assertThrows(FrugalException.class,
                () -> new Observation("big", 1e7, Double.POSITIVE_INFINITY, 300, 3));
        assertTrue(batch.getMessage().contains("batch is Infinity"), batch.getMessage());
        var step = assertThrows(FrugalException.class, () -> new Observation("big", 1e7, 256, 0, 3));
        assertTrue(step.getMessage().contains("step must be >= 1"), step.getMessage());
    }

    @Test
    void inconsistentRunsAndRepeatedStepsAreRejected() {
        var size = assertThrows(FrugalException.class, () -> RunTable.of(new Observation("a", 1e6, 256, 100, 4),
                new Observation("a", 2e6, 256, 200, 3.5)));
        assertTrue(size.getMessage().contains("row 1 (run 'a', step 200) has params=2000000.0"), size.getMessage());
        var repeated = assertThrows(FrugalException.class, () -> RunTable.of(new Observation("a", 1e6, 256, 100, 4),
                new Observation("a", 1e6, 256, 100, 3.9)));
        assertTrue(repeated.getMessage().contains("rows 0 and 1 both hold run 'a' at step 100"), repeated.getMessage());
        var empty = assertThrows(FrugalException.class, () -> RunTable.of(List.of()));
        assertTrue(empty.getMessage().contains("no observations"), empty.getMessage());
        var none = assertThrows(FrugalException.class, () -> table().fromStep(1000));
        assertTrue(none.getMessage().contains("steps >= 1000"), none.getMessage());
    }

    @Test
    void csvErrorsNameTheLine() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, RunTable.CSV_HEADER + "\nbig,1e7,256,100,3.6\nbig,1e7,256,200,nan?\n");
        var bad = assertThrows(FrugalException.class, () -> RunTable.readCsv(file));
        assertTrue(bad.getMessage().contains("line 3") && bad.getMessage().contains("'loss' is 'nan?'"),
                bad.getMessage());
        Files.writeString(file, RunTable.CSV_HEADER + "\nbig,1e7,256,100,NaN\n");
        var nan = assertThrows(FrugalException.class, () -> RunTable.readCsv(file));
        assertTrue(nan.getMessage().contains("line 2") && nan.getMessage().contains("loss is NaN"), nan.getMessage());
        Files.writeString(file, "model,loss\n");
        var header = assertThrows(FrugalException.class, () -> RunTable.readCsv(file));
        assertTrue(header.getMessage().contains("line 1 must be the header"), header.getMessage());
        Files.writeString(file, RunTable.CSV_HEADER + "\nbig,1e7,256,100.5,3.6\n");
        var step = assertThrows(FrugalException.class, () -> RunTable.readCsv(file));
        assertTrue(step.getMessage().contains("not a whole number"), step.getMessage());
    }
}
