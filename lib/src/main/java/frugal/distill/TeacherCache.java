package frugal.distill;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import frugal.core.AtomicFiles;
import frugal.core.FrugalException;
import frugal.nn.Classifier;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Trained teachers on disk, so a notebook re-run skips the squeeze phase: one file per key (architecture,
 * training configuration, seed, data) holding the test accuracy, the training time and the weights,
 * written atomically.
 *
 * <p>{@link #defaultLocation()} is {@code $FRUGAL_CACHE/distill-teachers}, else
 * {@code build/cache/distill-teachers} in the repository (found from the working directory upwards, or the
 * {@code frugal.repo} system property), else {@code frugal-build/cache/distill-teachers} under
 * {@code java.io.tmpdir}.
 */
public final class TeacherCache {
    /** Environment variable naming the folder for Frugal's caches. */
    public static final String ENV = "FRUGAL_CACHE";
    private static final long MAGIC = 0x4652554741_4C5431L; // "FRUGALT1"
    private static final String FOLDER = "distill-teachers";

    private final Path dir;

    private TeacherCache(Path dir) {
        this.dir = dir;
    }

    /** A cache in {@code dir} (created on the first save). */
    public static TeacherCache at(Path dir) {
        return new TeacherCache(dir.toAbsolutePath().normalize());
    }

    /** No cache: every teacher is trained. */
    public static TeacherCache disabled() {
        return new TeacherCache(null);
    }

    public static TeacherCache defaultLocation() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return at(Path.of(env).resolve(FOLDER));
        }
        return at(buildDir().resolve("cache").resolve(FOLDER));
    }

    /** The repository's {@code build/} folder, else {@code frugal-build} under {@code java.io.tmpdir}. */
    static Path buildDir() {
        return repoRoot().map(r -> r.resolve("build"))
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "frugal-build"));
    }

    private static Optional<Path> repoRoot() {
        String property = System.getProperty("frugal.repo");
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property).toAbsolutePath());
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("datasets"))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The folder, empty when the cache is disabled. */
    public Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    /** What a cache entry records besides the weights. */
    public record Entry(double testAccuracy, double trainSeconds) {}

    /** The file for {@code key}: the key with anything but letters, digits, '.', '-' and '_' replaced. */
    public Path fileFor(String key) {
        if (dir == null) {
            throw new FrugalException("the teacher cache is disabled; it has no files");
        }
        return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".teacher");
    }

    /**
     * Loads the weights stored under {@code key} into {@code model} (built and initialised like the one
     * saved) and returns what was recorded with them; empty when nothing is stored or the cache is disabled.
     */
    public Optional<Entry> load(String key, Classifier model, NDManager manager) {
        if (dir == null || !Files.isRegularFile(fileFor(key))) {
            return Optional.empty();
        }
        Path file = fileFor(key);
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            if (in.readLong() != MAGIC) {
                throw new IOException("not a Frugal teacher file");
            }
            Entry entry = new Entry(in.readDouble(), in.readDouble());
            model.loadParameters(manager, in);
            return Optional.of(entry);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new FrugalException("teacher cache file " + file + " could not be read (" + e.getMessage()
                    + "); it is corrupt or was written for a different network. Delete it and the teacher is"
                    + " trained again.", e);
        }
    }

    /** Stores {@code model}'s weights and the entry under {@code key}, atomically; no-op when disabled. */
    public void save(String key, Classifier model, Entry entry) {
        if (dir == null) {
            return;
        }
        AtomicFiles.write(fileFor(key), out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeLong(MAGIC);
            data.writeDouble(entry.testAccuracy());
            data.writeDouble(entry.trainSeconds());
            model.saveParameters(data);
            data.flush();
        });
    }
}
