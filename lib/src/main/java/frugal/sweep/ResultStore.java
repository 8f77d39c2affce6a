package frugal.sweep;

import frugal.core.AtomicFiles;
import frugal.core.FrugalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder of run results, one JSON file per configuration ({@code <readable values>-<hash>.json}), each written
 * atomically (temporary file, then move). A sweep killed at any moment leaves only whole results, so re-running it
 * skips what finished and loses only the runs that were in flight.
 *
 * <p>One folder per sweep: results are found by configuration, whatever run function wrote them.
 */
public final class ResultStore {
    private static final String SUFFIX = ".json";

    private final Path dir;

    private ResultStore(Path dir) {
        this.dir = dir;
    }

    /** The store in {@code dir}, created when missing. */
    public static ResultStore at(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FrugalException("sweep result folder " + dir + " could not be created (" + e
                    + "); pass a writable folder to ResultStore.at", e);
        }
        return new ResultStore(dir.toAbsolutePath().normalize());
    }

    public Path dir() {
        return dir;
    }

    /** Where the result of {@code config} lives (whether or not it exists yet). */
    public Path fileFor(RunConfig config) {
        return dir.resolve(config.fileStem() + SUFFIX);
    }

    /** The stored result of {@code config}, if it ran. */
    public Optional<RunResult> find(RunConfig config) {
        Path f = fileFor(config);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        RunResult r = read(f);
        if (!r.config().equals(config)) {
            throw new FrugalException(f + " holds the result of " + r.config() + ", not of " + config
                    + " (a hash collision or a renamed file); delete it to run that configuration again");
        }
        return Optional.of(r);
    }

    /** Writes a result atomically, replacing an earlier one for the same configuration. */
    public void save(RunResult result) {
        AtomicFiles.write(fileFor(result.config()), result.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Every stored result, by file name. */
    public List<RunResult> all() {
        List<RunResult> out = new ArrayList<>();
        for (Path f : resultFiles()) {
            out.add(read(f));
        }
        return out;
    }

    /** Number of stored results (done or failed). */
    public int size() {
        return resultFiles().size();
    }

    private List<Path> resultFiles() {
        // temporary files of unfinished writes start with a dot and are never results
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)
                    && !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list sweep results in " + dir, e);
        }
    }

    private static RunResult read(Path f) {
        try {
            return RunResult.fromJson(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException | FrugalException e) {
            throw new FrugalException("sweep result " + f + " could not be read (" + e.getMessage()
                    + "); delete the file to run its configuration again", e);
        }
    }

    /** Deletes temporary files left by writers that were killed mid-write (their process is gone). */
    void removeStaleTemporaries() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String[] parts = f.getFileName().toString().split("\\.");
                // AtomicFiles names them .<name>.<pid>.<thread>.tmp
                if (parts.length >= 5 && parts[0].isEmpty() && parts[parts.length - 1].equals("tmp")
                        && parts[parts.length - 3].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[parts.length - 3])).isEmpty()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not tidy sweep results in " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "ResultStore(" + dir + ", " + size() + " results)";
    }
}
