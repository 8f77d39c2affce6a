package frugal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    private static final int[] DIMS = {3, 2, 2};
    private static final byte[] DATA = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, (byte) 200, (byte) 255};

    @TempDir
    Path dir;

    @Test
    void roundTripsRawAndGzip() {
        for (String name : new String[] {"x-idx3-ubyte", "x-idx3-ubyte.gz"}) {
            Path file = dir.resolve(name);
            IdxFile.write(file, DIMS, DATA);
            IdxFile read = IdxFile.read(file, 3);
            assertArrayEquals(DIMS, read.dims(), name);
            assertArrayEquals(DATA, read.data(), name);
            assertEquals(name, read.name());
        }
        assertTrue(isGzip(dir.resolve("x-idx3-ubyte.gz")));
    }

    @Test
    void detectsGzipFromContentNotName() throws IOException {
        Path gz = dir.resolve("a.gz");
        IdxFile.write(gz, DIMS, DATA);
        Path unnamed = Files.move(gz, dir.resolve("a-idx3-ubyte"));
        assertArrayEquals(DATA, IdxFile.read(unnamed).data());
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path f = raw("bad-magic", bytes(header(0x08, DIMS), DATA));
        byte[] b = Files.readAllBytes(f);
        b[0] = 0x50;
        Files.write(f, b);
        assertFails(f, "bad-magic", "bad magic number 50 00 08 03");
    }

    @Test
    void rejectsOtherElementTypesNamingThem() throws IOException {
        Path f = raw("floats", bytes(header(0x0D, DIMS), new byte[48]));
        assertFails(f, "floats", "element type 0x0D (float32) is not supported");
    }

    @Test
    void rejectsWrongAndImplausibleRank() throws IOException {
        Path labels = raw("labels", bytes(header(0x08, new int[] {12}), DATA));
        assertEquals(1, IdxFile.read(labels).rank());
        var e = assertThrows(FrugalException.class, () -> IdxFile.read(labels, 3));
        assertTrue(e.getMessage().startsWith("labels: rank 1, expected rank 3"), e.getMessage());
        assertFails(raw("rank0", new byte[] {0, 0, 8, 0}), "rank0", "rank 0 in the header is not plausible");
    }

    @Test
    void rejectsNonPositiveAndOverflowingDims() throws IOException {
        assertFails(raw("zero", header(0x08, new int[] {3, 0, 2})), "zero", "dimension 1 is 0 in 3x0x2");
        assertFails(raw("negative", header(0x08, new int[] {-5})), "negative", "dimension 0 is -5");
        assertFails(raw("huge", header(0x08, new int[] {65536, 65536, 65536})), "huge",
                "65536x65536x65536 describe more than 2^31 bytes");
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        byte[] truncated = bytes(header(0x08, DIMS), Arrays.copyOf(DATA, 5));
        assertFails(raw("t-idx3-ubyte", truncated), "t-idx3-ubyte",
                "truncated: header says 3x2x2 = 12 bytes of data, found 5");
        // a valid gzip stream around a truncated IDX file reads as the same truncation
        assertFails(gzip("t-idx3-ubyte.gz", truncated), "t-idx3-ubyte.gz",
                "truncated: header says 3x2x2 = 12 bytes of data, found 5");
        assertFails(raw("short", new byte[] {0, 0}), "short", "truncated: 2 bytes, too short");
        assertFails(raw("no-dims", bytes(new byte[] {0, 0, 8, 3}, new byte[6])), "no-dims",
                "truncated: the header declares rank 3 (12 bytes of dimensions) but only 6 follow");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] longer = bytes(header(0x08, DIMS), DATA, new byte[] {1, 2, 3});
        assertFails(raw("long", longer), "long", "3 trailing bytes after the 12 bytes of data");
        assertFails(gzip("long.gz", longer), "long.gz", "3 trailing bytes");
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        byte[] big = new byte[4000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * i % 251);
        }
        Path good = dir.resolve("good.gz");
        IdxFile.write(good, new int[] {4000}, big);
        byte[] gz = Files.readAllBytes(good);

        Path cut = raw("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertFails(cut, "cut.gz", "corrupt or truncated gzip stream");

        byte[] flipped = gz.clone();
        for (int i = 20; i < 40; i++) {
            flipped[i] ^= (byte) 0x5A;
        }
        assertFails(raw("flipped.gz", flipped), "flipped.gz", "corrupt or truncated gzip stream");
    }

    @Test
    void namesAMissingFile() {
        assertFails(dir.resolve("nothing-here.gz"), "nothing-here.gz", "no such file");
    }

    @Test
    void writeChecksDataLength() {
        var e = assertThrows(FrugalException.class, () -> IdxFile.write(dir.resolve("w"), DIMS, new byte[7]));
        assertTrue(e.getMessage().contains("3x2x2 need 12 bytes of data, got 7"), e.getMessage());
    }

    private static void assertFails(Path file, String name, String what) {
        var e = assertThrows(FrugalException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains(name), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(what), "says what was wrong (" + what + "): " + e.getMessage());
    }

    private Path raw(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private Path gzip(String name, byte[] content) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return raw(name, out.toByteArray());
    }

    private static byte[] header(int type, int[] dims) {
        var b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] bytes(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static boolean isGzip(Path f) {
        try {
            byte[] b = Files.readAllBytes(f);
            return (b[0] & 0xFF) == 0x1f && (b[1] & 0xFF) == 0x8b;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
