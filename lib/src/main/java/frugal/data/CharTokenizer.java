package frugal.data;

import frugal.core.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import frugal.core.FrugalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A character-level tokenizer: one id per distinct Unicode code point of the text it was fitted on,
 * ids in code point order, so the same text always gives the same vocabulary.
 *
 * <p>A character outside the vocabulary is an error naming it and its position ({@link
 * UnknownChars#ERROR}, the default: a silent substitute would hide a mismatch between corpora), or,
 * with {@link UnknownChars#MAP_TO_UNK}, maps to one extra id, {@link #unkId()}, decoded as U+FFFD.
 */
public final class CharTokenizer {
    /** What {@link #encode} does with a character that is not in the vocabulary. */
    public enum UnknownChars {
        /** Fail, naming the character and its position. */
        ERROR,
        /** Map it to the extra id {@link #unkId()}. */
        MAP_TO_UNK
    }

    /** What {@link #decode} writes for {@link #unkId()}: U+FFFD, the Unicode replacement character. */
    public static final char REPLACEMENT = '\uFFFD';

    private static final String FORMAT = "frugal-char-tokenizer";
    private static final int VERSION = 1;

    private final int[] codePoints;
    private final UnknownChars unknown;

    private CharTokenizer(int[] codePoints, UnknownChars unknown) {
        this.codePoints = codePoints;
        this.unknown = unknown;
    }

    /** The vocabulary of {@code text}; unknown characters are errors. */
    public static CharTokenizer fit(String text) {
        return fit(TextCorpus.of("text", List.of(text)));
    }

    /** The vocabulary of everything {@code corpus.text()} holds, separator included. */
    public static CharTokenizer fit(TextCorpus corpus) {
        var seen = new TreeSet<Integer>();
        if (corpus.size() > 1) {
            corpus.separator().codePoints().forEach(seen::add);
        }
        for (String d : corpus.documents()) {
            d.codePoints().forEach(seen::add);
        }
        if (seen.isEmpty()) {
            throw new FrugalException(corpus.name() + ": cannot fit a tokenizer on empty text");
        }
        return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray(), UnknownChars.ERROR);
    }

    /** The same vocabulary with another policy for unknown characters. */
    public CharTokenizer withUnknown(UnknownChars policy) {
        return new CharTokenizer(codePoints, policy);
    }

    public UnknownChars unknown() {
        return unknown;
    }

    /** Number of ids: the characters, plus one for {@link #unkId()} under {@link UnknownChars#MAP_TO_UNK}. */
    public int vocabSize() {
        return codePoints.length + (unknown == UnknownChars.MAP_TO_UNK ? 1 : 0);
    }

    /** The id of unknown characters (the last id); only under {@link UnknownChars#MAP_TO_UNK}. */
    public int unkId() {
        if (unknown != UnknownChars.MAP_TO_UNK) {
            throw new FrugalException("this tokenizer has no <unk> id: unknown characters are errors;"
                    + " use withUnknown(MAP_TO_UNK)");
        }
        return codePoints.length;
    }

    /** The vocabulary as a string, one character per id in id order (without the unknown id). */
    public String vocabulary() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** One id per code point of {@code text}. */
    public int[] encode(String text) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                if (unknown == UnknownChars.ERROR) {
                    throw new FrugalException("character " + describe(cp) + " at index " + i
                            + " is not in the tokenizer's vocabulary of " + codePoints.length + " characters;"
                            + " fit the tokenizer on text that contains it, or use withUnknown(MAP_TO_UNK)");
                }
                id = codePoints.length;
            }
            ids[n++] = id;
            i += Character.charCount(cp);
        }
        return ids;
    }

    /** The text of {@code ids}; {@link #unkId()} becomes {@link #REPLACEMENT}. */
    public String decode(int[] ids) {
        var sb = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocabSize()) {
                throw new FrugalException("token id " + id + " at position " + i + " is outside the vocabulary [0, "
                        + vocabSize() + ")");
            }
            sb.appendCodePoint(id == codePoints.length ? REPLACEMENT : codePoints[id]);
        }
        return sb.toString();
    }

    /** Writes the vocabulary and policy as JSON, through a temporary file and an atomic move. */
    public void save(Path file) {
        var json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("version", VERSION);
        json.addProperty("unknown", unknown.name());
        var cps = new JsonArray();
        for (int cp : codePoints) {
            cps.add(cp);
        }
        json.add("codePoints", cps);
        byte[] bytes = (new Gson().toJson(json) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a tokenizer written by {@link #save}, checking every field. */
    public static CharTokenizer load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FrugalException(file + ": no such tokenizer file");
        } catch (IOException e) {
            throw new FrugalException(file + ": could not be read: " + e.getMessage(), e);
        }
        try {
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            if (!json.has("format") || !FORMAT.equals(json.get("format").getAsString())) {
                throw bad(file, "not a Frugal character tokenizer (format is not \"" + FORMAT + "\")");
            }
            int version = json.get("version").getAsInt();
            if (version != VERSION) {
                throw bad(file, "version " + version + ", this Frugal reads version " + VERSION);
            }
            UnknownChars policy = policy(file, json.get("unknown").getAsString());
            JsonArray array = json.getAsJsonArray("codePoints");
            int[] cps = new int[array.size()];
            for (int i = 0; i < cps.length; i++) {
                JsonElement e = array.get(i);
                cps[i] = e.getAsInt();
                if (!Character.isValidCodePoint(cps[i]) || i > 0 && cps[i] <= cps[i - 1]) {
                    throw bad(file, "code point " + i + " (" + e + ") is invalid or out of order; the vocabulary"
                            + " must be distinct code points in increasing order");
                }
            }
            if (cps.length == 0) {
                throw bad(file, "empty vocabulary");
            }
            return new CharTokenizer(cps, policy);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException
                | ClassCastException | NumberFormatException e) {
            // gson reports a missing or mistyped field this way
            throw bad(file, "malformed (" + e + ")");
        }
    }

    private static UnknownChars policy(Path file, String name) {
        for (UnknownChars p : UnknownChars.values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw bad(file, "unknown-character policy '" + name + "' is not one of " + Arrays.toString(UnknownChars.values()));
    }

    @Override
    public String toString() {
        return "CharTokenizer(" + vocabSize() + " ids, unknown characters: " + unknown + ")";
    }

    private static FrugalException bad(Path file, String what) {
        return new FrugalException(file + ": " + what + "; save it again with CharTokenizer.save");
    }

    private static String describe(int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + Character.toString(cp)
                + "' ";
        return shown + String.format("(U+%04X)", cp);
    }
}
