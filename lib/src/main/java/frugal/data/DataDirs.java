package frugal.data;

import frugal.core.FrugalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where Frugal looks for a data set, in order: {@code $FRUGAL_DATA/<name>} and {@code $FRUGAL_DATA}
 * itself, {@code datasets/<name>} in the repository, then the folder the Debian package installs.
 */
final class DataDirs {
    /** Environment variable naming a folder of data sets (or the data set's own folder). */
    static final String ENV = "FRUGAL_DATA";
    /** System property naming the repository root when the working directory is outside it. */
    static final String REPO_PROPERTY = "frugal.repo";

    private DataDirs() {}

    /** Candidate folders for data set {@code name}, in search order, without duplicates. */
    static List<Path> candidates(String name, Path systemDir) {
        return candidates(name, System.getenv(ENV), repoRoot(), systemDir);
    }

    static List<Path> candidates(String name, String frugalData, Optional<Path> repoRoot, Path systemDir) {
        var dirs = new LinkedHashSet<Path>();
        if (frugalData != null && !frugalData.isBlank()) {
            Path root = Path.of(frugalData).toAbsolutePath().normalize();
            dirs.add(root.resolve(name));
            dirs.add(root);
        }
        repoRoot.ifPresent(r -> dirs.add(r.resolve("datasets").resolve(name)));
        dirs.add(systemDir);
        return List.copyOf(dirs);
    }

    /**
     * The repository root: the {@code frugal.repo} property, else the nearest folder at or above the
     * working directory that holds both {@code pom.xml} and {@code datasets/}.
     */
    static Optional<Path> repoRoot() {
        String property = System.getProperty(REPO_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property).toAbsolutePath().normalize());
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("datasets"))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The first candidate that {@code missing} accepts (returns {@code null} for); otherwise an error
     * listing each place looked at, what was missing there, and how to install the data.
     *
     * @param missing for a folder, what it lacks ("no folder", "no t10k-labels-idx1-ubyte[.gz]"), or null
     */
    static Path find(String what, List<Path> candidates, Function<Path, String> missing, String howToInstall) {
        var report = new ArrayList<String>();
        for (Path dir : candidates) {
            String lack = Files.isDirectory(dir) ? missing.apply(dir) : "no such folder";
            if (lack == null) {
                return dir;
            }
            report.add("  " + dir + ": " + lack);
        }
        throw new FrugalException(what + " not found. Looked in:\n" + String.join("\n", report)
                + "\nInstall it with `" + howToInstall + "` (or run scripts/setup), or set " + ENV
                + " to a folder that holds it.");
    }
}
