package frugal.data;

import frugal.core.FrugalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fortune cookie collection of the Debian package {@code fortunes}: English quotations, jokes
 * and verse, one file per topic ("computers", "literature", "science", ...), entries separated by
 * lines holding a single {@code %}. Each entry is a document labelled with its topic as its domain.
 *
 * <p>A topic file is a plain file with its strfile index ({@code <topic>.dat}) beside it; the index
 * files and the {@code .u8} links are not read. {@link #load()} looks in {@code $FRUGAL_DATA/fortunes},
 * {@code $FRUGAL_DATA}, {@code datasets/fortunes} in the repository, then {@code /usr/share/games/fortunes}.
 * Text is kept as written, including the backspace "overstrike" sequences of a few old entries.
 */
public final class Fortunes {
    /** Where the Debian package {@code fortunes} installs the topic files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/games/fortunes");

    /** Put between entries by {@link TextCorpus#text()}: the files' own separator line. */
    public static final String SEPARATOR = "\n%\n";

    private Fortunes() {}

    /** All topics from the first place that has any (see the class comment). */
    public static TextCorpus load() {
        return load(DataDirs.find("fortunes", DataDirs.candidates("fortunes", DEBIAN_DIR), Fortunes::missing,
                "sudo apt-get install fortunes"));
    }

    /** All topic files in {@code dir}, topics in name order, entries in file order. */
    public static TextCorpus load(Path dir) {
        String lack = missing(dir);
        if (lack != null) {
            throw new FrugalException("fortunes: " + dir + ": " + lack
                    + "; expected the topic files of `sudo apt-get install fortunes`");
        }
        var entries = new ArrayList<String>();
        var topics = new ArrayList<String>();
        for (Path file : topicFiles(dir)) {
            String topic = file.getFileName().toString();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new FrugalException(file + ": could not be read: " + e.getMessage(), e);
            }
            for (String entry : entries(TextCorpus.utf8(bytes, file.toString()))) {
                entries.add(entry);
                topics.add(topic);
            }
        }
        return new TextCorpus("fortunes", entries, topics, SEPARATOR);
    }

    /** The entries of one fortune file: text between lines that hold only {@code %}, blank ones dropped. */
    static List<String> entries(String text) {
        var entries = new ArrayList<String>();
        var entry = new StringBuilder();
        text.lines().forEach(line -> {
            if (line.equals("%")) {
                add(entries, entry);
            } else {
                entry.append(line).append('\n');
            }
        });
        add(entries, entry);
        return entries;
    }

    private static void add(List<String> entries, StringBuilder entry) {
        // drop the newline that ends the entry's last line; the separator supplies it
        String e = entry.length() > 0 ? entry.substring(0, entry.length() - 1) : "";
        if (!e.isBlank()) {
            entries.add(e);
        }
        entry.setLength(0);
    }

    private static List<Path> topicFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Fortunes::isTopic).sorted().toList();
        } catch (IOException e) {
            throw new FrugalException(dir + ": could not be listed: " + e.getMessage(), e);
        }
    }

    private static boolean isTopic(Path p) {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && !name.endsWith(".dat") && !name.endsWith(".u8")
                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(p.resolveSibling(name + ".dat"));
    }

    private static String missing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "no such folder";
        }
        return topicFiles(dir).isEmpty() ? "no fortune files (a topic file with its <topic>.dat index beside it)"
                : null;
    }
}
