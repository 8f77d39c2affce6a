package frugal.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.FrugalException;
import frugal.core.Seeds;
import frugal.core.StepRandom;
import frugal.mup.Mup;
import frugal.nn.TinyGpt;
import frugal.schedule.DecayShape;
import frugal.schedule.LrSchedule;
import frugal.schedule.PowerSchedule;
import frugal.schedule.WsdSchedule;
import frugal.train.AdamW;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.Losses;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Branching off a shared trunk through frugal.train gives exactly the straight run of each budget. */
@ExtendWith(OneTorchThread.class)
class BranchedTrainingTest {
    private static final int VOCAB = 11;
    private static final int CONTEXT = 8;
    private static final int BATCH = 4;
    private static final long TOKENS_PER_STEP = BATCH * CONTEXT;
    private static final LossFunction LOSS = LossFunction.of(Losses.softmaxCrossEntropy());
    /** 10, 20 and 30 steps; a quarter of each decays, so the branches leave the trunk at steps 8, 15 and 23. */
    private static final List<Long> BUDGETS = List.of(960L, 320L, 640L);

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void wsdBranchesEqualStraightRuns() {
        WsdSchedule recipe = WsdSchedule.tokens(2e-2, 960, 64, 240, DecayShape.LINEAR);
        BranchPlan plan = BranchPlan.wsd(recipe, TOKENS_PER_STEP, BUDGETS);
        assertEquals(List.of(8L, 15L, 23L), plan.branches().stream().map(BranchPlan.Branch::branchStep).toList());
        assertEquals(List.of(10L, 20L, 30L), plan.branches().stream().map(BranchPlan.Branch::steps).toList());
        assertEquals(23 + 2 + 5 + 7, plan.totalSteps());
        assertBranchesEqualStraightRuns(plan);
    }

    @Test
    void powerBranchesEqualStraightRuns() {
        PowerSchedule recipe = new PowerSchedule(0.02, -0.5, 2e-2, BATCH, 960, 64, 240, DecayShape.EXPONENTIAL);
        BranchPlan plan = BranchPlan.power(recipe, TOKENS_PER_STEP, BUDGETS);
        assertEquals(List.of(8L, 15L, 23L), plan.branches().stream().map(BranchPlan.Branch::branchStep).toList());
        // the power law falls over the trunk, so a branch's rates differ from a constant-rate trunk's
        assertTrue(plan.trunk().lr(20, 20 * TOKENS_PER_STEP) < plan.trunk().lr(5, 5 * TOKENS_PER_STEP));
        assertBranchesEqualStraightRuns(plan);
    }

    @Test
    void aStraightPlanIsOneRun() {
        LrSchedule constant = LrSchedule.constant(1e-2);
        BranchPlan plan = BranchPlan.straight(constant, TOKENS_PER_STEP, 100);
        assertEquals(1, plan.branches().size());
        assertEquals(4, plan.branches().get(0).steps()); // ceil(100 / 32)
        assertEquals(4, plan.totalSteps());
        assertBranchesEqualStraightRuns(plan);
    }

    @Test
    void aBranchThatLeavesTheTrunkEarlyIsRefused() {
        WsdSchedule run = WsdSchedule.tokens(1e-2, 640, 64, 320, DecayShape.LINEAR);
        LrSchedule trunk = WsdSchedule.tokens(1e-2, 640, 64, 0, DecayShape.LINEAR);
        // the decay starts at 320 tokens = step 10, so branching at step 12 would train steps 10 and 11 wrongly
        FrugalException e = assertThrows(FrugalException.class, () -> new BranchPlan(trunk, TOKENS_PER_STEP,
                List.of(new BranchPlan.Branch(640, 20, 12, run))));
        assertTrue(e.getMessage().contains("leaves the trunk"), e.getMessage());
        new BranchPlan(trunk, TOKENS_PER_STEP, List.of(new BranchPlan.Branch(640, 20, 10, run)));
    }

    @Test
    void aFolderWithCheckpointsIsRefused() throws Exception {
        Files.writeString(dir.resolve("step-00000003.ckpt"), "not mine");
        TinyGpt model = model();
        BranchPlan plan = BranchPlan.straight(LrSchedule.constant(1e-2), TOKENS_PER_STEP, 64);
        assertThrows(FrugalException.class, () -> BranchedTraining.train(model, data(), LOSS, (m, s) -> Map.of(),
                base(model), plan, dir));
    }

    @Test
    void aDivergingTrunkMarksTheBranchesAfterIt() {
        // a linear model whose data turns to NaN from step 9 on: the trunk reaches the first branch point (step 8),
        // that branch diverges at its own step 9, and the trunk diverges before the next branch points (15, 23)
        Block linear = Linear.builder().setUnits(1).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(BATCH, 3));
        BatchSource poisoned = (m, step) -> {
            float[] x = new float[BATCH * 3];
            java.util.Arrays.fill(x, step >= 9 ? Float.NaN : 0.5f);
            return Batch.of(m.create(x, new Shape(BATCH, 3)), m.create(new float[BATCH], new Shape(BATCH, 1)));
        };
        WsdSchedule recipe = WsdSchedule.tokens(1e-2, 960, 64, 240, DecayShape.LINEAR);
        BranchPlan plan = BranchPlan.wsd(recipe, TOKENS_PER_STEP, BUDGETS);
        List<BranchResult> results = BranchedTraining.train(linear, poisoned,
                LossFunction.of(Losses.meanSquaredError()), (m, scope) -> Map.of("x", 1.0),
                TrainConfig.of(1, 0).withSeed(9).quiet(), plan, dir);
        assertTrue(results.stream().allMatch(BranchResult::diverged));
        assertFalse(results.get(0).divergence().contains("trunk"), "the first branch diverged on its own");
        assertTrue(results.get(1).divergence().contains("trunk"), results.get(1).divergence());
        assertTrue(Double.isNaN(results.get(2).metric("x")));
        assertTrue(frugal.train.Checkpoint.listed(dir).isEmpty(), "trunk checkpoints deleted after a divergence too");
    }

    private void assertBranchesEqualStraightRuns(BranchPlan plan) {
        TinyGpt branched = model();
        List<Map<String, float[]>> atEnds = new ArrayList<>();
        List<BranchResult> results = BranchedTraining.train(branched, data(), LOSS, (m, scope) -> {
            atEnds.add(parameters(m));
            return Map.of("checksum", (double) atEnds.size());
        }, base(branched), plan, dir);
        assertEquals(plan.branches().size(), results.size());
        assertTrue(Files.exists(dir) && frugal.train.Checkpoint.listed(dir).isEmpty(), "trunk checkpoints deleted");
        for (int i = 0; i < results.size(); i++) {
            BranchResult r = results.get(i);
            assertFalse(r.diverged());
            assertEquals(i + 1, r.metric("checksum"));
            TinyGpt straight = model();
            History h = Trainer.train(straight, data(), LOSS,
                    base(straight).withSchedule(r.branch().schedule()).withSteps(r.branch().steps()));
            assertEquals(r.branch().steps(), r.history().steps().size(), "the branch's history covers its whole run");
            for (int s = 0; s < h.steps().size(); s++) {
                assertEquals(h.steps().get(s).lr(), r.history().steps().get(s).lr(), 1e-15, "lr at step " + s);
                assertEquals(h.steps().get(s).loss(), r.history().steps().get(s).loss(), 1e-5, "loss at step " + s);
            }
            Map<String, float[]> expected = parameters(straight);
            Map<String, float[]> actual = atEnds.get(i);
            assertEquals(expected.keySet(), actual.keySet());
            double worst = 0;
            for (String name : expected.keySet()) {
                float[] e = expected.get(name);
                float[] a = actual.get(name);
                for (int j = 0; j < e.length; j++) {
                    worst = Math.max(worst, Math.abs(e[j] - a[j]));
                }
            }
            assertTrue(worst < 1e-5, "branch " + r.branch().budget() + ": max |param diff| " + worst);
        }
    }

    private TinyGpt model() {
        Seeds.set(5);
        TinyGpt model = new TinyGpt(TinyGpt.Config.of(VOCAB, CONTEXT, 1, 16, 2));
        model.initialize(manager);
        return model;
    }

    private static TrainConfig base(TinyGpt model) {
        return TrainConfig.of(1, 0).withOptimizer(AdamW.factory(new AdamW.Config(0.9, 0.95, 1e-8)))
                .withGrouping(Mup.paramGrouping(model, 0.1)).withClip(1.0).withSeed(9).quiet();
    }

    /** Tokens with some structure (next = previous + 1 mod vocab, with noise) so the loss really moves. */
    private static BatchSource data() {
        return (m, step) -> {
            Random r = StepRandom.of(3, step);
            long[] x = new long[BATCH * CONTEXT];
            long[] y = new long[BATCH * CONTEXT];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(VOCAB);
                y[i] = r.nextInt(4) == 0 ? r.nextInt(VOCAB) : (x[i] + 1) % VOCAB;
            }
            return Batch.of(m.create(x).reshape(BATCH, CONTEXT), m.create(y).reshape(BATCH, CONTEXT));
        };
    }

    private static Map<String, float[]> parameters(Block model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }
}
