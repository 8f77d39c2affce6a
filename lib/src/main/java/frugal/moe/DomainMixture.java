package frugal.moe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import frugal.data.CharTokenizer;
import frugal.data.Fortunes;
import frugal.data.JdkSourceCorpus;
import frugal.data.Split;
import frugal.data.TextCorpus;
import frugal.train.Batch;
import frugal.train.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text of several labelled domains for an MoE to specialise on: JDK source code and fortune topics, one
 * character tokenizer over all of them. Each domain is split by whole documents into train and val token
 * streams. A training batch holds the same number of sequences of each domain in a random row order, every
 * sequence a window of one domain's stream, so a one-sequence micro-batch is always one domain.
 */
public final class DomainMixture {
    /** One domain: its name and its train and val token streams. */
    public record Domain(String name, int[] train, int[] val) {}

    /**
     * Which text to load.
     *
     * @param codePrefix the JDK source folder of the code domain ("java.base/java/util/"), named "code"
     * @param fortuneTopics fortune topics, one domain each ("computers", "songs-poems", ...)
     * @param charsPerDomain at most this much text per domain (whole documents)
     * @param valFraction share of each domain's documents held out
     * @param seed picks the held-out documents
     */
    public record Config(String codePrefix, List<String> fortuneTopics, long charsPerDomain, double valFraction,
            long seed) {
        public Config {
            fortuneTopics = List.copyOf(fortuneTopics);
            if (charsPerDomain < 1000 || !(valFraction > 0 && valFraction < 0.5)) {
                throw new FrugalException("DomainMixture.Config: need charsPerDomain >= 1000 and valFraction in"
                        + " (0, 0.5); got " + charsPerDomain + ", " + valFraction);
            }
        }
    }

    private final List<Domain> domains;
    private final CharTokenizer tokenizer;

    private DomainMixture(List<Domain> domains, CharTokenizer tokenizer) {
        this.domains = List.copyOf(domains);
        this.tokenizer = tokenizer;
    }

    /** Loads the code domain and the fortune topics of {@code config} (a second or two). */
    public static DomainMixture load(Config config) {
        List<TextCorpus> corpora = new ArrayList<>();
        corpora.add(JdkSourceCorpus.load(config.codePrefix(), config.charsPerDomain()));
        TextCorpus fortunes = Fortunes.load();
        for (String topic : config.fortuneTopics()) {
            corpora.add(prefix(fortunes.withDomains(List.of(topic)), config.charsPerDomain()));
        }
        List<String> names = new ArrayList<>();
        names.add("code");
        names.addAll(config.fortuneTopics());
        return of(names, corpora, config.valFraction(), config.seed());
    }

    /** Domains from corpora, one each, named by {@code names}. */
    public static DomainMixture of(List<String> names, List<TextCorpus> corpora, double valFraction, long seed) {
        if (names.size() != corpora.size() || names.size() < 2) {
            throw new FrugalException("a domain mixture needs at least two domains, one name per corpus; got "
                    + names.size() + " names for " + corpora.size() + " corpora");
        }
        List<Split<TextCorpus>> splits = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (TextCorpus c : corpora) {
            Split<TextCorpus> s = c.split(1 - valFraction, seed);
            splits.add(s);
            all.append(s.train().text()).append(s.val().text());
        }
        CharTokenizer tokenizer = CharTokenizer.fit(all.toString());
        List<Domain> domains = new ArrayList<>();
        for (int d = 0; d < names.size(); d++) {
            domains.add(new Domain(names.get(d), tokenizer.encode(splits.get(d).train().text()),
                    tokenizer.encode(splits.get(d).val().text())));
        }
        return new DomainMixture(domains, tokenizer);
    }

    public List<Domain> domains() {
        return domains;
    }

    public List<String> names() {
        return domains.stream().map(Domain::name).toList();
    }

    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Training batches of {@code sequences} windows of {@code context} tokens, {@code sequences / domains}
     * of each domain in a random row order; a pure function of (seed, step).
     */
    public BatchSource trainBatches(int sequences, int context, long seed) {
        if (sequences % domains.size() != 0) {
            throw new FrugalException(sequences + " sequences per batch cannot hold the " + domains.size()
                    + " domains equally; use a multiple of " + domains.size());
        }
        for (Domain d : domains) {
            requireLength(d.name() + " (train)", d.train(), context);
        }
        return (manager, step) -> {
            Random r = StepRandom.of(seed, step);
            int[] rowDomain = new int[sequences];
            for (int i = 0; i < sequences; i++) {
                rowDomain[i] = i % domains.size();
            }
            for (int i = sequences - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = rowDomain[i];
                rowDomain[i] = rowDomain[j];
                rowDomain[j] = t;
            }
            int[] starts = new int[sequences];
            for (int i = 0; i < sequences; i++) {
                starts[i] = r.nextInt(domains.get(rowDomain[i]).train().length - context);
            }
            return windows(manager, rowDomain, starts, context, true);
        };
    }

    /**
     * Held-out windows of one domain: {@code batches x rows} windows at evenly spaced starts of its val
     * stream, batch {@code i} at step {@code i}; the same windows for every model.
     */
    public BatchSource valBatches(int domain, int batches, int rows, int context) {
        int[] val = requireLength(domains.get(domain).name() + " (val)", domains.get(domain).val(), context);
        int windows = batches * rows;
        return (manager, step) -> {
            int[] rowDomain = new int[rows];
            int[] starts = new int[rows];
            for (int i = 0; i < rows; i++) {
                rowDomain[i] = domain;
                long w = Math.floorMod(step, (long) batches) * rows + i;
                starts[i] = windows == 1 ? 0 : (int) (w * (val.length - context - 1) / (windows - 1));
            }
            return windows(manager, rowDomain, starts, context, false);
        };
    }

    private Batch windows(NDManager manager, int[] rowDomain, int[] starts, int context, boolean train) {
        int rows = rowDomain.length;
        long[] input = new long[rows * context];
        long[] target = new long[rows * context];
        for (int i = 0; i < rows; i++) {
            int[] stream = train ? domains.get(rowDomain[i]).train() : domains.get(rowDomain[i]).val();
            for (int t = 0; t < context; t++) {
                input[i * context + t] = stream[starts[i] + t];
                target[i * context + t] = stream[starts[i] + t + 1];
            }
        }
        Shape shape = new Shape(rows, context);
        return Batch.of(manager.create(input, shape), manager.create(target, shape));
    }

    private static int[] requireLength(String what, int[] tokens, int context) {
        if (tokens.length < context + 2) {
            throw new FrugalException("domain " + what + " has " + tokens.length + " tokens, too few for windows of "
                    + context + "; load more text per domain (DomainMixture.Config.charsPerDomain)");
        }
        return tokens;
    }

    /** The first documents of {@code corpus} up to {@code maxChars} characters in all. */
    private static TextCorpus prefix(TextCorpus corpus, long maxChars) {
        long total = 0;
        int n = 0;
        while (n < corpus.size() && total + corpus.document(n).length() <= maxChars) {
            total += corpus.document(n).length() + corpus.separator().length();
            n++;
        }
        int[] first = new int[Math.max(1, n)];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        return corpus.subset(first);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DomainMixture: vocabulary " + tokenizer.vocabSize());
        for (Domain d : domains) {
            s.append(String.format(java.util.Locale.ROOT, "; %s %,d train / %,d val tokens", d.name(),
                    d.train().length, d.val().length));
        }
        return s.toString();
    }
}
