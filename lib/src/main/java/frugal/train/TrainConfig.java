package frugal.train;

import frugal.core.StepRandom;
import frugal.schedule.LrSchedule;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything that defines a training run except the model, data and loss. Immutable; change a copy with the
 * {@code with...} methods: {@code TrainConfig.of(500, 3e-4).withClip(1.0).withEvalEvery(100)}.
 *
 * @param steps optimiser steps in the whole run (a resumed run continues up to this number)
 * @param schedule learning rate per step, fed with the step index and the tokens seen before the step
 * @param optimizer creates the optimiser (default AdamW with PyTorch's betas)
 * @param grouping parameter groups: per-group learning-rate multiplier and weight decay
 * @param clipNorm clip gradients to this global norm; 0 turns clipping off (the norm is still recorded)
 * @param evalEvery run the evaluator after every {@code evalEvery} steps; 0 only after the last step
 * @param logEvery refresh the progress display every {@code logEvery} steps (at most ~10 times a second);
 *     0 shows no progress
 * @param chartEvery in a notebook, redraw a live loss chart every {@code chartEvery} steps; 0 turns it off
 * @param seed seeds batches ({@link StepRandom}) and the engine, per step
 * @param guard what to do with NaN, infinite or spiking losses
 * @param checkpoints where and how often to write checkpoints
 * @param resumeFrom a checkpoint file, or a folder whose latest checkpoint is used; null starts afresh (to resume
 *     only when a checkpoint exists: {@code withResumeFrom(Checkpoint.latest(dir).orElse(null))})
 * @param microBatches gradient accumulation: each step's batch is split into this many row slices, each run
 *     forward and backward on its own (its loss weighted by its share of the batch's tokens), and the
 *     gradients are summed before the one optimiser update; 1 (the default) runs the batch at once
 * @param sliceThreads run the micro-batch slices at once on this many threads, one PyTorch thread each
 *     ({@link frugal.core.HelperThreads}, kept for the run, the calling thread taking the first slice); 1 (the
 *     default) runs them one after another. For tiny models, whose ops are too small to use several PyTorch threads
 *     well; the update and evaluations then run on one PyTorch thread too. The summed gradient differs from one pass's by rounding
 *     only; with two slices it does not depend on which finishes first (fp addition commutes), with more it may,
 *     and so may dropout, whose draws the slices share
 */
public record TrainConfig(
        long steps,
        LrSchedule schedule,
        Optimizer.Factory optimizer,
        ParamGrouping grouping,
        double clipNorm,
        int evalEvery,
        int logEvery,
        int chartEvery,
        long seed,
        Guard guard,
        CheckpointPolicy checkpoints,
        Path resumeFrom,
        int microBatches,
        int sliceThreads) {
    public TrainConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(grouping, "grouping");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(checkpoints, "checkpoints (use CheckpointPolicy.NONE)");
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0 = off), got " + clipNorm);
        }
        if (evalEvery < 0 || logEvery < 0 || chartEvery < 0) {
            throw new IllegalArgumentException("evalEvery, logEvery and chartEvery must be >= 0, got "
                    + evalEvery + ", " + logEvery + ", " + chartEvery);
        }
        if (microBatches < 1) {
            throw new IllegalArgumentException("microBatches must be >= 1 (1 = no gradient accumulation), got "
                    + microBatches);
        }
        if (sliceThreads < 1) {
            throw new IllegalArgumentException("sliceThreads must be >= 1 (1 = slices one after another), got "
                    + sliceThreads);
        }
    }

    /**
     * A constant learning rate with AdamW (PyTorch defaults), no weight decay, no clipping, progress shown,
     * seed 42, STOP on NaN, no checkpoints.
     */
    public static TrainConfig of(long steps, double lr) {
        return new TrainConfig(steps, LrSchedule.constant(lr), AdamW.factory(), ParamGrouping.uniform(0.0), 0.0, 0, 1, 0,
                42L, Guard.stop(), CheckpointPolicy.NONE, null, 1, 1);
    }

    public TrainConfig withSteps(long steps) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withSchedule(LrSchedule schedule) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withOptimizer(Optimizer.Factory optimizer) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withGrouping(ParamGrouping grouping) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withClip(double clipNorm) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withEvalEvery(int evalEvery) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withLogEvery(int logEvery) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withChartEvery(int chartEvery) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withSeed(long seed) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withGuard(Guard guard) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withCheckpoints(CheckpointPolicy checkpoints) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    public TrainConfig withResumeFrom(Path resumeFrom) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    /** Accumulates gradients over {@code microBatches} slices of each step's batch (see the record comment). */
    public TrainConfig withMicroBatches(int microBatches) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, microBatches, sliceThreads);
    }

    /**
     * Splits each step's batch into {@code slices} micro-batches trained at once on as many threads, one PyTorch
     * thread each (see the record comment): {@code withParallelSlices(2)} on 2 cores.
     */
    public TrainConfig withParallelSlices(int slices) {
        return new TrainConfig(steps, schedule, optimizer, grouping, clipNorm, evalEvery, logEvery, chartEvery, seed,
                guard, checkpoints, resumeFrom, slices, slices);
    }

    /** Without progress display or live chart (tests, sweeps). */
    public TrainConfig quiet() {
        return withLogEvery(0).withChartEvery(0);
    }
}
