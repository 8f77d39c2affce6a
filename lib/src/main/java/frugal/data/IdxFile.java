package frugal.data;

import frugal.core.AtomicFiles;
import frugal.core.FrugalException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * An IDX file (the MNIST / Fashion-MNIST format) of unsigned bytes, raw or gzip-compressed.
 *
 * <p>Layout: two zero bytes, a type code (only {@code 0x08}, unsigned byte, is supported), a rank
 * byte, then one big-endian int32 per dimension, then the data in row-major order. Reading checks
 * every part and fails with a {@link FrugalException} that names the file and what was wrong, so a
 * truncated download is never silently read as zeros.
 */
public final class IdxFile {
    /** The only element type Frugal reads: unsigned byte. */
    public static final int UNSIGNED_BYTE = 0x08;

    private static final int MAX_RANK = 8;
    // the largest array a JVM reliably allocates
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final String name;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(String name, int[] dims, byte[] data) {
        this.name = name;
        this.dims = dims;
        this.data = data;
    }

    /** Reads an IDX file of any rank; gzip is detected from the content, not the file name. */
    public static IdxFile read(Path file) {
        return read(file, 0);
    }

    /** Reads an IDX file and checks that its rank is {@code expectedRank} (0: any rank). */
    public static IdxFile read(Path file, int expectedRank) {
        String name = file.getFileName().toString();
        try (InputStream in = open(file)) {
            try {
                return parse(name, in, expectedRank);
            } catch (FrugalException e) {
                // damaged gzip often decodes to a damaged IDX header or length: report the real cause,
                // which draining the stream (and so checking its CRC) reveals
                in.transferTo(OutputStream.nullOutputStream());
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new FrugalException(file + ": no such file");
        } catch (ZipException | EOFException e) {
            throw new FrugalException(name + ": corrupt or truncated gzip stream (" + e.getMessage()
                    + "); delete the file and reinstall it (see datasets/README.md)", e);
        } catch (IOException e) {
            throw new FrugalException(name + ": could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes unsigned bytes as an IDX file (gzip-compressed when the name ends in {@code .gz}),
     * through a temporary file and an atomic move so readers never see half a file.
     */
    public static void write(Path file, int[] dims, byte[] data) {
        long items = elementCount(file.getFileName().toString(), dims);
        if (items != data.length) {
            throw new FrugalException(file.getFileName() + ": dimensions " + format(dims) + " need " + items
                    + " bytes of data, got " + data.length);
        }
        var bytes = new ByteArrayOutputStream(data.length + 4 + 4 * dims.length);
        try (var out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, UNSIGNED_BYTE, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, out -> {
            if (gzip) {
                try (OutputStream gz = new GZIPOutputStream(out)) {
                    bytes.writeTo(gz);
                }
            } else {
                bytes.writeTo(out);
            }
        });
    }

    /** The file name this was read from (used in error messages). */
    public String name() {
        return name;
    }

    public int rank() {
        return dims.length;
    }

    /** The dimensions, outermost (the item count) first. */
    public int[] dims() {
        return dims.clone();
    }

    /** A copy of the data, row-major, as unsigned bytes stored in Java bytes. */
    public byte[] data() {
        return data.clone();
    }

    // the data without a copy, for this package's loaders
    byte[] sharedData() {
        return data;
    }

    @Override
    public String toString() {
        return name + " (" + format(dims) + " unsigned bytes)";
    }

    private static InputStream open(Path file) throws IOException {
        var in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        // the gzip magic number, 1f 8b; an IDX file starts with 00 00
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static IdxFile parse(String name, InputStream in, int expectedRank) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new FrugalException(name + ": truncated: " + magic.length
                    + " bytes, too short for the 4-byte IDX magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new FrugalException(String.format(
                    "%s: bad magic number %02x %02x %02x %02x: an IDX file starts with two zero bytes;"
                            + " this is not an IDX file (or not gzip-compressed IDX)",
                    name, magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new FrugalException(String.format(
                    "%s: element type 0x%02X (%s) is not supported; Frugal reads IDX files of type 0x08"
                            + " (unsigned byte)",
                    name, type, typeName(type)));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw new FrugalException(name + ": rank " + rank + " in the header is not plausible (expected 1 to "
                    + MAX_RANK + "); the file is corrupt");
        }
        if (expectedRank > 0 && rank != expectedRank) {
            throw new FrugalException(name + ": rank " + rank + ", expected rank " + expectedRank
                    + "; is this the right file?");
        }
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) {
            throw new FrugalException(name + ": truncated: the header declares rank " + rank + " ("
                    + 4 * rank + " bytes of dimensions) but only " + header.length + " follow");
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = ((header[4 * i] & 0xFF) << 24) | ((header[4 * i + 1] & 0xFF) << 16)
                    | ((header[4 * i + 2] & 0xFF) << 8) | (header[4 * i + 3] & 0xFF);
        }
        int length = (int) elementCount(name, dims);
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new FrugalException(name + ": truncated: header says " + format(dims) + " = " + length
                    + " bytes of data, found " + data.length);
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new FrugalException(name + ": " + trailing + " trailing bytes after the " + length
                    + " bytes of data that the header (" + format(dims) + ") declares; the file is corrupt");
        }
        return new IdxFile(name, dims, data);
    }

    private static long elementCount(String name, int[] dims) {
        if (dims.length < 1 || dims.length > MAX_RANK) {
            throw new FrugalException(name + ": rank " + dims.length + " is not supported (1 to " + MAX_RANK + ")");
        }
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new FrugalException(name + ": dimension " + i + " is " + dims[i] + " in " + format(dims)
                        + "; every dimension must be positive");
            }
            n *= dims[i];
            if (n > MAX_BYTES) {
                throw new FrugalException(name + ": dimensions " + format(dims)
                        + " describe more than 2^31 bytes, more than one Java array holds; the header is corrupt");
            }
        }
        return n;
    }

    static String format(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    private static String typeName(int code) {
        switch (code) {
            case 0x09:
                return "signed byte";
            case 0x0B:
                return "int16";
            case 0x0C:
                return "int32";
            case 0x0D:
                return "float32";
            case 0x0E:
                return "float64";
            default:
                return "not an IDX type";
        }
    }
}
