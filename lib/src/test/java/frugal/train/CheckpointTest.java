package frugal.train;

import frugal.core.TorchTest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest extends TorchTest {
    private static final LossFunction LOSS = LossFunction.of(Losses.softmaxCrossEntropy());

    @TempDir
    Path dir;

    /** Dropout draws from the engine and batch norm keeps running statistics: both must survive a resume. */
    private Block model(long initSeed) {
        Seeds.set(initSeed);
        Block b = new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(2).build());
        b.initialize(manager, DataType.FLOAT32, new Shape(32, 2));
        return b;
    }

    private static TrainConfig config(long steps) {
        return TrainConfig.of(steps, 0.01).withClip(1.0).withGuard(Guard.stop(50)).quiet();
    }

    private static float[][] parameters(Block b) {
        return b.getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
    }

    @Test
    void resumingGivesTheSameNumbersAsAnUninterruptedRun() {
        BatchSource data = TrainerTest.blobs(11, 32);
        Block straight = model(1);
        History full = Trainer.train(straight, data, LOSS, config(20));

        Block first = model(1);
        Trainer.train(first, data, LOSS, config(10).withCheckpoints(CheckpointPolicy.every(dir, 5)));
        assertEquals(List.of(Checkpoint.fileFor(dir, 5), Checkpoint.fileFor(dir, 10)), Checkpoint.listed(dir));

        Block fresh = model(12345); // different initial weights: everything must come from the checkpoint
        History resumed = Trainer.train(fresh, data, LOSS, config(20).withResumeFrom(dir));

        assertEquals(20, resumed.steps().size(), "history continues from the checkpoint");
        for (int i = 0; i < 20; i++) {
            assertEquals(full.steps().get(i).loss(), resumed.steps().get(i).loss(), 1e-6, "loss at step " + (i + 1));
            assertEquals(full.steps().get(i).tokens(), resumed.steps().get(i).tokens());
        }
        float[][] a = parameters(straight);
        float[][] b = parameters(fresh);
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 1e-6f, "parameter " + i);
        }
    }

    @Test
    void checkpointRestoresIntoAFreshModelAndKeepsTheNewest() {
        Block trained = model(1);
        Trainer.train(trained, TrainerTest.blobs(11, 32), LOSS,
                config(12).withCheckpoints(new CheckpointPolicy(dir, 3, 2)));
        assertEquals(List.of(Checkpoint.fileFor(dir, 9), Checkpoint.fileFor(dir, 12)), Checkpoint.listed(dir));
        Checkpoint c = Checkpoint.read(dir);
        assertEquals(12, c.step());
        assertEquals(12 * 32, c.tokens());
        assertEquals("adamw", c.optimizerKind());
        assertEquals(12, c.history().steps().size());
        Block other = model(2);
        c.restoreModel(other);
        float[][] a = parameters(trained);
        float[][] b = parameters(other);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0f);
        }
    }

    @Test
    void damagedCheckpointsAreReportedClearly() throws Exception {
        Trainer.train(model(1), TrainerTest.blobs(11, 32), LOSS, config(2).withCheckpoints(CheckpointPolicy.every(dir, 2)));
        Path file = Checkpoint.fileFor(dir, 2);
        byte[] good = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.ckpt");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        FrugalException e = assertThrows(FrugalException.class, () -> Checkpoint.read(truncated));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("truncated.ckpt"), e.getMessage());

        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 0x10;
        Path damaged = dir.resolve("damaged.ckpt");
        Files.write(damaged, flipped);
        e = assertThrows(FrugalException.class, () -> Checkpoint.read(damaged));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Path other = dir.resolve("other.ckpt");
        Files.writeString(other, "hello");
        e = assertThrows(FrugalException.class, () -> Checkpoint.read(other));
        assertTrue(e.getMessage().contains("not a Frugal checkpoint"), e.getMessage());

        byte[] future = good.clone();
        future[11] = 9; // format version 9
        Path newer = dir.resolve("newer.ckpt");
        Files.write(newer, future);
        e = assertThrows(FrugalException.class, () -> Checkpoint.read(newer));
        assertTrue(e.getMessage().contains("format 9") && e.getMessage().contains("update Frugal"), e.getMessage());

        e = assertThrows(FrugalException.class, () -> Checkpoint.read(dir.resolve("missing.ckpt")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void resumeRefusesAnotherSeedOrModel() {
        BatchSource data = TrainerTest.blobs(11, 32);
        Trainer.train(model(1), data, LOSS, config(4).withCheckpoints(CheckpointPolicy.every(dir, 4)));
        FrugalException e = assertThrows(FrugalException.class,
                () -> Trainer.train(model(1), data, LOSS, config(8).withSeed(7).withResumeFrom(dir)));
        assertTrue(e.getMessage().contains("withSeed(42)"), e.getMessage());

        Seeds.set(3);
        Block smaller = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        smaller.initialize(manager, DataType.FLOAT32, new Shape(32, 2));
        e = assertThrows(FrugalException.class, () -> Checkpoint.read(dir).restoreModel(smaller));
        assertTrue(e.getMessage().contains("same model"), e.getMessage());
        assertFalse(Checkpoint.latest(dir.resolve("nowhere")).isPresent());
    }
}
