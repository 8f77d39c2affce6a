package frugal.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import frugal.core.CellThread;
import frugal.core.Engines;
import org.junit.jupiter.api.Test;

/** A notebook runs cells in threads other than the engine's, where autograd records by default. */
class TrainerThreadTest {
    @Test
    void trainsWithWeightDecayInAFreshThread() {
        Engines.pytorch();
        History history = CellThread.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block model = Linear.builder().setUnits(1).build();
                model.initialize(manager, DataType.FLOAT32, new Shape(16, 3));
                return Trainer.train(model, TrainerTest.regression(3), LossFunction.of(Losses.meanSquaredError()),
                        TrainConfig.of(60, 0.05).withGrouping(ParamGrouping.decayMatricesOnly(0.1)).quiet());
            }
        });
        assertTrue(history.lastLoss() < history.steps().get(0).loss(), "the loss fell");
    }
}
