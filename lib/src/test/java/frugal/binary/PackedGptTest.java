package frugal.binary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.mup.MupConfig;
import frugal.nn.TinyGpt;
import frugal.train.Losses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedGptTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void packedLogitsEqualTheDjlBinarizedModel() {
        TinyGpt.Config base = TinyGpt.Config.of(13, 9, 2, 24, 3);
        for (TinyGpt.Config config : new TinyGpt.Config[] {base, base.withBias(false), base.withMup(MupConfig.paper(8))}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Seeds.set(21);
                TinyGpt model = FbiGpt.binarized(config);
                model.initialize(m);
                perturb(model, m, new Random(21)); // trained-looking norms, biases and scales, not the init's 1s and 0s
                int[] tokens = {3, 1, 4, 1, 5, 9, 2, 6, 5};
                float[][] packed = PackedGpt.pack(model).logits(tokens);
                float[] djl = djlLogits(model, m, tokens);
                assertClose(djl, flatten(packed), 1e-5, "packed vs DJL, " + config);
            }
        }
    }

    @Test
    void fp32DecoderEqualsTheDjlModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(22);
            TinyGpt model = new TinyGpt(TinyGpt.Config.of(11, 8, 2, 16, 2));
            model.initialize(m);
            perturb(model, m, new Random(22));
            int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8};
            assertClose(djlLogits(model, m, tokens), flatten(PackedGpt.fp32(model).logits(tokens)), 1e-5, "fp32");
            assertFalse(PackedGpt.fp32(model).isPacked());
            assertThrows(FrugalException.class, () -> PackedGpt.pack(model), "a dense model cannot be packed");
        }
    }

    @Test
    void generationMatchesTinyGptIncludingPastTheContext() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(23);
            TinyGpt model = FbiGpt.binarized(TinyGpt.Config.of(9, 6, 1, 16, 2));
            model.initialize(m);
            perturb(model, m, new Random(23));
            PackedGpt packed = PackedGpt.pack(model);
            int[] prompt = {1, 2, 3};
            assertArrayEquals(model.generate(m, prompt, 12, 0, 1), packed.generate(prompt, 12, 0, 1), "greedy");
            assertArrayEquals(model.generate(m, prompt, 12, 1.0, 7), packed.generate(prompt, 12, 1.0, 7), "sampled");
        }
    }

    @Test
    void saveAndLoadRoundTripExactly() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(24);
            TinyGpt model = FbiGpt.binarized(TinyGpt.Config.of(10, 7, 2, 16, 2).withMup(MupConfig.paper(8)));
            model.initialize(m);
            perturb(model, m, new Random(24));
            PackedGpt packed = PackedGpt.pack(model);
            Path file = dir.resolve("sub/model.fbin");
            packed.save(file);
            PackedGpt loaded = PackedGpt.load(file);
            assertEquals(packed.spec(), loaded.spec());
            int[] tokens = {0, 9, 3, 3, 7, 1, 2};
            assertArrayEquals(flatten(packed.logits(tokens)), flatten(loaded.logits(tokens)), 0f);
            assertArrayEquals(packed.totalBytes(), loaded.totalBytes());
            try (var files = Files.list(file.getParent())) {
                assertEquals(1, files.count(), "no temporary file left behind");
            }
        }
    }

    @Test
    void truncatedCorruptForeignOrMissingFilesAreClearErrors() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.set(25);
            TinyGpt model = FbiGpt.binarized(TinyGpt.Config.of(6, 4, 1, 8, 2));
            model.initialize(m);
            Path good = dir.resolve("good.fbin");
            PackedGpt.pack(model).save(good);
            byte[] bytes = Files.readAllBytes(good);

            assertError(write("truncated.fbin", Arrays.copyOf(bytes, bytes.length - 100)), "truncated or corrupt");
            assertError(write("header-only.fbin", Arrays.copyOf(bytes, 10)), "truncated");
            byte[] flipped = bytes.clone();
            flipped[bytes.length / 2] ^= 0x10;
            assertError(write("flipped.fbin", flipped), "checksum");
            assertError(write("foreign.fbin", "hello, I am a text file".getBytes()), "not a Frugal packed model");
            byte[] future = bytes.clone();
            ByteBuffer.wrap(future).putInt(PackedModelFile.MAGIC.length, 99);
            assertError(write("future.fbin", future), "version 99");
            assertError(dir.resolve("missing.fbin"), "no such file");
        }
    }

    @Test
    void memoryTableShowsLinearsAtAboutOneThirtySecond() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt model = FbiGpt.binarized(TinyGpt.Config.of(20, 8, 2, 64, 4).withBias(false));
            model.initialize(m);
            PackedGpt packed = PackedGpt.pack(model);
            long[] linear = packed.linearBytes();
            long weights = 2L * (3 + 1 + 4 + 4) * 64 * 64;
            assertEquals(4 * weights, linear[0]);
            long scales = 2L * 4 * 2 * (64 + 64 + 64 + 256); // alpha and beta per input column, per layer
            assertEquals(weights / 8 + scales, linear[1]);
            long[] total = packed.totalBytes();
            assertTrue(total[1] < total[0] && total[1] > linear[1], "embeddings, norms and head stay fp32");
            assertTrue(packed.memoryTable().text().contains("whole model"));
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertError(Path file, String expected) {
        FrugalException e = assertThrows(FrugalException.class, () -> PackedGpt.load(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "says '" + expected + "': " + e.getMessage());
    }

    /** Moves every parameter off its initial value a little, so the test covers norms, biases and scales. */
    static void perturb(TinyGpt model, NDManager m, Random random) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = a.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.1f * (float) random.nextGaussian();
            }
            a.set(v);
        }
    }

    static float[] djlLogits(TinyGpt model, NDManager m, int[] tokens) {
        try (NDManager scope = m.newSubManager()) {
            long[] ids = Arrays.stream(tokens).asLongStream().toArray();
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            return Losses.forward(model, new NDList(input), false).head().toFloatArray();
        }
    }

    static float[] flatten(float[][] rows) {
        int n = rows[0].length;
        float[] out = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * n, n);
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        PackedLinearTest.assertClose(expected, actual, tolerance, what);
    }
}
