package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistilledSetsTest {
    @Test
    void savedSetsLoadBackIdentical(@TempDir Path dir) {
        ImageSet set = RealImages.random(DistillFixtures.train(), 2, 3);
        Path out = DistilledSets.save(set, dir.resolve("set"));
        assertTrue(Files.isRegularFile(out.resolve("0000.png")));
        ImageSet back = DistilledSets.load(out, FashionMnist.NORMALIZATION);
        assertEquals(set.size(), back.size());
        assertEquals(set.classNames(), back.classNames());
        for (int i = 0; i < set.size(); i++) {
            assertArrayEquals(set.pixels(i), back.pixels(i));
            assertEquals(set.label(i), back.label(i));
        }
    }

    @Test
    void missingOrBrokenFilesAreClearErrors(@TempDir Path dir) throws Exception {
        var missing = assertThrows(FrugalException.class, () -> DistilledSets.load(dir, FashionMnist.NORMALIZATION));
        assertTrue(missing.getMessage().contains("labels.csv"), missing.getMessage());
        Path out = DistilledSets.save(RealImages.random(DistillFixtures.train(), 1, 3), dir.resolve("set"));
        Files.writeString(out.resolve("0003.png"), "not a png");
        var broken = assertThrows(FrugalException.class, () -> DistilledSets.load(out, FashionMnist.NORMALIZATION));
        assertTrue(broken.getMessage().contains("0003.png"), broken.getMessage());
    }
}
