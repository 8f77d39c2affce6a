package frugal.binary;

import frugal.core.AtomicFiles;
import frugal.core.FrugalException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The file format of a {@link PackedGpt} (big-endian, as {@link DataOutputStream} writes):
 * <pre>
 *   magic    8 bytes  "FRUGALBN"
 *   version  int      1
 *   spec     ints vocab, context, layers, dModel, heads, hidden; floats embeddingScale, residualScale,
 *            attentionScale, logitScale
 *   tok_emb  floats (vocab x dModel), pos_emb floats (context x dModel)
 *   per block: ln_1 gamma, beta; attn_qkv, attn_proj; ln_2 gamma, beta; mlp_up, mlp_down
 *            where a float vector is (int length, floats) and a packed Linear is
 *            (int out, int in, longs out x ceil(in/64) signs, floats alpha[in], beta[in],
 *             byte hasBias, floats bias[out] if so)
 *   ln_f gamma, beta; head (int vocab, int dModel, floats vocab x dModel)
 *   crc32    int      CRC-32 of every byte before it
 * </pre>
 * Files are written atomically; reading checks size, magic, version and checksum before anything else, so a
 * truncated, corrupt or foreign file is a {@link FrugalException} that names the file and the problem.
 */
public final class PackedModelFile {
    /** First bytes of every packed model file. */
    public static final byte[] MAGIC = "FRUGALBN".getBytes(StandardCharsets.US_ASCII);
    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    private PackedModelFile() {}

    /** Writes {@code model} to {@code file} (temporary sibling, then move). */
    public static void write(Path file, PackedGpt model) {
        if (!model.isPacked()) {
            throw new FrugalException("only a 1-bit packed model can be saved (PackedGpt.pack of a binarized TinyGpt);"
                    + " this one has dense block Linears");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            PackedGpt.Spec s = model.spec();
            for (int v : new int[] {s.vocab(), s.context(), s.layers(), s.dModel(), s.heads(), s.hidden()}) {
                out.writeInt(v);
            }
            for (float v : new float[] {s.embeddingScale(), s.residualScale(), s.attentionScale(), s.logitScale()}) {
                out.writeFloat(v);
            }
            writeVector(out, model.tokEmb());
            writeVector(out, model.posEmb());
            for (PackedGpt.Block b : model.blocks()) {
                writeVector(out, b.ln1Gamma());
                writeVector(out, b.ln1Beta());
                writeLinear(out, (PackedLinear) b.qkv());
                writeLinear(out, (PackedLinear) b.proj());
                writeVector(out, b.ln2Gamma());
                writeVector(out, b.ln2Beta());
                writeLinear(out, (PackedLinear) b.up());
                writeLinear(out, (PackedLinear) b.down());
            }
            writeVector(out, model.lnFGamma());
            writeVector(out, model.lnFBeta());
            out.writeInt(s.vocab());
            out.writeInt(s.dModel());
            writeFloats(out, model.head().weights());
            CRC32 crc = new CRC32();
            crc.update(buffer.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        AtomicFiles.write(file, buffer.toByteArray());
    }

    /** Reads a model written by {@link #write}. */
    public static PackedGpt read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FrugalException(file + ": no such file; save a packed model there first (PackedGpt.save)", e);
        } catch (IOException e) {
            throw new FrugalException(file + ": could not be read (" + e + ")", e);
        }
        int header = MAGIC.length + 4;
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FrugalException(file + ": not a Frugal packed model (the file does not start with \"FRUGALBN\");"
                    + " give the path of a file written by PackedGpt.save");
        }
        if (bytes.length < header + 4) {
            throw new FrugalException(file + ": truncated (" + bytes.length + " bytes, shorter than the header);"
                    + " save the model again");
        }
        int version = ByteBuffer.wrap(bytes, MAGIC.length, 4).getInt();
        if (version != VERSION) {
            throw new FrugalException(file + ": packed model format version " + version + ", but this Frugal reads"
                    + " version " + VERSION + "; save it again with this version");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new FrugalException(file + ": checksum mismatch (the file is truncated or corrupt: " + bytes.length
                    + " bytes); save the model again");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, header, bytes.length - 4 - header))) {
            return readModel(in, file);
        } catch (EOFException e) {
            throw new FrugalException(file + ": truncated (the content ends before the model does); save it again", e);
        } catch (IOException e) {
            throw new FrugalException(file + ": could not be parsed (" + e + ")", e);
        }
    }

    private static PackedGpt readModel(DataInputStream in, Path file) throws IOException {
        int[] sizes = new int[6];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = in.readInt();
        }
        float[] scales = new float[4];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = in.readFloat();
        }
        PackedGpt.Spec spec;
        try {
            spec = new PackedGpt.Spec(sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], scales[0], scales[1],
                    scales[2], scales[3]);
        } catch (FrugalException e) {
            throw new FrugalException(file + ": invalid model header: " + e.getMessage(), e);
        }
        Reader r = new Reader(in, file);
        float[] tok = r.vector();
        float[] pos = r.vector();
        List<PackedGpt.Block> blocks = new ArrayList<>();
        for (int i = 0; i < spec.layers(); i++) {
            blocks.add(new PackedGpt.Block(r.vector(), r.vector(), r.linear(), r.linear(), r.vector(), r.vector(),
                    r.linear(), r.linear()));
        }
        float[] lnG = r.vector();
        float[] lnB = r.vector();
        int vocab = r.size();
        int d = r.size();
        DenseLinear head = new DenseLinear(vocab, d, r.floats((long) vocab * d), null);
        if (in.available() != 0) {
            throw new FrugalException(file + ": " + in.available() + " unexpected bytes after the model; the file is"
                    + " corrupt");
        }
        try {
            return new PackedGpt(spec, tok, pos, blocks, lnG, lnB, head);
        } catch (FrugalException e) {
            throw new FrugalException(file + ": inconsistent model: " + e.getMessage(), e);
        }
    }

    /** Reads sizes and arrays, refusing sizes the remaining bytes cannot hold. */
    private record Reader(DataInputStream in, Path file) {
        int size() throws IOException {
            int n = in.readInt();
            if (n <= 0) {
                throw new FrugalException(file + ": invalid size " + n + " in the model; the file is corrupt");
            }
            return n;
        }

        float[] vector() throws IOException {
            return floats(size());
        }

        float[] floats(long n) throws IOException {
            requireAvailable(4 * n);
            byte[] raw = new byte[(int) (4 * n)];
            in.readFully(raw);
            float[] v = new float[(int) n];
            ByteBuffer.wrap(raw).asFloatBuffer().get(v);
            return v;
        }

        PackedLinear linear() throws IOException {
            int out = size();
            int inFeatures = size();
            long words = (long) out * BitPacking.wordsPerRow(inFeatures);
            requireAvailable(8 * words);
            byte[] raw = new byte[(int) (8 * words)];
            in.readFully(raw);
            long[] bits = new long[(int) words];
            ByteBuffer.wrap(raw).asLongBuffer().get(bits);
            float[] alpha = floats(inFeatures);
            float[] beta = floats(inFeatures);
            byte hasBias = in.readByte();
            if (hasBias != 0 && hasBias != 1) {
                throw new FrugalException(file + ": invalid bias flag " + hasBias + "; the file is corrupt");
            }
            return new PackedLinear(out, inFeatures, bits, alpha, beta, hasBias == 1 ? floats(out) : null);
        }

        private void requireAvailable(long bytes) throws IOException {
            if (bytes > in.available()) {
                throw new EOFException("needs " + bytes + " more bytes, " + in.available() + " left");
            }
        }
    }

    private static void writeVector(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        writeFloats(out, v);
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    private static void writeLinear(DataOutputStream out, PackedLinear l) throws IOException {
        out.writeInt(l.out());
        out.writeInt(l.in());
        long[] bits = l.bits();
        ByteBuffer b = ByteBuffer.allocate(8 * bits.length);
        b.asLongBuffer().put(bits);
        out.write(b.array());
        writeFloats(out, l.alpha());
        writeFloats(out, l.beta());
        float[] bias = l.bias();
        out.writeByte(bias == null ? 0 : 1);
        if (bias != null) {
            writeFloats(out, bias);
        }
    }
}
