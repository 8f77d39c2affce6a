package frugal.train;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import frugal.core.Engines;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A notebook runs cells in threads other than the engine's, where autograd records by default. */
class TrainerThreadTest {
    @Test
    void trainsWithWeightDecayInAFreshThread() throws Exception {
        Engines.pytorch();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<History> result = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block model = Linear.builder().setUnits(1).build();
                model.initialize(manager, DataType.FLOAT32, new Shape(16, 3));
                result.set(Trainer.train(model, TrainerTest.regression(3), LossFunction.of(Losses.meanSquaredError()),
                        TrainConfig.of(60, 0.05).withGrouping(ParamGrouping.decayMatricesOnly(0.1)).quiet()));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        cell.start();
        cell.join();
        assertNull(failure.get(), () -> "training in a fresh thread failed: " + failure.get());
        assertTrue(result.get().lastLoss() < result.get().steps().get(0).loss(), "the loss fell");
    }
}
