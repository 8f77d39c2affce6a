package frugal.scalingexp;

import frugal.data.CharTokenizer;
import frugal.data.Split;
import frugal.data.TextCorpus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A corpus as character tokens, split by whole documents into 95% train and 5% validation (fixed seed, so every
 * run of a study sees the same split). Loaded once per JVM: a sweep worker reuses it for all its runs.
 */
public final class TokenData {
    private static final double TRAIN_FRACTION = 0.95;
    private static final long SPLIT_SEED = 7;
    private static final Map<Corpus, TokenData> LOADED = new ConcurrentHashMap<>();

    private final Corpus corpus;
    private final int vocab;
    private final int[] train;
    private final int[] val;

    private TokenData(Corpus corpus, int vocab, int[] train, int[] val) {
        this.corpus = corpus;
        this.vocab = vocab;
        this.train = train;
        this.val = val;
    }

    /** The corpus's tokens, loaded and encoded on first use in this JVM. */
    public static TokenData of(Corpus corpus) {
        return LOADED.computeIfAbsent(corpus, TokenData::load);
    }

    private static TokenData load(Corpus corpus) {
        TextCorpus text = corpus.load();
        CharTokenizer tokenizer = CharTokenizer.fit(text);
        Split<TextCorpus> split = text.split(TRAIN_FRACTION, SPLIT_SEED);
        return new TokenData(corpus, tokenizer.vocabSize(), tokenizer.encode(split.train().text()),
                tokenizer.encode(split.val().text()));
    }

    public Corpus corpus() {
        return corpus;
    }

    /** The character vocabulary size, fitted on the whole corpus. */
    public int vocab() {
        return vocab;
    }

    /** The training tokens (shared: read only). */
    int[] train() {
        return train;
    }

    /** The validation tokens (shared: read only). */
    int[] val() {
        return val;
    }

    @Override
    public String toString() {
        return String.format("%s: %,d train / %,d validation characters, vocabulary %d", corpus.label(), train.length,
                val.length, vocab);
    }
}
