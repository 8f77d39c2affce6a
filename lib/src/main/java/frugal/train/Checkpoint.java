package frugal.train;

import frugal.core.StepRandom;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.FrugalException;
import frugal.core.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A training checkpoint: model parameters, optimiser state, step, tokens seen, seed, guard state and
 * history, in one versioned file with a checksum.
 *
 * <p>Randomness needs no saved generator state: batches and engine seeds are functions of (seed, step)
 * ({@link StepRandom}), so resuming at step s with the same seed replays exactly what an uninterrupted run
 * would do. Files are written atomically; a truncated or corrupt file is reported as such.
 *
 * <p>Layout, format 1: magic "FRUGALCK", int format, long step, long tokens, long seed; int n, n x (UTF path,
 * int length, DJL-encoded array); UTF optimiser kind, int length, optimiser state; int length, guard state;
 * int length, steps CSV; int length, evaluations CSV; long CRC-32 of everything before it.
 */
public final class Checkpoint {
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = "FRUGALCK".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern FILE_NAME = Pattern.compile("step-(\\d+)\\.ckpt");

    private final Path file;
    private final long step;
    private final long tokens;
    private final long seed;
    private final Map<String, byte[]> parameters;
    private final String optimizerKind;
    private final byte[] optimizerState;
    private final byte[] guardState;
    private final History history;

    private Checkpoint(Path file, DataInputStream in) throws IOException {
        this.file = file;
        this.step = in.readLong();
        this.tokens = in.readLong();
        this.seed = in.readLong();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative parameter count " + n);
        }
        this.parameters = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            parameters.put(in.readUTF(), readBlock(in));
        }
        this.optimizerKind = in.readUTF();
        this.optimizerState = readBlock(in);
        this.guardState = readBlock(in);
        String steps = new String(readBlock(in), StandardCharsets.UTF_8);
        String evals = new String(readBlock(in), StandardCharsets.UTF_8);
        this.history = History.fromCsv(steps, evals);
    }

    /** Reads and verifies a checkpoint file (or the latest checkpoint in a directory). */
    public static Checkpoint read(Path fileOrDir) {
        Path file = Files.isDirectory(fileOrDir)
                ? latest(fileOrDir).orElseThrow(() -> new FrugalException(
                        "no checkpoint (step-NNNNNN.ckpt) in " + fileOrDir + "; train with checkpoints on first"))
                : fileOrDir;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FrugalException("checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + file, e);
        }
        int header = MAGIC.length + 4;
        if (bytes.length < header || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FrugalException("checkpoint " + file + " is not a Frugal checkpoint (no FRUGALCK header)"
                    + (bytes.length < header ? "; it is only " + bytes.length + " bytes long" : ""));
        }
        int version = java.nio.ByteBuffer.wrap(bytes, MAGIC.length, 4).getInt();
        if (version != FORMAT_VERSION) {
            throw new FrugalException("checkpoint " + file + " has format " + version + "; this Frugal reads format "
                    + FORMAT_VERSION + (version > FORMAT_VERSION ? ": update Frugal to read it" : ""));
        }
        if (bytes.length < header + 8) {
            throw corrupt(file, "it is truncated (" + bytes.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw corrupt(file, "its checksum does not match (truncated or damaged on disk)");
        }
        try (DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, header, bytes.length - 8 - header))) {
            return new Checkpoint(file, in);
        } catch (EOFException e) {
            throw corrupt(file, "it ends early");
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    /** The checkpoint with the highest step in {@code dir}, if any. */
    public static Optional<Path> latest(Path dir) {
        return listed(dir).stream().reduce((a, b) -> b);
    }

    /** Checkpoint files in {@code dir}, by increasing step. */
    public static List<Path> listed(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(stepOf(a), stepOf(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list checkpoints in " + dir, e);
        }
    }

    /** Where the checkpoint of {@code step} goes in {@code dir}. */
    public static Path fileFor(Path dir, long step) {
        return dir.resolve(String.format(java.util.Locale.ROOT, "step-%08d.ckpt", step));
    }

    public Path file() {
        return file;
    }

    /** Optimiser steps done when the checkpoint was written; training resumes at this step index. */
    public long step() {
        return step;
    }

    public long tokens() {
        return tokens;
    }

    public long seed() {
        return seed;
    }

    public String optimizerKind() {
        return optimizerKind;
    }

    /** The run's history up to {@link #step()}. */
    public History history() {
        return history;
    }

    /** Names of the saved model parameters. */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /**
     * Copies the saved parameters into {@code model} in place (the model must be built and initialised with
     * the same architecture).
     */
    public void restoreModel(Block model) {
        List<Pair<String, Parameter>> own = new ArrayList<>();
        model.getParameters().forEach(own::add);
        List<String> names = own.stream().map(Pair::getKey).toList();
        if (!names.equals(parameterNames())) {
            throw new FrugalException("checkpoint " + file + " holds parameters " + summary(parameterNames())
                    + " but the model has " + summary(names) + ": build the same model as the one that was saved");
        }
        for (Pair<String, Parameter> p : own) {
            if (!p.getValue().isInitialized()) {
                throw new FrugalException("parameter " + p.getKey() + " is not initialised: call model.initialize(...)"
                        + " before restoring a checkpoint into it");
            }
        }
        NDArray first = own.get(0).getValue().getArray();
        try (NDManager scope = first.getManager().newSubManager()) {
            for (Pair<String, Parameter> p : own) {
                NDArray target = p.getValue().getArray();
                NDArray saved = scope.decode(parameters.get(p.getKey())).toDevice(target.getDevice(), false);
                if (!saved.getShape().equals(target.getShape()) || saved.getDataType() != target.getDataType()) {
                    throw new FrugalException("checkpoint parameter " + p.getKey() + " is " + saved.getShape() + " "
                            + saved.getDataType() + " but the model's is " + target.getShape() + " "
                            + target.getDataType() + ": build the same model as the one that was saved");
                }
                copyInto(target, saved);
            }
        }
    }

    void restoreOptimizer(Optimizer optimizer) {
        if (!optimizer.kind().equals(optimizerKind)) {
            throw new FrugalException("checkpoint " + file + " was written with optimiser " + optimizerKind
                    + " but this run uses " + optimizer.kind() + ": resume with the same optimiser");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(optimizerState))) {
            optimizer.loadState(in);
        } catch (IOException e) {
            throw corrupt(file, "its optimiser state is unreadable: " + e.getMessage());
        }
    }

    void restoreGuard(LossGuard guard) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(guardState))) {
            guard.load(in);
        } catch (IOException e) {
            throw corrupt(file, "its guard state is unreadable: " + e.getMessage());
        }
    }

    /** Writes a checkpoint atomically. */
    static void write(Path file, long step, long tokens, long seed, Block model, Optimizer optimizer, LossGuard guard,
            History history) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(step);
            out.writeLong(tokens);
            out.writeLong(seed);
            List<Pair<String, Parameter>> params = new ArrayList<>();
            model.getParameters().forEach(params::add);
            out.writeInt(params.size());
            for (Pair<String, Parameter> p : params) {
                out.writeUTF(p.getKey());
                writeBlock(out, p.getValue().getArray().encode());
            }
            out.writeUTF(optimizer.kind());
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            optimizer.saveState(new DataOutputStream(state));
            writeBlock(out, state.toByteArray());
            state.reset();
            guard.save(new DataOutputStream(state));
            writeBlock(out, state.toByteArray());
            writeBlock(out, history.stepsCsv().getBytes(StandardCharsets.UTF_8));
            writeBlock(out, history.evalsCsv().getBytes(StandardCharsets.UTF_8));
            out.flush();
            CRC32 crc = new CRC32();
            byte[] body = buffer.toByteArray();
            crc.update(body);
            out.writeLong(crc.getValue());
            out.flush();
            AtomicFiles.write(file, buffer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file, e);
        }
    }

    /** Copies values into an existing array in place, keeping its identity and its gradient flag. */
    private static void copyInto(NDArray target, NDArray values) {
        if (target.getShape().dimension() == 0) {
            target.reshape(1).set(new NDIndex(":"), values.reshape(1));
        } else {
            target.set(new NDIndex(":"), values);
        }
    }

    private static void writeBlock(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new EOFException("a section claims " + length + " bytes, " + in.available() + " remain");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static long stepOf(Path file) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static FrugalException corrupt(Path file, String why) {
        return new FrugalException("checkpoint " + file + " is corrupt: " + why
                + ". Delete it and resume from an earlier checkpoint (Checkpoint.listed(dir)), or retrain.");
    }

    private static String summary(List<String> names) {
        return names.size() <= 6 ? names.toString()
                : names.subList(0, 6) + " ... (" + names.size() + " in all)";
    }
}
