package frugal.dg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import frugal.data.ImageBatch;
import frugal.data.ImageSet;
import frugal.data.Split;
import frugal.train.Losses;
import frugal.train.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * DomainBed's protocol: every domain in turn is the test domain and the algorithm trains on the others, with
 * one minibatch from each training domain per step; checkpoints are evaluated every {@code evalEvery} steps
 * on every domain's out split and on the test domain's in split, so any {@link ModelSelection} can choose
 * afterwards; all of it repeated over trials.
 *
 * <p>Within a trial every algorithm sees the same in/out splits, the same minibatches step by step and the
 * same initial predictor, so algorithms are compared on paired runs.
 */
public final class LeaveOneDomainOut {
    private static final int EVAL_BATCH = 500;
    // salts that keep the seeds of different uses apart
    private static final long SPLIT = 1_000;
    private static final long BATCHES = 2_000;
    private static final long INIT = 3_000;

    private final DomainSet domains;
    private final List<Algorithm> algorithms;
    private final DgConfig config;

    private LeaveOneDomainOut(DomainSet domains, List<Algorithm> algorithms, DgConfig config) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.algorithms = List.copyOf(algorithms);
        this.config = Objects.requireNonNull(config, "config");
        if (this.algorithms.isEmpty()) {
            throw new FrugalException("the benchmark needs at least one algorithm");
        }
        if (this.algorithms.stream().map(Algorithm::name).distinct().count() != this.algorithms.size()) {
            throw new FrugalException("algorithm names must be distinct, got " + this.algorithms);
        }
    }

    /** Runs every trial, test domain and algorithm; parameters live on children of {@code manager}. */
    public static DgResults run(DomainSet domains, List<Algorithm> algorithms, DgConfig config, NDManager manager) {
        return new LeaveOneDomainOut(domains, algorithms, config).run(manager);
    }

    private DgResults run(NDManager manager) {
        List<DgRun> runs = new ArrayList<>();
        long total = (long) config.trials() * domains.size() * algorithms.size() * config.steps();
        try (Progress progress = Progress.start(String.format("leave-one-domain-out: %d trials x %d test domains x %d"
                + " algorithms, %d steps each", config.trials(), domains.size(), algorithms.size(), config.steps()),
                "step", total)) {
            for (int trial = 0; trial < config.trials(); trial++) {
                long trialSeed = StepRandom.mix(config.seed(), trial);
                List<Split<ImageSet>> splits = new ArrayList<>();
                for (Domain d : domains.domains()) {
                    splits.add(d.split(config.inFraction(), StepRandom.mix(trialSeed, SPLIT + d.index())));
                }
                List<ImageSet> val = splits.stream().map(s -> first(s.val(), config.valImagesPerDomain())).toList();
                for (int test = 0; test < domains.size(); test++) {
                    ImageSet testSet = first(splits.get(test).train(), config.testImages());
                    for (Algorithm algorithm : algorithms) {
                        long done = (long) runs.size() * config.steps();
                        String what = String.format("trial %d, test %s, %s", trial + 1, domains.get(test).name(),
                                algorithm.name());
                        runs.add(runOne(algorithm, trial, trialSeed, test, splits, val, testSet, manager,
                                s -> progress.update(done + s, what)));
                    }
                }
            }
        }
        return new DgResults(domains, algorithms.stream().map(Algorithm::name).toList(), config, runs);
    }

    private DgRun runOne(Algorithm algorithm, int trial, long trialSeed, int test, List<Split<ImageSet>> splits,
            List<ImageSet> val, ImageSet testSet, NDManager manager, LongConsumer onStep) {
        List<Integer> training = new ArrayList<>();
        for (int d = 0; d < domains.size(); d++) {
            if (d != test) {
                training.add(d);
            }
        }
        ImageSet first = domains.get(0).images();
        Shape input = new Shape(config.batchPerDomain(), 1, first.rows(), first.cols());
        double[] loss = new double[config.steps()];
        List<CheckpointRecord> checkpoints = new ArrayList<>();
        long trainNanos = 0;
        long evalNanos = 0;
        try (NDManager runManager = manager.newSubManager();
                Learner learner = algorithm.start(new RunSetup(config.network(), domains.classNames().size(),
                        training.size(), input, config.lr(), config.weightDecay(),
                        StepRandom.mix(trialSeed, INIT + test), runManager))) {
            for (int s = 0; s < config.steps(); s++) {
                long t0 = System.nanoTime();
                try (NDManager scope = runManager.newSubManager()) {
                    List<ImageBatch> batches = new ArrayList<>(training.size());
                    for (int d : training) {
                        batches.add(splits.get(d).train().batchAt(scope, s, config.batchPerDomain(),
                                StepRandom.mix(trialSeed, BATCHES + d)));
                    }
                    loss[s] = learner.update(batches, scope);
                }
                long t1 = System.nanoTime();
                trainNanos += t1 - t0;
                int done = s + 1;
                if (done % config.evalEvery() == 0 || done == config.steps()) {
                    checkpoints.add(evaluate(learner.predictor(), done, val, testSet, runManager));
                    evalNanos += System.nanoTime() - t1;
                }
                onStep.accept(done);
            }
            int[][] expertPredictions = learner.experts().stream()
                    .map(e -> predict(e, testSet, runManager).classes()).toArray(int[][]::new);
            return new DgRun(algorithm.name(), trial, test, loss, checkpoints, testSet.labels(), expertPredictions,
                    parameterCount(learner.predictor()), trainNanos / 1e9, evalNanos / 1e9);
        }
    }

    private static CheckpointRecord evaluate(Block model, long step, List<ImageSet> val, ImageSet testSet,
            NDManager manager) {
        double[] out = new double[val.size()];
        for (int d = 0; d < val.size(); d++) {
            out[d] = predict(model, val.get(d), manager).accuracy(val.get(d));
        }
        Predictions test = predict(model, testSet, manager);
        return new CheckpointRecord(step, out, test.accuracy(testSet), test.classes(), test.confidence());
    }

    /** Arg-max classes and their softmax probabilities of {@code model} on every image of {@code set}, in order. */
    static Predictions predict(Block model, ImageSet set, NDManager manager) {
        int[] classes = new int[set.size()];
        float[] confidence = new float[set.size()];
        int i = 0;
        for (ImageBatch batch : set.batchesInOrder(manager, EVAL_BATCH)) {
            try (batch) {
                NDArray probabilities = Losses.forward(model, new NDList(batch.images()), false).singletonOrThrow()
                        .softmax(-1);
                long[] argMax = probabilities.argMax(-1).toLongArray();
                float[] max = probabilities.max(new int[] {-1}).toFloatArray();
                for (int k = 0; k < argMax.length; k++, i++) {
                    classes[i] = (int) argMax[k];
                    confidence[i] = max[k];
                }
            }
        }
        return new Predictions(classes, confidence);
    }

    /** Predicted classes and their probabilities. */
    record Predictions(int[] classes, float[] confidence) {
        double accuracy(ImageSet set) {
            int correct = 0;
            for (int i = 0; i < classes.length; i++) {
                correct += classes[i] == set.label(i) ? 1 : 0;
            }
            return (double) correct / classes.length;
        }
    }

    private static long parameterCount(Block model) {
        long n = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    private static ImageSet first(ImageSet set, int n) {
        if (set.size() <= n) {
            return set;
        }
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return set.subset(indices);
    }
}
