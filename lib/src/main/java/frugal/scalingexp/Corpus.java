package frugal.scalingexp;

import frugal.data.Fortunes;
import frugal.data.JdkSourceCorpus;
import frugal.data.TextCorpus;

/** The text a scaling study trains on, from Debian packages: English fortunes or Java source code. */
public enum Corpus {
    /** Debian's {@code fortunes}: about 5 M characters of English quotations, jokes and verse. */
    FORTUNES("fortunes") {
        @Override
        TextCorpus load() {
            return Fortunes.load();
        }
    },
    /** The first 4 M characters of {@code java.base} in Debian's {@code openjdk-17-source}: code. */
    JDK_SOURCE("JDK java.base sources") {
        @Override
        TextCorpus load() {
            return JdkSourceCorpus.load("java.base/", 4_000_000);
        }
    };

    private final String label;

    Corpus(String label) {
        this.label = label;
    }

    /** A short name for tables and legends. */
    public String label() {
        return label;
    }

    abstract TextCorpus load();
}
