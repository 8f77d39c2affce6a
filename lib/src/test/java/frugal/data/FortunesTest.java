package frugal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fortune parsing on a tiny folder laid out like /usr/share/games/fortunes. */
class FortunesTest {
    @TempDir
    Path dir;

    private void topic(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        Files.write(dir.resolve(name + ".dat"), new byte[] {0, 0, 0, 2});
        Files.createSymbolicLink(dir.resolve(name + ".u8"), Path.of(name));
    }

    @Test
    void readsEachTopicFileAsADomainOfEntries() throws IOException {
        topic("science", "E = mc^2\n%\nAll models are wrong,\n  but some are useful.\n%\n");
        topic("art", "%\nArt is long.\n%\n\n%\nLife is short.\n");
        Files.writeString(dir.resolve("README"), "not a fortune file: it has no .dat index\n");
        TextCorpus c = Fortunes.load(dir);
        assertEquals(List.of("Art is long.", "Life is short.", "E = mc^2", "All models are wrong,\n  but some are useful."),
                c.documents());
        assertEquals(List.of("art", "art", "science", "science"), c.domains());
        assertEquals(List.of("art", "science"), c.domainNames());
        assertTrue(c.text().startsWith("Art is long.\n%\nLife is short.\n%\nE = mc^2\n%\nAll"), c.text());
    }

    @Test
    void rejectsAFolderWithoutFortunesAndInvalidText() throws IOException {
        var e = assertThrows(FrugalException.class, () -> Fortunes.load(dir));
        assertTrue(e.getMessage().contains("no fortune files"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install fortunes"), e.getMessage());

        Files.write(dir.resolve("broken"), new byte[] {'o', 'k', (byte) 0xC3, '\n'});
        Files.write(dir.resolve("broken.dat"), new byte[4]);
        e = assertThrows(FrugalException.class, () -> Fortunes.load(dir));
        assertTrue(e.getMessage().contains("broken: not valid UTF-8"), e.getMessage());
    }
}
