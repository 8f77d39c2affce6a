package frugal.moe;

import frugal.core.TorchTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import frugal.core.FrugalException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LBL against a hand computation for micro-batch and global scope, on a constructed batch of two sequences:
 * sequence 0 sends all its picks to experts 0 and 1, sequence 1 to experts 2 and 3 (N_E = 4, top-2, T = 2).
 */
class LoadBalanceTest extends TorchTest {
    private static final int N = 4;
    // probabilities per token (b, t): rows sum to 1
    private static final float[] PROBS = {
        0.5f, 0.3f, 0.1f, 0.1f, // b0 t0
        0.4f, 0.4f, 0.1f, 0.1f, // b0 t1
        0.1f, 0.1f, 0.6f, 0.2f, // b1 t0
        0.0f, 0.2f, 0.3f, 0.5f, // b1 t1
    };
    private static final int[] CHOICES = {0, 1, 0, 1, 2, 3, 3, 2};

    private Routing routing(NDArray probs) {
        return new Routing(0, probs, CHOICES, 2);
    }

    private double lbl(BalanceScope scope) {
        NDArray probs = manager.create(PROBS, new Shape(2, 2, N));
        return LoadBalance.loss(List.of(routing(probs)), scope, manager).getFloat();
    }

    @Test
    void microAndGlobalScopeEqualTheHandComputationAndDiffer() {
        // micro: sequence 0 has f = (1/2, 1/2, 0, 0), p = (0.45, 0.35, 0.1, 0.1) -> 4 * (0.225 + 0.175) = 1.6;
        // sequence 1 has f = (0, 0, 1/2, 1/2), p = (0.05, 0.15, 0.45, 0.35) -> 4 * (0.225 + 0.175) = 1.6
        double micro = lbl(BalanceScope.microBatch(1));
        assertEquals(1.6, micro, 1e-6);
        // global: f = 1/4 each, p = (0.25, 0.25, 0.275, 0.225) -> 4 * 1/4 * 1 = 1.0, the balanced optimum
        double global = lbl(BalanceScope.globalBatch(2));
        assertEquals(1.0, global, 1e-6);
        assertTrue(micro > global + 0.5, "the two scopes must disagree on this batch: " + micro + " vs " + global);
    }

    @Test
    void fCarriesNoGradientOnlyPDoes() {
        NDArray probs = manager.create(PROBS, new Shape(2, 2, N));
        probs.setRequiresGradient(true);
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            c.backward(LoadBalance.loss(List.of(routing(probs)), BalanceScope.microBatch(1), manager));
        }
        // d LBL / d probs[b, t, i] = N_E / groups * f_{b,i} / T: constant in the probabilities
        float[] g = probs.getGradient().toFloatArray();
        float[] f = LoadBalance.fractions(routing(probs), BalanceScope.microBatch(1));
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < N; i++) {
                    assertEquals(N / 2.0 * f[b * N + i] / 2, g[(b * 2 + t) * N + i], 1e-6, "b" + b + " t" + t + " e" + i);
                }
            }
        }
    }

    @Test
    void aScopeThatDoesNotTileTheForwardIsAClearError() {
        FrugalException e = assertThrows(FrugalException.class, () -> lbl(BalanceScope.globalBatch(4)));
        assertTrue(e.getMessage().contains("holds 2"), e.getMessage());
    }
}
