package frugal.growth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import org.junit.jupiter.api.Test;

class FlopsTest {
    @Test
    void forwardFlopsEqualAHandCount() {
        // vocab 10, context 4, 2 layers, d 8, MLP ratio 4
        TinyGpt.Config c = TinyGpt.Config.of(10, 4, 2, 8, 2);
        long qkv = 2 * 8 * 24;
        long proj = 2 * 8 * 8;
        long up = 2 * 8 * 32;
        long down = 2 * 32 * 8;
        long attention = 2 * 4 * 8 + 2 * 4 * 8; // q.k over 4 keys, then 4 weights x values, 8 wide
        long head = 2 * 8 * 10;
        long perToken = 2 * (qkv + proj + up + down + attention) + head;
        assertEquals(3488, perToken);
        assertEquals(perToken, Flops.forwardPerToken(c, 4));
        assertEquals(3 * perToken, Flops.trainingPerToken(c, 4));
        assertEquals(3 * perToken * 5 * 4, Flops.trainingPerStep(c, 5, 4));
        // a shorter window only shortens the attention term
        assertEquals(perToken - 2 * 2 * (2 * 8 + 2 * 8), Flops.forwardPerToken(c, 2));
    }

    @Test
    void matrixTermIsTwiceTheModelsWeightMatrices() {
        // the hand count's d^2 terms must match the weights the model really holds: 2 FLOPs per matrix entry
        Engines.pytorch();
        TinyGpt.Config c = TinyGpt.Config.of(13, 5, 3, 12, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyGpt model = new TinyGpt(c);
            model.initialize(m);
            long matrices = 0;
            for (var p : model.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT && !p.getKey().endsWith("_emb")) {
                    matrices += p.getValue().getArray().getShape().size();
                }
            }
            long attention = 3L * 2 * 2 * 5 * 12;
            assertEquals(2 * matrices + attention, Flops.forwardPerToken(c, 5));
        }
    }

    @Test
    void aStackedModelCostsAboutFactorTimesTheBlocks() {
        TinyGpt.Config small = TinyGpt.Config.of(113, 64, 2, 64, 4);
        TinyGpt.Config big = GrowthOperator.deeper(small, 4);
        long head = 2L * 64 * 113;
        assertEquals(4 * (Flops.forwardPerToken(small, 64) - head), Flops.forwardPerToken(big, 64) - head);
    }

    @Test
    void badSizesAreRejected() {
        TinyGpt.Config c = TinyGpt.Config.of(10, 4, 2, 8, 2);
        assertThrows(FrugalException.class, () -> Flops.forwardPerToken(c, 5));
        assertThrows(FrugalException.class, () -> Flops.trainingPerStep(c, 0, 4));
    }
}
