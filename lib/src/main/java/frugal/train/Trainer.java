package frugal.train;

import frugal.core.StepRandom;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import frugal.core.Display;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.GradMode;
import frugal.core.HelperThreads;
import frugal.core.Seeds;
import frugal.core.ThreadGradients;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The training loop: for each step, a batch, forward and backward under a gradient collector, the guard,
 * gradient clipping, one optimiser update, metrics; evaluation, checkpoints and progress on their cadence.
 *
 * <p>Each step runs in its own NDManager scope, so memory stays flat over long runs. The engine is seeded
 * per step from (seed, step) and batches are a function of the step, so a run resumed from a checkpoint
 * reproduces an uninterrupted one. Optimiser state lives for the run and is freed when it returns.
 */
public final class Trainer {
    private final Block model;
    private final BatchSource data;
    private final LossFunction loss;
    private final Evaluator evaluator;
    private final TrainConfig config;
    private final Engine engine = Engines.pytorch();

    private History history = new History();
    private final LossGuard guard;
    private long tokens;
    private Display.Handle chart;
    /** The slices' threads while a run with parallel slices trains; null otherwise. */
    private HelperThreads sliceThreads;

    private Trainer(Block model, BatchSource data, LossFunction loss, Evaluator evaluator, TrainConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.data = Objects.requireNonNull(data, "data");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.evaluator = evaluator;
        this.config = Objects.requireNonNull(config, "config");
        this.guard = new LossGuard(config.guard());
    }

    /** Trains {@code model} in place and returns what was measured. */
    public static History train(Block model, BatchSource data, LossFunction loss, TrainConfig config) {
        return new Trainer(model, data, loss, null, config).run();
    }

    /** Trains with an evaluator, run every {@code config.evalEvery()} steps and after the last step. */
    public static History train(Block model, BatchSource data, LossFunction loss, Evaluator evaluator,
            TrainConfig config) {
        return new Trainer(model, data, loss, Objects.requireNonNull(evaluator, "evaluator"), config).run();
    }

    private History run() {
        // a notebook cell's thread records autograd by default: the optimiser's in-place updates must not
        GradMode.offInThisThread();
        TrainableParams params = TrainableParams.of(model, config.grouping());
        int engineThreads = JniUtils.getNumThreads();
        if (config.sliceThreads() > 1 && config.microBatches() > 1) {
            // one PyTorch thread each for the slices (a new thread takes the count when it first runs an op) and for
            // this thread's own slice and update, for the whole run
            JniUtils.setNumThreads(1);
            sliceThreads = HelperThreads.of(config.sliceThreads());
        }
        try (Optimizer optimizer = config.optimizer().create(params);
                NDManager runScope = params.entries().get(0).array().getManager().newSubManager()) {
            long start = config.resumeFrom() == null ? 0 : resume(optimizer);
            params.zeroGradients(); // gradients left over from earlier work must not leak into step one
            if (start >= config.steps()) {
                return history;
            }
            try (Progress progress = config.logEvery() > 0 ? Progress.start(title(params, optimizer, start), "step",
                    config.steps()) : null) {
                for (long s = start; s < config.steps(); s++) {
                    step(s, params, optimizer, runScope);
                    long done = s + 1;
                    if (evaluator != null && (done == config.steps() || config.evalEvery() > 0 && done % config.evalEvery() == 0)) {
                        evaluate(done, runScope);
                    }
                    if (config.checkpoints().enabled() && (done == config.steps() || done % config.checkpoints().every() == 0)) {
                        checkpoint(done, optimizer);
                    }
                    if (progress != null && (done == config.steps() || done % config.logEvery() == 0)) {
                        progress.update(done, status());
                    }
                    if (config.chartEvery() > 0 && (done == config.steps() || done % config.chartEvery() == 0)) {
                        drawChart();
                    }
                }
            }
            return history;
        } finally {
            if (sliceThreads != null) {
                sliceThreads.close();
                sliceThreads = null;
                JniUtils.setNumThreads(engineThreads);
            }
        }
    }

    private void step(long s, TrainableParams params, Optimizer optimizer, NDManager runScope) {
        long t0 = System.nanoTime();
        try (NDManager scope = runScope.newSubManager()) {
            synchronized (Seeds.ENGINE_GENERATOR) {
                engine.setRandomSeed(StepRandom.engineSeed(config.seed(), s));
            }
            Batch batch = data.batch(scope, s);
            double lr = config.schedule().lr(s, tokens);
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new FrugalException("the schedule gave learning rate " + lr + " at step " + s + " (tokens " + tokens
                        + "); it must be finite and >= 0");
            }
            double lossValue = 0;
            // gradients add up over the backward passes until the optimiser's update zeroes them (PyTorch locks
            // each parameter's accumulation, so slices on several threads may add at once)
            List<Batch> parts = config.microBatches() == 1 ? List.of(batch) : batch.split(config.microBatches());
            if (sliceThreads != null && parts.size() > 1) {
                double[] partLoss = new double[parts.size()];
                // each slice's arrays on a manager of its own: DJL attaches every op's result under its manager's
                // lock, which two slices on one manager contend for; each thread frees its slice's arrays itself
                List<NDManager> partScopes = new ArrayList<>(parts.size());
                for (Batch part : parts) {
                    NDManager partScope = scope.newSubManager();
                    part.inputs().attach(partScope);
                    part.targets().attach(partScope);
                    partScopes.add(partScope);
                }
                for (int from = 0; from < parts.size(); from += sliceThreads.threads()) {
                    int first = from;
                    sliceThreads.forParts(Math.min(sliceThreads.threads(), parts.size() - from), i -> {
                        try (NDManager partScope = partScopes.get(first + i)) {
                            partLoss[first + i] = forwardBackward(parts.get(first + i), batch.tokens(), s, partScope);
                        }
                    });
                }
                for (double l : partLoss) {
                    lossValue += l;
                }
            } else {
                for (Batch part : parts) {
                    lossValue += forwardBackward(part, batch.tokens(), s, scope);
                }
            }
            NDList grads = params.gradients(scope);
            double gradNorm = GradClip.globalNorm(grads);
            tokens += batch.tokens();
            String problem = guard.problem(lossValue, gradNorm);
            boolean skipped = problem != null;
            if (!skipped) {
                double scale = config.clipNorm() > 0 ? GradClip.scaleFor(gradNorm, config.clipNorm()) : 1.0;
                optimizer.step(grads, lr, scale, sliceThreads != null ? sliceThreads : HelperThreads.SINGLE);
                guard.accept(s + 1, lossValue);
            } else {
                params.zeroGradients();
            }
            history.add(new History.Step(s + 1, lr, lossValue, gradNorm, tokens, (System.nanoTime() - t0) / 1e6, skipped));
            if (skipped) {
                guard.countSkip();
                if (config.guard().action() == Guard.Action.STOP || guard.skipsExhausted()) {
                    throw new TrainingDiverged(divergedMessage(s + 1, problem, lr), history);
                }
            }
        }
    }

    /**
     * One forward and backward pass of {@code part}, its loss weighted by its share of the step's tokens (so the
     * summed gradients are those of the whole batch's mean loss); returns the weighted loss.
     */
    private double forwardBackward(Batch part, long stepTokens, long s, NDManager scope) {
        try (GradientCollector collector = ThreadGradients.collect()) {
            NDArray value = loss.loss(model, part.inputs(), part.targets(), true);
            if (part.tokens() != stepTokens) {
                // an array, not a Java number: the backward reads it (see the README's pitfalls)
                value = value.mul(scope.create((float) ((double) part.tokens() / stepTokens)));
            }
            collector.backward(value);
            return Evaluation.scalar(value, "the training loss");
        } catch (EngineException e) {
            throw new FrugalException("the loss or its backward pass failed at step " + s + ": " + e.getMessage()
                    + ". Check the batch shapes against the model, and that the loss is a scalar computed from the"
                    + " model's outputs.", e);
        }
    }

    private String divergedMessage(long step, String problem, double lr) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Training stopped at step %d of %d: %s.", step,
                config.steps(), problem));
        if (config.guard().action() == Guard.Action.SKIP) {
            sb.append(String.format(Locale.ROOT, " That was %d bad steps in a row (Guard allows %d).",
                    guard.consecutiveSkips(), config.guard().maxConsecutiveSkips()));
        }
        sb.append(guard.lastGoodStep() > 0
                ? String.format(Locale.ROOT, " Last good loss %s at step %d;", LossGuard.fmt(guard.lastGood()), guard.lastGoodStep())
                : " No step had a good loss yet;");
        sb.append(String.format(Locale.ROOT, " learning rate %.3g. Try a lower learning rate (e.g. %.3g)", lr, lr / 2));
        sb.append(config.clipNorm() > 0
                ? String.format(Locale.ROOT, " or tighter gradient clipping (now %s)", config.clipNorm())
                : ", enable gradient clipping (TrainConfig.withClip(1.0))");
        sb.append(config.guard().action() == Guard.Action.STOP
                ? ", or skip bad batches with TrainConfig.withGuard(Guard.skip(10, 5))." : ".");
        sb.append(" The history up to this step is in TrainingDiverged.history().");
        return sb.toString();
    }

    private void evaluate(long done, NDManager runScope) {
        try (NDManager scope = runScope.newSubManager()) {
            Map<String, Double> metrics = evaluator.evaluate(model, scope);
            metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(m -> history.add(new History.Eval(done, m.getKey(), m.getValue())));
        }
    }

    private void checkpoint(long done, Optimizer optimizer) {
        Path dir = config.checkpoints().dir();
        Checkpoint.write(Checkpoint.fileFor(dir, done), done, tokens, config.seed(), model, optimizer, guard, history);
        List<Path> all = Checkpoint.listed(dir);
        for (Path old : all.subList(0, Math.max(0, all.size() - config.checkpoints().keep()))) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete old checkpoint " + old, e);
            }
        }
    }

    /** Restores model, optimiser, guard, history and counters; returns the step index to continue from. */
    private long resume(Optimizer optimizer) {
        Checkpoint c = Checkpoint.read(config.resumeFrom());
        if (c.seed() != config.seed()) {
            throw new FrugalException("checkpoint " + c.file() + " was written by a run with seed " + c.seed()
                    + " but this run has seed " + config.seed() + "; resume with TrainConfig.withSeed(" + c.seed()
                    + ") to continue the same run");
        }
        if (c.step() > config.steps()) {
            throw new FrugalException("checkpoint " + c.file() + " is at step " + c.step() + ", beyond this run's "
                    + config.steps() + " steps; raise TrainConfig.steps to continue");
        }
        c.restoreModel(model);
        c.restoreOptimizer(optimizer);
        c.restoreGuard(guard);
        history = c.history();
        tokens = c.tokens();
        return c.step();
    }

    private String title(TrainableParams params, Optimizer optimizer, long start) {
        return String.format(Locale.ROOT, "training %d steps%s: %s, %,d parameters in %d arrays%s", config.steps(),
                start > 0 ? " (resumed at " + start + ")" : "", optimizer.kind(), params.count(), params.size(),
                config.clipNorm() > 0 ? ", clip " + config.clipNorm() : "");
    }

    private String status() {
        History.Step last = history.steps().get(history.steps().size() - 1);
        String s = String.format(Locale.ROOT, "loss %.4g lr %.1e", history.meanLoss(Math.max(1, config.logEvery())), last.lr());
        if (history.skipped() > 0) {
            s += " skipped " + history.skipped();
        }
        return s;
    }

    private void drawChart() {
        if (!Display.rich()) {
            return;
        }
        Series loss = history.series("loss");
        if (loss.size() == 0) {
            return;
        }
        boolean positive = Arrays.stream(loss.y()).allMatch(v -> v > 0);
        var xy = Plots.lines("training loss", "step", "loss", Scale.LINEAR, positive ? Scale.LOG : Scale.LINEAR, loss);
        if (chart == null) {
            chart = Display.show(xy);
        } else {
            chart.update(xy);
        }
    }
}
