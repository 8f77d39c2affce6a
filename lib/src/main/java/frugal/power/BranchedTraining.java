package frugal.power;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import frugal.core.FrugalException;
import frugal.train.BatchSource;
import frugal.train.Checkpoint;
import frugal.train.CheckpointPolicy;
import frugal.train.Evaluator;
import frugal.train.History;
import frugal.train.LossFunction;
import frugal.train.TrainConfig;
import frugal.train.Trainer;
import frugal.train.TrainingDiverged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains every branch of a {@link BranchPlan} through {@link Trainer} for the cost of the longest: the trunk is
 * trained once, segment by segment, with a checkpoint at each branch step; each branch resumes that checkpoint with
 * its own schedule. Because the Trainer draws batches and randomness from (seed, step) and a checkpoint restores the
 * optimiser state, a branch equals the straight run of its budget.
 */
public final class BranchedTraining {
    private BranchedTraining() {}

    /**
     * Trains the plan on {@code model} in place (it ends as the last branch left it) and evaluates each branch at
     * its end. A branch that diverges is recorded as such and the others go on; when the trunk diverges, every branch
     * after that point is recorded as diverged.
     *
     * @param model an initialised model: the trunk starts from its current parameters
     * @param base the run's optimiser, grouping, clipping, seed, guard and progress; its steps, schedule,
     *     checkpoints and resume point are set here per segment
     * @param evaluator measures the model at the end of each branch
     * @param workDir a folder with no checkpoints in it, for the trunk's (created when missing); they are deleted
     *     at the end
     */
    public static List<BranchResult> train(Block model, BatchSource data, LossFunction loss, Evaluator evaluator,
            TrainConfig base, BranchPlan plan, Path workDir) {
        if (base.resumeFrom() != null || base.checkpoints().enabled()) {
            throw new FrugalException("BranchedTraining sets checkpoints and resume points itself; pass a base config"
                    + " without withCheckpoints / withResumeFrom");
        }
        if (!Checkpoint.listed(workDir).isEmpty()) {
            throw new FrugalException(workDir + " already holds checkpoints; give BranchedTraining an empty folder of"
                    + " its own (it deletes the checkpoints it wrote at the end)");
        }
        CheckpointPolicy trunkCheckpoints = new CheckpointPolicy(workDir, Integer.MAX_VALUE, plan.branches().size());
        List<BranchResult> results = new ArrayList<>();
        Path at = null;
        long trunkStep = 0;
        TrainingDiverged trunkDiverged = null;
        try {
            for (BranchPlan.Branch branch : plan.branches()) {
                if (trunkDiverged == null && branch.branchStep() > trunkStep) {
                    try {
                        Trainer.train(model, data, loss, base.withSchedule(plan.trunk()).withSteps(branch.branchStep())
                                .withResumeFrom(at).withCheckpoints(trunkCheckpoints));
                        at = Checkpoint.fileFor(workDir, branch.branchStep());
                        trunkStep = branch.branchStep();
                    } catch (TrainingDiverged e) {
                        trunkDiverged = e;
                    }
                }
                if (trunkDiverged != null) {
                    results.add(new BranchResult(branch, trunkDiverged.history(), Map.of(),
                            "the shared trunk diverged: " + trunkDiverged.getMessage()));
                    continue;
                }
                results.add(trainBranch(model, data, loss, evaluator, base, branch, at));
            }
        } finally {
            deleteCheckpoints(workDir);
        }
        return List.copyOf(results);
    }

    private static BranchResult trainBranch(Block model, BatchSource data, LossFunction loss, Evaluator evaluator,
            TrainConfig base, BranchPlan.Branch branch, Path at) {
        History history;
        try {
            history = Trainer.train(model, data, loss, base.withSchedule(branch.schedule()).withSteps(branch.steps())
                    .withResumeFrom(at));
        } catch (TrainingDiverged e) {
            return new BranchResult(branch, e.history(), Map.of(), e.getMessage());
        }
        try (NDManager scope = model.getParameters().valueAt(0).getArray().getManager().newSubManager()) {
            return new BranchResult(branch, history, evaluator.evaluate(model, scope), null);
        }
    }

    private static void deleteCheckpoints(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try {
            for (Path p : Checkpoint.listed(workDir)) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the trunk checkpoints in " + workDir, e);
        }
    }
}
