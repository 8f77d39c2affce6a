package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import frugal.sweep.Metrics;
import frugal.sweep.RunConfig;
import frugal.sweep.RunFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real (tiny) runs of the notebook's run function on fortunes. */
@ExtendWith(OneTorchThread.class)
class PowerRunTest {
    private static RunConfig tiny(String schedule, String budgets) {
        return RunConfig.of("schedule", schedule, "budgets", budgets, "batch", 4, "context", 16, "layers", 1,
                "width", 16, "heads", 1, "mup", false, "mup_base", 16, "warmup", 256, "decay", 0.25,
                "eval_batches", 1, "seed", 3, "lr", 1e-2, "final_ratio", 0.1, "a", 0.05, "b", -0.5, "eta_max", 0.02);
    }

    @Test
    void wsdBudgetsLearnAndRepeatExactly() {
        RunConfig c = tiny("wsd", "2048,4096");
        Metrics m = new PowerRun().run(c);
        double shorter = m.get(PowerRun.valLoss(2048));
        double longer = m.get(PowerRun.valLoss(4096));
        double uniform = Math.log(PowerRun.vocabSize());
        assertTrue(longer < shorter && shorter < uniform, "val losses " + shorter + ", " + longer + " vs ln V " + uniform);
        assertEquals(0, m.get("diverged"));
        assertEquals(PowerExperiment.steps(c), (long) m.get("steps"));
        assertEquals(32, m.curve(PowerRun.trainLoss(2048)).size(), "one point per step when there are few");
        assertEquals(64 * 64, m.curve(PowerRun.trainLoss(4096)).x()[63], "the curve's x is tokens seen");
        assertEquals(m, new PowerRun().run(c), "a run is a pure function of its configuration");
    }

    @Test
    void powerAndCosineRun() {
        Metrics power = new PowerRun().run(tiny("power", "2048,4096"));
        Metrics cosine = new PowerRun().run(tiny("cosine", "2048"));
        double uniform = Math.log(PowerRun.vocabSize());
        assertTrue(power.get(PowerRun.valLoss(4096)) < uniform);
        assertTrue(cosine.get(PowerRun.valLoss(2048)) < uniform);
        assertEquals(32, (long) cosine.get("steps"));
    }

    @Test
    void theRegimeCountsTheModelsNonEmbeddingParameters() {
        PowerExperiment full = PowerExperiment.forBudget("full");
        for (int[] shape : new int[][] {{full.layers(), full.width(), full.width() / full.headDim()}, {2, 64, 4}}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                TinyGpt model = new TinyGpt(TinyGpt.Config.of(PowerRun.vocabSize(), 64, shape[0], shape[1], shape[2]));
                model.initialize(manager);
                assertEquals(model.nonEmbeddingParameterCount(),
                        PowerExperiment.nonEmbeddingParameters(shape[0], shape[1], PowerRun.vocabSize()));
            }
        }
        // fortunes has 113 characters: 12 * 32^2 + 13 * 32 per block, 2 * 32 final LayerNorm, 32 * 113 head
        assertEquals(113, PowerRun.vocabSize());
        assertEquals(16_384, full.nonEmbeddingParameters());
    }

    @Test
    void badConfigurationsAreClearErrors() {
        RunFunction run = new PowerRun();
        FrugalException cosine = assertThrows(FrugalException.class, () -> run.run(tiny("cosine", "2048,4096")));
        assertTrue(cosine.getMessage().contains("one budget"), cosine.getMessage());
        FrugalException unknown = assertThrows(FrugalException.class, () -> run.run(tiny("linear", "2048")));
        assertTrue(unknown.getMessage().contains("wsd, power or cosine"), unknown.getMessage());
        FrugalException budgets = assertThrows(FrugalException.class, () -> run.run(tiny("wsd", "2k,4k")));
        assertTrue(budgets.getMessage().contains("commas"), budgets.getMessage());
    }
}
