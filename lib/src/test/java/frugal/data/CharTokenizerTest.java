package frugal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {
    private static final String TEXT = "hello, world\nnaïve café 🙂";

    @TempDir
    Path dir;

    @Test
    void vocabularyIsSortedDistinctCodePoints() {
        CharTokenizer t = CharTokenizer.fit("cabbac");
        assertEquals("abc", t.vocabulary());
        assertEquals(3, t.vocabSize());
        assertArrayEquals(new int[] {2, 0, 1, 1, 0, 2}, t.encode("cabbac"));
        assertEquals(t.vocabulary(), CharTokenizer.fit("bca").vocabulary(), "order-free, deterministic");
    }

    @Test
    void roundTripsTextIncludingCharactersOutsideTheBmp() {
        CharTokenizer t = CharTokenizer.fit(TEXT);
        int[] ids = t.encode(TEXT);
        assertEquals(TEXT.codePointCount(0, TEXT.length()), ids.length, "one id per code point");
        assertEquals(TEXT, t.decode(ids));
    }

    @Test
    void fitsACorpusIncludingItsSeparator() {
        var corpus = new TextCorpus("c", List.of("ab", "ba"), List.of(), "%");
        CharTokenizer t = CharTokenizer.fit(corpus);
        assertEquals("%ab", t.vocabulary());
        assertEquals(corpus.text(), t.decode(t.encode(corpus.text())));
    }

    @Test
    void unknownCharacterIsAnErrorByDefaultNamingItAndItsPosition() {
        CharTokenizer t = CharTokenizer.fit("abc");
        assertEquals(CharTokenizer.UnknownChars.ERROR, t.unknown());
        var e = assertThrows(FrugalException.class, () -> t.encode("abxc"));
        assertTrue(e.getMessage().contains("'x' (U+0078) at index 2"), e.getMessage());
        e = assertThrows(FrugalException.class, () -> t.encode("a\tb"));
        assertTrue(e.getMessage().contains("(U+0009) at index 1"), e.getMessage());
        assertThrows(FrugalException.class, t::unkId);
    }

    @Test
    void unknownCharacterMapsToTheUnkIdWhenAsked() {
        CharTokenizer t = CharTokenizer.fit("abc").withUnknown(CharTokenizer.UnknownChars.MAP_TO_UNK);
        assertEquals(4, t.vocabSize());
        assertEquals(3, t.unkId());
        assertArrayEquals(new int[] {0, 1, 3, 2}, t.encode("abxc"));
        assertEquals("ab\uFFFDc", t.decode(t.encode("abxc")));
        var e = assertThrows(FrugalException.class, () -> t.decode(new int[] {0, 4}));
        assertTrue(e.getMessage().contains("token id 4 at position 1"), e.getMessage());
    }

    @Test
    void savesAndLoadsTheVocabularyAndPolicy() {
        Path file = dir.resolve("vocab.json");
        CharTokenizer t = CharTokenizer.fit(TEXT).withUnknown(CharTokenizer.UnknownChars.MAP_TO_UNK);
        t.save(file);
        CharTokenizer back = CharTokenizer.load(file);
        assertEquals(t.vocabulary(), back.vocabulary());
        assertEquals(t.unknown(), back.unknown());
        assertArrayEquals(t.encode(TEXT + "?"), back.encode(TEXT + "?"));
        t.save(file);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rejectsDamagedVocabularyFiles() throws IOException {
        assertLoadFails("[1, 2]", "malformed");
        assertLoadFails("{\"format\": \"other\"}", "not a Frugal character tokenizer");
        assertLoadFails("{\"format\": \"frugal-char-tokenizer\", \"version\": 1, \"unknown\": \"ERROR\","
                + " \"codePoints\": [98, 97]}", "code point 1 (97) is invalid or out of order");
        assertLoadFails("{\"format\": \"frugal-char-tokenizer\", \"version\": 1, \"unknown\": \"MAYBE\","
                + " \"codePoints\": [97]}", "policy 'MAYBE'");
        assertLoadFails("{\"format\": \"frugal-char-tokenizer\", \"version\": 1, \"unknown\": \"ERROR\"}",
                "malformed");
    }

    private void assertLoadFails(String json, String what) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), json);
        var e = assertThrows(FrugalException.class, () -> CharTokenizer.load(file));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains(what), e.getMessage());
    }
}
