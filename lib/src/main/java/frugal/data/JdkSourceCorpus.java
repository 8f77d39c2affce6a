package frugal.data;

import frugal.core.FrugalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A code corpus: the Java sources of OpenJDK 17 from the Debian package {@code openjdk-17-source},
 * read in place from its {@code src.zip} (no extraction). Each {@code .java} file is a document
 * labelled with its module ({@code java.base}, {@code java.desktop}, ...) as its domain.
 *
 * <p>Each file's leading licence comment (the same GPL notice in every file, 7% of the text) is
 * dropped: a language model would learn it by heart and look better than it is on code. Entries are
 * taken in name order, so a prefix and a size cap always give the same corpus.
 * {@link #load(String, long)} looks for {@code src.zip} in {@code $FRUGAL_DATA/jdk-source},
 * {@code $FRUGAL_DATA}, {@code datasets/jdk-source} in the repository, then
 * {@code /usr/lib/jvm/openjdk-17/lib}.
 */
public final class JdkSourceCorpus {
    /** Where the Debian package {@code openjdk-17-source} installs the archive. */
    public static final Path DEBIAN_DIR = Path.of("/usr/lib/jvm/openjdk-17/lib");

    static final String ZIP = "src.zip";

    private JdkSourceCorpus() {}

    /**
     * The {@code .java} files whose path in the archive starts with {@code prefix} (a module, such as
     * {@code "java.base/"}, or a package folder, such as {@code "java.base/java/util/"}; {@code ""}
     * for all), whole files in name order until the next would take the corpus past {@code maxChars}
     * characters (about as many bytes: the sources are nearly all ASCII).
     */
    public static TextCorpus load(String prefix, long maxChars) {
        Path dir = DataDirs.find("the JDK sources (src.zip)", DataDirs.candidates("jdk-source", DEBIAN_DIR),
                d -> Files.isRegularFile(d.resolve(ZIP)) ? null : "no " + ZIP, "sudo apt-get install openjdk-17-source");
        return load(dir.resolve(ZIP), prefix, maxChars);
    }

    /** As {@link #load(String, long)}, from a given archive. */
    public static TextCorpus load(Path zip, String prefix, long maxChars) {
        if (maxChars <= 0) {
            throw new FrugalException("maxChars must be positive, got " + maxChars);
        }
        var documents = new ArrayList<String>();
        var modules = new ArrayList<String>();
        try (var archive = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = archive.stream()
                    .filter(e -> !e.isDirectory() && e.getName().endsWith(".java") && e.getName().startsWith(prefix))
                    .sorted(Comparator.comparing(ZipEntry::getName)).toList();
            if (entries.isEmpty()) {
                throw new FrugalException(zip + ": no .java file under '" + prefix + "'; modules in the archive: "
                        + modules(archive));
            }
            long total = 0;
            for (ZipEntry entry : entries) {
                byte[] bytes;
                try (InputStream in = archive.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                String source = withoutLicenceHeader(TextCorpus.utf8(bytes, zip + "!" + entry.getName()));
                // the corpus joins files with one newline
                long added = source.length() + (documents.isEmpty() ? 0 : 1);
                if (total + added > maxChars) {
                    break;
                }
                total += added;
                documents.add(source);
                String name = entry.getName();
                modules.add(name.contains("/") ? name.substring(0, name.indexOf('/')) : "");
            }
            if (documents.isEmpty()) {
                throw new FrugalException(zip + ": the first file under '" + prefix + "', " + entries.get(0).getName()
                        + ", is longer than maxChars " + maxChars + "; raise maxChars");
            }
        } catch (ZipException e) {
            throw new FrugalException(zip + ": not a readable zip archive (" + e.getMessage()
                    + "); reinstall it with `sudo apt-get install --reinstall openjdk-17-source`", e);
        } catch (IOException e) {
            throw new FrugalException(zip + ": could not be read: " + e.getMessage(), e);
        }
        String name = "JDK sources" + (prefix.isEmpty() ? "" : " " + prefix);
        return new TextCorpus(name, documents, modules, "\n");
    }

    /** The source without a leading block comment that holds a copyright notice. */
    static String withoutLicenceHeader(String source) {
        String s = source.stripLeading();
        int end = s.indexOf("*/");
        if (s.startsWith("/*") && end > 0 && s.substring(0, end).contains("Copyright")) {
            return s.substring(end + 2).stripLeading();
        }
        return source;
    }

    private static String modules(ZipFile archive) {
        var modules = new TreeSet<String>();
        archive.stream().map(ZipEntry::getName).filter(n -> n.contains("/"))
                .forEach(n -> modules.add(n.substring(0, n.indexOf('/') + 1)));
        return modules.size() <= 12 ? modules.toString()
                : String.join(", ", new ArrayList<>(modules).subList(0, 12)) + ", ... (" + modules.size() + ")";
    }
}
