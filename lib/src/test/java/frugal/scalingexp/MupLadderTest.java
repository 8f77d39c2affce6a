package frugal.scalingexp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.Engines;
import frugal.mup.Mup;
import frugal.nn.TinyGpt;
import frugal.train.ParamGrouping;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The full study runs every size under muP with one lr: hidden matrices at lr / m, everything else at lr. */
class MupLadderTest {
    @BeforeAll
    static void engine() {
        Engines.pytorch();
    }

    @Test
    void everySizeOfTheFullStudyTrainsItsHiddenMatricesAtLrOverTheWidthMultiplier() {
        ScalingExperiment full = ScalingExperiment.forBudget("full");
        Setup setup = full.setup();
        assertTrue(setup.mup().enabled(), "the ladder is run under muP");
        assertEquals(setup, full.secondSetup().withCorpus(setup.corpus()), "the second setup changes only the data");
        List<RunSpec> runs = new ArrayList<>(full.ladderRuns());
        runs.addAll(full.heldOutRuns());
        runs.addAll(full.batchSweepRuns());
        int vocab = TokenData.of(setup.corpus()).vocab();
        for (RunSpec run : runs) {
            assertEquals(setup.lr(), run.setup().lr(), "one lr for " + run.name());
            int width = run.size().dModel();
            try (NDManager m = NDManager.newBaseManager()) {
                TinyGpt model = new TinyGpt(run.size().config(vocab, setup.context(), run.setup().mup()));
                model.initialize(m);
                ParamGrouping groups = Mup.paramGrouping(model, 0);
                int hidden = 0;
                for (Pair<String, Parameter> p : model.getParameters()) {
                    var group = groups.groupOf(p.getKey(), p.getValue());
                    double expected = group.name().equals("hidden") ? 16.0 / width : 1.0;
                    assertEquals(expected, group.lrMultiplier(), 1e-12, p.getKey() + " of " + run.name());
                    assertEquals(0, group.weightDecay(), p.getKey());
                    hidden += group.name().equals("hidden") ? 1 : 0;
                }
                assertTrue(hidden >= 4 * run.size().layers(), "q, k, v / out / MLP matrices of " + run.name());
            }
        }
    }

    @Test
    void theParametrizationTravelsWithTheRun() {
        RunSpec run = ScalingExperiment.forBudget("full").heldOutRuns().get(1);
        assertEquals(run, RunSpec.of(run.toConfig()));
        assertTrue(run.setup().parametrization().startsWith("muP (base width 16)"), run.setup().parametrization());
    }
}
