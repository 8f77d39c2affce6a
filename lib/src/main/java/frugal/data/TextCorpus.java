package frugal.data;

import frugal.core.FrugalException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Documents of text, each optionally labelled with a domain (a fortune's topic, a source file's
 * module), for language models and domain experiments. Immutable.
 *
 * <p>{@link #text()} joins the documents with the corpus's separator, which a character model then
 * learns as the document boundary.
 */
public final class TextCorpus {
    private final String name;
    private final List<String> documents;
    private final List<String> domains;
    private final String separator;

    /**
     * @param domains one label per document, or an empty list for an unlabelled corpus
     * @param separator put between documents by {@link #text()}
     */
    public TextCorpus(String name, List<String> documents, List<String> domains, String separator) {
        this.name = name;
        this.documents = List.copyOf(documents);
        this.domains = List.copyOf(domains);
        this.separator = separator;
        if (!this.domains.isEmpty() && this.domains.size() != this.documents.size()) {
            throw new FrugalException(name + ": " + this.domains.size() + " domain labels for "
                    + this.documents.size() + " documents; give one label per document or none");
        }
    }

    /** An unlabelled corpus whose documents are joined with a newline. */
    public static TextCorpus of(String name, List<String> documents) {
        return new TextCorpus(name, documents, List.of(), "\n");
    }

    public String name() {
        return name;
    }

    /** Number of documents. */
    public int size() {
        return documents.size();
    }

    public List<String> documents() {
        return documents;
    }

    public String document(int index) {
        return documents.get(index);
    }

    public boolean hasDomains() {
        return !domains.isEmpty();
    }

    /** The domain of each document, in document order (empty when unlabelled). */
    public List<String> domains() {
        return domains;
    }

    public String domain(int index) {
        requireDomains();
        return domains.get(index);
    }

    /** The distinct domains, sorted. */
    public List<String> domainNames() {
        return List.copyOf(new TreeSet<>(domains));
    }

    public String separator() {
        return separator;
    }

    /** All documents joined with the separator: what a character model trains on. */
    public String text() {
        return String.join(separator, documents);
    }

    /** Length of {@link #text()} in chars (UTF-16 units), without building it. */
    public long length() {
        long n = documents.isEmpty() ? 0 : (long) separator.length() * (documents.size() - 1);
        for (String d : documents) {
            n += d.length();
        }
        return n;
    }

    /** The documents at {@code indices}, in that order, with their domains. */
    public TextCorpus subset(int[] indices) {
        var docs = new ArrayList<String>(indices.length);
        var doms = new ArrayList<String>(hasDomains() ? indices.length : 0);
        for (int i : indices) {
            if (i < 0 || i >= documents.size()) {
                throw new FrugalException(name + ": document index " + i + " is outside [0, " + size() + ")");
            }
            docs.add(documents.get(i));
            if (hasDomains()) {
                doms.add(domains.get(i));
            }
        }
        return new TextCorpus(name, docs, doms, separator);
    }

    /** The documents whose domain is one of {@code keep}; fails on a domain the corpus lacks. */
    public TextCorpus withDomains(Collection<String> keep) {
        requireDomains();
        Set<String> known = new TreeSet<>(domains);
        for (String d : keep) {
            if (!known.contains(d)) {
                throw new FrugalException(name + ": no domain '" + d + "'; the domains are " + known);
            }
        }
        Set<String> wanted = Set.copyOf(keep);
        return subset(IntStream.range(0, size()).filter(i -> wanted.contains(domains.get(i)))
                .toArray());
    }

    /**
     * A split by whole documents, chosen at random by {@code seed}: {@code trainFraction} of the
     * documents to train, the rest to val, each part in corpus order.
     */
    public Split<TextCorpus> split(double trainFraction, long seed) {
        Split<int[]> s = Split.indices(size(), trainFraction, seed);
        return new Split<>(subset(s.train()), subset(s.val()));
    }

    @Override
    public String toString() {
        return name + ": " + size() + " documents, " + length() + " chars"
                + (hasDomains() ? ", " + domainNames().size() + " domains" : "");
    }

    /** Decodes UTF-8 strictly: a malformed byte is an error naming {@code source}, never a silent '?'. */
    static String utf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FrugalException(source + ": not valid UTF-8 text (" + e + "); is the file corrupt?", e);
        }
    }

    private void requireDomains() {
        if (!hasDomains()) {
            throw new FrugalException(name + ": this corpus has no domain labels");
        }
    }
}
