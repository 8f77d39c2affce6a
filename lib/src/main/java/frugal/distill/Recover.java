package frugal.distill;

import frugal.core.GradMode;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.StepRandom;
import frugal.core.ThreadGradients;
import frugal.data.ImageSet;
import frugal.data.Normalization;
import frugal.nn.BnStats;
import frugal.train.AdamW;
import frugal.train.Losses;
import frugal.train.ParamGroup;
import frugal.train.TrainableParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * SRe2L's recover phase, with CV-DD's committee and DELT's EarlyLate: synthetic images are the
 * parameters, optimised so a frozen teacher (eval mode: batch norm from running statistics) classifies
 * their augmentations as their class while the batch statistics its BN layers see match the running ones.
 *
 * <p>Images are IPC-major (see {@link RealImages}) and belong to groups: one group of all images for a
 * single teacher; for a committee, one group per pair of members, holding the IPC indices that pair
 * recovers. Each group is recovered in batches of {@link RecoverConfig#batchSize()} images, one batch
 * after the other, each batch's BN statistics matched as a whole. EarlyLate only lets an image into its
 * batch from its round on.
 */
public final class Recover {
    private Recover() {}

    /** A batch optimised together: its images and the members whose weighted losses it sums. */
    private record Group(int[] images, List<Teacher> voters, double[] weights) {}

    /** Images recovered from one teacher: SRe2L, SRe2L++ or DELT, as {@code config} says. */
    public static Synthesis images(Teacher teacher, ImageSet train, int ipc, RecoverConfig config, long seed,
            NDManager manager) {
        GradMode.offInThisThread(); // before the medium ranking's forwards
        Clock clock = Clock.start();
        return fromInitial(teacher, initial(teacher, train, ipc, config, seed, manager), config, seed, manager, clock);
    }

    /**
     * Images recovered from one teacher, starting from {@code init} (IPC-major, e.g. real images several
     * methods share so that they are compared from the same start).
     */
    public static Synthesis fromInitial(Teacher teacher, ImageSet init, RecoverConfig config, long seed,
            NDManager manager) {
        return fromInitial(teacher, init, config, seed, manager, Clock.start());
    }

    private static Synthesis fromInitial(Teacher teacher, ImageSet init, RecoverConfig config, long seed,
            NDManager manager, Clock clock) {
        GradMode.offInThisThread();
        int[] all = IntStream.range(0, init.size()).toArray();
        return optimise(init, List.of(new Group(all, List.of(teacher), new double[] {1})), ipcOf(init), config, seed,
                manager, clock);
    }

    /**
     * CV-DD: each IPC index recovered by the pair of members {@link Committee.PairRule#forIpc} picks,
     * weighted softmax(prior / 5) within the pair; real images ranked by the member with the best prior.
     */
    public static Synthesis images(Committee committee, ImageSet train, int ipc, RecoverConfig config, long seed,
            NDManager manager) {
        GradMode.offInThisThread(); // before the medium ranking's forwards
        Clock clock = Clock.start();
        return fromInitial(committee, initial(committee.best(), train, ipc, config, seed, manager), config, seed,
                manager, clock);
    }

    /** CV-DD starting from {@code init} (IPC-major). */
    public static Synthesis fromInitial(Committee committee, ImageSet init, RecoverConfig config, long seed,
            NDManager manager) {
        return fromInitial(committee, init, config, seed, manager, Clock.start());
    }

    private static Synthesis fromInitial(Committee committee, ImageSet init, RecoverConfig config, long seed,
            NDManager manager, Clock clock) {
        GradMode.offInThisThread();
        int ipc = ipcOf(init);
        int classes = init.numClasses();
        List<int[]> pairs = committee.pairs(ipc, Committee.PairRule.forIpc(ipc), seed);
        Map<List<Integer>, List<Integer>> imagesByPair = new LinkedHashMap<>();
        for (int k = 0; k < ipc; k++) {
            List<Integer> images = imagesByPair.computeIfAbsent(List.of(pairs.get(k)[0], pairs.get(k)[1]),
                    pair -> new ArrayList<>());
            for (int c = 0; c < classes; c++) {
                images.add(k * classes + c);
            }
        }
        List<Group> groups = new ArrayList<>();
        imagesByPair.forEach((pair, images) -> groups.add(new Group(
                images.stream().mapToInt(Integer::intValue).toArray(),
                List.of(committee.members().get(pair.get(0)).teacher(), committee.members().get(pair.get(1)).teacher()),
                committee.recoverWeights(pair.get(0), pair.get(1)))));
        return optimise(init, groups, ipc, config, seed, manager, clock);
    }

    /** Images per class of an IPC-major set with the same number of images in every class. */
    private static int ipcOf(ImageSet init) {
        int classes = init.numClasses();
        if (init.size() == 0 || init.size() % classes != 0) {
            throw new FrugalException("recover needs the same number of initial images in each of the " + classes
                    + " classes (IPC-major, see RealImages), got " + init.size() + " images");
        }
        return init.size() / classes;
    }

    private static ImageSet initial(Teacher ranker, ImageSet train, int ipc, RecoverConfig config, long seed,
            NDManager manager) {
        if (config.realInit()) {
            return RealImages.medium(ranker, train, ipc, config.poolPerClass(), seed, manager);
        }
        return noise(train, ipc, seed);
    }

    /** N(0, 1) in normalised space (SRe2L's init), stored like any image set (clamped to the pixel range). */
    static ImageSet noise(ImageSet like, int ipc, long seed) {
        int pixels = like.rows() * like.cols();
        int classes = like.numClasses();
        Random random = new Random(seed);
        float[] x = new float[ipc * classes * pixels];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return toImageSet("noise", x, RealImages.ipcMajorLabels(ipc, classes), like);
    }

    private static Synthesis optimise(ImageSet init, List<Group> groups, int ipc, RecoverConfig config, long seed,
            NDManager manager, Clock clock) {
        int n = init.size();
        int classes = init.numClasses();
        int[] roundStart = EarlyLate.startIterations(ipc, config.rounds(), config.iterations());
        int[] start = IntStream.range(0, n).map(k -> roundStart[k / classes]).toArray();
        float[] pixels;
        try (NDManager scope = manager.newSubManager()) {
            pixels = init.images(scope).toFloatArray();
        }
        double[] lossSum = new double[config.iterations()];
        int[] lossCount = new int[config.iterations()];
        long imageIterations = 0;
        int batchIndex = 0;
        for (Group g : groups) {
            for (int from = 0; from < g.images().length; from += config.batchSize()) {
                int[] batch = Arrays.copyOfRange(g.images(), from,
                        Math.min(g.images().length, from + config.batchSize()));
                imageIterations += optimiseBatch(batch, g, pixels, init, start, config,
                        StepRandom.mix(seed, batchIndex++), lossSum, lossCount, manager);
            }
        }
        double[] loss = IntStream.range(0, lossSum.length)
                .mapToDouble(t -> lossCount[t] == 0 ? Double.NaN : lossSum[t] / lossCount[t]).toArray();
        ImageSet result = toImageSet(config.method() + " IPC " + ipc, pixels, init.labels(), init);
        return new Synthesis(config.method(), ipc, result, init, clock.elapsed(), imageIterations,
                (long) n * config.iterations(), loss);
    }

    /**
     * Optimises the images {@code batch} (indices into the set) of group {@code g} for all iterations, each
     * from its EarlyLate start on; writes the result into {@code pixels} and adds each iteration's loss to
     * {@code lossSum} / {@code lossCount}. Returns the image-iterations spent.
     */
    private static long optimiseBatch(int[] batch, Group g, float[] pixels, ImageSet init, int[] start,
            RecoverConfig config, long seed, double[] lossSum, int[] lossCount, NDManager manager) {
        Engine engine = Engines.pytorch();
        int size = init.rows() * init.cols();
        Normalization norm = init.normalization();
        float lo = (float) ((0 - norm.mean()) / norm.std());
        float hi = (float) ((1 - norm.mean()) / norm.std());
        int[] labels = init.labels();
        long imageIterations = 0;
        try (NDManager run = manager.newSubManager()) {
            float[] initial = new float[batch.length * size];
            for (int i = 0; i < batch.length; i++) {
                System.arraycopy(pixels, batch[i] * size, initial, i * size, size);
            }
            NDArray x = run.create(initial, new Shape(batch.length, 1, init.rows(), init.cols()));
            x.setRequiresGradient(true);
            TrainableParams params = TrainableParams.of(Map.of("images", x), new ParamGroup("images", 1, 0));
            try (AdamW adam = new AdamW(params, new AdamW.Config(config.beta1(), config.beta2(), 1e-8))) {
                for (int t = 0; t < config.iterations(); t++) {
                    int step = t;
                    int[] active = IntStream.range(0, batch.length).filter(i -> start[batch[i]] <= step).toArray();
                    if (active.length == 0) {
                        continue; // EarlyLate: nothing of this batch is active yet
                    }
                    imageIterations += active.length;
                    try (NDManager scope = run.newSubManager()) {
                        NDArray total = null;
                        try (GradientCollector collector = ThreadGradients.collect()) {
                            NDArray augmented = config.augmentAt(t).apply(rows(x, active, scope),
                                    StepRandom.of(seed, t), scope);
                            NDArray y = scope.create(IntStream.of(active).mapToLong(i -> labels[batch[i]]).toArray());
                            for (int v = 0; v < g.voters().size(); v++) {
                                NDArray term = memberLoss(g.voters().get(v), augmented, y, config, scope);
                                if (g.weights()[v] != 1) {
                                    term = term.mul(scope.create((float) g.weights()[v]));
                                }
                                total = total == null ? term : total.add(term);
                            }
                            collector.backward(total);
                        }
                        double value = total.getFloat();
                        if (!Double.isFinite(value)) {
                            throw new FrugalException(config.method() + ": the recover loss became " + value
                                    + " at iteration " + t + "; lower RecoverConfig.lr (now " + config.lr() + ")");
                        }
                        lossSum[t] += value;
                        lossCount[t]++;
                        adam.step(params.gradients(scope), config.lrAt(t), 1.0);
                        clampInPlace(x, lo, hi, scope);
                    }
                }
            }
            float[] result = x.toFloatArray();
            for (int i = 0; i < batch.length; i++) {
                System.arraycopy(result, i * size, pixels, batch[i] * size, size);
            }
        }
        return imageIterations;
    }

    /** CE + rBn * BN matching of one teacher on one augmented batch. */
    private static NDArray memberLoss(Teacher teacher, NDArray batch, NDArray labels, RecoverConfig config,
            NDManager scope) {
        try (BnStats stats = BnStats.capture(teacher.model())) {
            NDArray logits = teacher.logits(batch);
            NDArray ce = Losses.softmaxCrossEntropy().loss(new NDList(logits), new NDList(labels));
            NDArray bn = BnMatching.loss(stats.entries(), config.firstBnMultiplier(), scope);
            return ce.add(bn.mul(scope.create((float) config.rBn())));
        }
    }

    /** Rows {@code active} of {@code x} as an array owned by {@code scope} (the gather stays differentiable). */
    private static NDArray rows(NDArray x, int[] active, NDManager scope) {
        if (active.length == x.getShape().get(0)) {
            return x;
        }
        NDArray picked = x.get(scope.create(IntStream.of(active).mapToLong(i -> i).toArray()));
        picked.attach(scope); // ops on x attach to x's manager, which lives for the whole run
        return picked;
    }

    /** x = clip(x, lo, hi) in place, temporaries on {@code scope}. */
    private static void clampInPlace(NDArray x, float lo, float hi, NDManager scope) {
        NDArray clipped = x.clip(lo, hi);
        clipped.attach(scope);
        NDArray excess = x.sub(clipped);
        excess.attach(scope);
        x.subi(excess);
    }

    /** Normalised pixels back to 8-bit images with {@code like}'s size, class names and normalisation. */
    static ImageSet toImageSet(String name, float[] normalised, int[] labels, ImageSet like) {
        Normalization norm = like.normalization();
        byte[] bytes = new byte[normalised.length];
        for (int i = 0; i < bytes.length; i++) {
            double v = normalised[i] * norm.std() + norm.mean();
            bytes[i] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
        }
        return ImageSet.of(name, like.rows(), like.cols(), bytes, labels, like.classNames(), norm);
    }
}
