package frugal.distill;

import ai.djl.ndarray.NDManager;
import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.claims.Verdict;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.core.OneThreadEach;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
import frugal.stats.Difference;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

/**
 * Notebook 04's experiment on Fashion-MNIST: squeeze a committee of teachers, recover distilled sets with
 * SRe2L, SRe2L++, CV-DD and DELT, evaluate fresh students against random real images, and judge the paper
 * card's claims. Every step is computed once, on first use, and kept; the notebook calls one step per cell.
 *
 * <p>Seeds: replicate s is the whole pipeline after squeeze with seed s (real pool, noise, recover draws,
 * random-real draw, student init, batch order and crops), the same s for every method, so two methods are
 * compared by the paired differences of their accuracies over seeds on the same test images. IPCs above
 * the budget's {@code perSeedSynthesisMaxIpc} are recovered once (seed 0); their students still vary.
 */
public final class DistillExperiment implements AutoCloseable {
    private static final long TEACHER_SEED = 0;
    /** Seed s draws its random real images with seed RANDOM_DRAW_SEED + s. */
    private static final long RANDOM_DRAW_SEED = 1000;
    /** The student architectures besides the main one see these methods' sets (C5 needs the first and last). */
    static final List<Method> CROSS_METHODS = List.of(Method.RANDOM_HARD, Method.RANDOM_SOFT, Method.CV_DD);
    /** Real training images per class that the embedding's PCA is fitted on. */
    private static final int EMBEDDING_REAL_PER_CLASS = 40;
    /** Real training images per class beside the distilled ones in a t-SNE map (t-SNE costs n^2 a step). */
    static final int TSNE_REAL_PER_CLASS = 30;

    /** Where the time went, per kind of work, with the work's size: the basis of the budget estimate. */
    enum Phase {
        SQUEEZE("squeeze", "teacher steps"),
        RECOVER_SINGLE_BATCH("recover, IPC 1", "member-iterations"),
        RECOVER("recover, batches of 100", "member-image-iterations"),
        STUDENT_TRAINING("student training", "student steps"),
        STUDENT_EVALUATION("student evaluation", "test images");

        final String label;
        final String unit;

        Phase(String label, String unit) {
            this.label = label;
            this.unit = unit;
        }
    }

    private final DistillBudget budget;
    private final ImageSet train;
    private final ImageSet test;
    private final TeacherCache cache;
    private final NDManager manager;
    private final Clock lifetime = Clock.start();
    /** Per phase: units, wall s, CPU s; a cached teacher adds its recorded training time (for the rate). */
    private final Map<Phase, double[]> work = new EnumMap<>(Phase.class);
    /** Wall seconds this run actually spent on teachers (0 for cached ones). */
    private double squeezeSpent;
    private List<Teacher> teachers;
    private Committee committee;
    private final Map<String, Synthesis> syntheses = new LinkedHashMap<>();
    /** Ranked real pools by recover seed. */
    private final Map<Integer, ImageSet> rankedPools = new LinkedHashMap<>();
    /** One student run per (training set, labels, architecture, student seed). */
    private final Map<String, Student.Result> students = new LinkedHashMap<>();

    private DistillExperiment(DistillBudget budget, ImageSet train, ImageSet test, TeacherCache cache) {
        this.budget = budget;
        this.train = train;
        this.test = test;
        this.cache = cache;
        this.manager = NDManager.newBaseManager(Engines.pytorch().defaultDevice());
        for (Phase p : Phase.values()) {
            work.put(p, new double[3]);
        }
    }

    /** The experiment at {@code budget} on Fashion-MNIST, teachers cached in {@link TeacherCache#defaultLocation()}. */
    public static DistillExperiment create(DistillBudget budget) {
        return create(budget, TeacherCache.defaultLocation());
    }

    public static DistillExperiment create(DistillBudget budget, TeacherCache cache) {
        Engines.pytorch();
        FashionMnist data = FashionMnist.load();
        ImageSet test = budget.testImages() >= data.test().size() ? data.test()
                : data.test().subsetPerClass(budget.testImages() / data.test().numClasses(), 0);
        return new DistillExperiment(budget, data.train(), test, cache);
    }

    public DistillBudget budget() {
        return budget;
    }

    /** The real test images the students are measured on. */
    public ImageSet testSet() {
        return test;
    }

    // ----------------------------------------------------------------------------------------- squeeze

    /** The trained teachers, in budget order (the first is the main teacher); trained or loaded on first call. */
    public List<Teacher> teachers() {
        if (teachers == null) {
            List<Teacher> list = new ArrayList<>();
            for (Architecture a : budget.teachers()) {
                Teacher t = Squeeze.teacher(a, train, test, Squeeze.Config.of(budget.teacherSteps(), TEACHER_SEED),
                        cache, manager);
                // a cached teacher's recorded training time stands for the time it would take now
                add(Phase.SQUEEZE, budget.teacherSteps(), new Clock.Elapsed(t.trainSeconds(), Double.NaN));
                squeezeSpent += t.fromCache() ? 0 : t.trainSeconds();
                say("%s: test accuracy %.2f%% (%s)", t.name(), 100 * t.testAccuracy(),
                        t.fromCache() ? "from the cache" : String.format(Locale.ROOT, "trained in %.0f s", t.trainSeconds()));
                list.add(t);
            }
            teachers = List.copyOf(list);
        }
        return teachers;
    }

    public Teacher mainTeacher() {
        return teachers().get(0);
    }

    public Html teacherTable() {
        List<List<?>> rows = new ArrayList<>();
        for (Teacher t : teachers()) {
            rows.add(List.of(t.name(), t.parameterCount(), 100 * t.testAccuracy(), t.trainSeconds(),
                    t.fromCache() ? "yes" : "no"));
        }
        return Plots.table(List.of("teacher", "parameters", "test accuracy (%)", "training (s)", "from cache"), rows);
    }

    // ----------------------------------------------------------------------------------------- committee

    /**
     * CV-DD's committee of all teachers, each member's prior the accuracy (%) that its own SRe2L++ data at
     * IPC {@code priorIpc} reaches (main student, soft labels from that member): recovered with seed 0 and
     * averaged over the first {@code priorSeeds} student seeds, so the committee is fixed before the
     * compared runs and the same for every seed.
     */
    public Committee committee() {
        if (committee == null) {
            List<Committee.Member> members = new ArrayList<>();
            for (int i = 0; i < teachers().size(); i++) {
                members.add(new Committee.Member(teachers().get(i),
                        100 * mean(memberResults(i, budget.priorIpc(), budget.priorSeeds()))));
            }
            committee = new Committee(members);
        }
        return committee;
    }

    /** The index of the member whose own SRe2L++ data scored best: the "best single teacher" of CV-DD. */
    int bestMember() {
        List<Committee.Member> m = committee().members();
        return IntStream.range(0, m.size()).boxed().max(Comparator.comparingDouble(i -> m.get(i).prior()))
                .orElseThrow();
    }

    /**
     * Students of SRe2L++ data recovered from member {@code i} alone and labelled by it, seeds 0 .. seeds-1
     * (member 0, the main teacher, is the SRe2L++ row of the accuracy table).
     */
    List<Student.Result> memberResults(int i, int ipc, int seeds) {
        if (i == 0) {
            return IntStream.range(0, seeds).mapToObj(s -> run(Method.SRE2L_PP, ipc, budget.mainTeacher(), s)).toList();
        }
        Teacher member = teachers().get(i);
        List<Student.Result> runs = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            int s = budget.synthesisSeed(ipc, seed);
            Synthesis set = memo("member " + i + " IPC " + ipc + " seed " + s, () -> recover(() -> Recover.fromInitial(
                    member, realInit(ipc, s), RecoverConfig.sre2lPlusPlus(budget.recoverIterations(),
                            budget.poolPerClass()).withMethod("SRe2L++ (" + member.name() + ")"), s, manager),
                    ipc, 1, 0));
            runs.add(student("member " + i + " IPC " + ipc + " seed " + s, set::images, "member " + i + ", batch",
                    Labeler.of(member, true), budget.mainTeacher(), seed));
        }
        return runs;
    }

    public Html committeeTable() {
        Committee c = committee();
        double[] labelWeights = c.labelWeights();
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < c.members().size(); i++) {
            Committee.Member m = c.members().get(i);
            rows.add(List.of(m.teacher().name(), 100 * m.teacher().testAccuracy(), m.prior(), labelWeights[i]));
        }
        Html members = Plots.table(List.of("member", "teacher accuracy (%)", "prior: own SRe2L++ data, IPC "
                + budget.priorIpc() + " (%)", "label weight softmax(prior/10)"), rows);
        List<List<?>> pairRows = new ArrayList<>();
        for (int[] pair : c.allPairs()) {
            double[] w = c.recoverWeights(pair);
            pairRows.add(List.of(c.members().get(pair[0]).teacher().name() + " + "
                    + c.members().get(pair[1]).teacher().name(), w[0], w[1]));
        }
        Html pairs = Plots.table(List.of("recover pair", "weight of first softmax(prior/5)", "weight of second"),
                pairRows);
        return new Html(members.html() + "\n" + pairs.html(), members.text() + "\n\n" + pairs.text());
    }

    // ----------------------------------------------------------------------------------------- recover

    /** The distilled set of a synthetic {@code method} at {@code ipc} of seed 0; recovered on first call. */
    public Synthesis synthesis(Method method, int ipc) {
        return synthesis(method, ipc, 0);
    }

    /**
     * The distilled set of a synthetic {@code method} at {@code ipc} for replicate {@code seed} (its own
     * recover seed up to {@code perSeedSynthesisMaxIpc}, else seed 0's set). SRe2L++, DELT and CV-DD of one
     * seed start from the same real images, ranked by the main teacher; SRe2L from that seed's noise.
     */
    public Synthesis synthesis(Method method, int ipc, int seed) {
        if (!method.synthetic()) {
            throw new FrugalException(method.label() + " uses real images; call images(method, ipc, seed)");
        }
        int k = budget.recoverIterations();
        int pool = budget.poolPerClass();
        int s = budget.synthesisSeed(ipc, seed);
        return memo(setKey(method, ipc, seed), () -> switch (method) {
            case SRE2L -> recover(() -> Recover.fromInitial(mainTeacher(), Recover.noise(train, ipc, s),
                    RecoverConfig.sre2l(k), s, manager), ipc, 1, 0);
            case SRE2L_PP -> recover(() -> Recover.fromInitial(mainTeacher(), realInit(ipc, s),
                    RecoverConfig.sre2lPlusPlus(k, pool), s, manager), ipc, 1, 0);
            case DELT -> recover(() -> Recover.fromInitial(mainTeacher(), realInit(ipc, s),
                    RecoverConfig.delt(k, budget.deltRounds(), pool), s, manager), ipc, 1,
                    EarlyLate.saving(ipc, budget.deltRounds(), k));
            case CV_DD -> recover(() -> Recover.fromInitial(committee(), realInit(ipc, s), RecoverConfig.cvdd(k, pool),
                    s, manager), ipc, 2, 0);
            default -> throw new IllegalStateException(method.toString());
        });
    }

    /**
     * The "medium" real images of recover seed {@code s} at {@code ipc}: one pool per seed ranked once by the
     * main teacher, at the largest IPC that seed needs; a smaller IPC takes the first images per class
     * (the medium order is the same, so this equals ranking again).
     */
    private ImageSet realInit(int ipc, int s) {
        ImageSet ranked = rankedPools.computeIfAbsent(s, seed -> {
            int largest = budget.ipcs().stream().filter(i -> budget.synthesisSeed(i, seed) == seed)
                    .mapToInt(Integer::intValue).max().orElseThrow();
            return RealImages.medium(mainTeacher(), train, largest, budget.poolPerClass(), seed, manager);
        });
        return ranked.subset(IntStream.range(0, ipc * train.numClasses()).toArray());
    }

    /** The training images of {@code method} at {@code ipc} for {@code seed}: synthetic, or a random real draw. */
    public ImageSet images(Method method, int ipc, int seed) {
        return method.synthetic() ? synthesis(method, ipc, seed).images()
                : RealImages.random(train, ipc, RANDOM_DRAW_SEED + seed);
    }

    /** What identifies a method's training set: its recover seed, or the random draw. */
    private String setKey(Method method, int ipc, int seed) {
        return method.synthetic() ? method + " IPC " + ipc + " seed " + budget.synthesisSeed(ipc, seed)
                : "random IPC " + ipc + " draw " + seed;
    }

    /** Recovers every synthetic method at every IPC and seed of the budget (committee priors first). */
    public void synthesizeAll() {
        committee();
        for (int seed = 0; seed < budget.maxSeeds(); seed++) {
            for (int ipc : budget.ipcs()) {
                if (seed >= budget.seedsAt(ipc)) {
                    continue;
                }
                for (Method m : Method.values()) {
                    if (m.synthetic()) {
                        synthesis(m, ipc, seed);
                    }
                }
            }
        }
    }

    private Synthesis recover(Supplier<Synthesis> run, int ipc, int members, double saving) {
        Synthesis s = run.get();
        int classes = train.numClasses();
        if (ipc == 1) {
            add(Phase.RECOVER_SINGLE_BATCH, (double) budget.recoverIterations() * members, s.time());
        } else {
            add(Phase.RECOVER, (double) classes * ipc * budget.recoverIterations() * (1 - saving) * members, s.time());
        }
        say("%s IPC %d: recovered in %.1f s (final loss %.3g)", s.method(), ipc, s.time().wallSeconds(),
                lastFinite(s.loss()));
        return s;
    }

    /** Up to three IPC rows of a method's images, one column per class. */
    public BufferedImage grid(Method method, int ipc) {
        return grid(images(method, ipc, 0), ipc);
    }

    /** The real images SRe2L++, DELT or CV-DD started from (or SRe2L's noise). */
    public BufferedImage initialGrid(Method method, int ipc) {
        return grid(synthesis(method, ipc).initial(), ipc);
    }

    private static BufferedImage grid(ImageSet set, int ipc) {
        int rows = Math.min(ipc, 3);
        int cols = set.numClasses();
        float[][] images = new float[rows * cols][];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            int[] p = set.pixels(i);
            images[i] = new float[p.length];
            for (int j = 0; j < p.length; j++) {
                images[i][j] = p[j] / 255f;
            }
            labels.add(i < cols ? shortName(set.classNames().get(i)) : "");
        }
        return Plots.imageGrid(images, 1, set.rows(), set.cols(), rows, cols, labels);
    }

    private static String shortName(String className) {
        return className.length() <= 10 ? className : className.substring(0, 10);
    }

    /** Recover loss per iteration of each synthetic method at {@code ipc}. */
    public XYChart recoverLossChart(int ipc) {
        List<Series> series = new ArrayList<>();
        for (Method m : Method.values()) {
            if (m.synthetic()) {
                series.add(Series.of(m.label(), synthesis(m, ipc).loss()));
            }
        }
        return Plots.lines("Recover loss, IPC " + ipc + " (CE + r_bn BN matching, mean over batches)", "iteration",
                "loss", Scale.LINEAR, Scale.LOG, series.toArray(Series[]::new));
    }

    /** DELT's activation schedule and image-iterations against flat optimisation, per IPC. */
    public Html earlyLateTable() {
        int k = budget.recoverIterations();
        int rounds = budget.deltRounds();
        List<List<?>> rows = new ArrayList<>();
        for (int ipc : budget.ipcs()) {
            int[] start = EarlyLate.startIterations(ipc, rounds, k);
            rows.add(List.of(ipc, Arrays.toString(EarlyLate.perRound(ipc, rounds)), (long) ipc * k,
                    EarlyLate.imageIterations(start, k), 100 * EarlyLate.saving(ipc, rounds, k)));
        }
        return Plots.table(List.of("IPC", "images activated per round", "image-iterations per class, flat",
                "EarlyLate", "saved (%)"), rows);
    }

    // ----------------------------------------------------------------------------------------- students

    /**
     * Trains every student of the accuracy table and the cross-architecture evaluation not trained yet, two at
     * a time with one PyTorch thread each ({@link OneThreadEach}: a student keeps 1.3 of 2 cores busy on its
     * own). Every set is recovered first, on this thread; the students only read the sets and the teachers.
     */
    public void evaluateAll() {
        committee();
        synthesizeAll();
        List<StudentRun> pending = new ArrayList<>();
        for (int seed = 0; seed < budget.maxSeeds(); seed++) {
            for (int ipc : budget.ipcs()) {
                if (seed < budget.seedsAt(ipc)) {
                    for (Method m : Method.values()) {
                        pending.add(studentRun(m, ipc, budget.mainTeacher(), seed));
                    }
                }
            }
            if (seed < budget.seeds()) {
                for (Method m : CROSS_METHODS) {
                    pending.add(studentRun(m, budget.crossIpc(), budget.crossStudent(), seed));
                }
            }
        }
        Map<String, StudentRun> todo = new LinkedHashMap<>();
        pending.stream().filter(r -> !students.containsKey(r.key())).forEach(r -> todo.putIfAbsent(r.key(), r));
        trainSideBySide(List.copyOf(todo.values()));
    }

    /** Replicates of {@code method} at {@code ipc} on {@code architecture}: seedsAt(ipc) on the main student. */
    private int seedsOf(int ipc, Architecture architecture) {
        return architecture.equals(budget.mainTeacher()) ? budget.seedsAt(ipc) : budget.seeds();
    }

    /** Student results of {@code method} at {@code ipc} with student {@code architecture}, one per seed. */
    public List<Student.Result> results(Method method, int ipc, Architecture architecture) {
        return IntStream.range(0, seedsOf(ipc, architecture)).mapToObj(seed -> run(method, ipc, architecture, seed))
                .toList();
    }

    /** Test accuracies (fractions) of {@link #results}, in seed order: one side of a paired comparison. */
    public double[] accuracies(Method method, int ipc, Architecture architecture) {
        return results(method, ipc, architecture).stream().mapToDouble(Student.Result::testAccuracy).toArray();
    }

    /** The student of {@code method} at {@code ipc}, replicate {@code seed}. */
    private Student.Result run(Method method, int ipc, Architecture architecture, int seed) {
        return student(setKey(method, ipc, seed), () -> images(method, ipc, seed), labels(method), labeler(method),
                architecture, seed);
    }

    private static String labels(Method method) {
        return switch (method) {
            case RANDOM_HARD -> "hard";
            case SRE2L -> "member 0, eval";
            case CV_DD -> "committee, batch";
            default -> "member 0, batch";
        };
    }

    /** One student to train: everything it reads is resolved here, on the calling thread. */
    private record StudentRun(String setKey, ImageSet images, String labels, Labeler labeler,
            Architecture architecture, int seed) {
        String key() {
            return studentKey(setKey, labels, architecture, seed);
        }
    }

    private StudentRun studentRun(Method method, int ipc, Architecture architecture, int seed) {
        return new StudentRun(setKey(method, ipc, seed), images(method, ipc, seed), labels(method), labeler(method),
                architecture, seed);
    }

    private static String studentKey(String setKey, String labels, Architecture architecture, int seed) {
        return setKey + " | " + labels + " | " + architecture.name() + " | student " + seed;
    }

    private StudentConfig studentConfig(Architecture architecture) {
        return StudentConfig.of(architecture, budget.studentSteps()).withBatchSize(budget.studentBatch());
    }

    private Student.Result train(StudentRun r) {
        Student.Result result = Student.train(r.images(), r.labeler(), studentConfig(r.architecture()), test, r.seed(),
                manager);
        say("%s (%s labels), student %s seed %d: %.2f%%", r.setKey(), r.labels(), r.architecture().name(), r.seed(),
                100 * result.testAccuracy());
        return result;
    }

    /**
     * Trains {@code runs} side by side. The students' own clocks overlap, so the phases are charged with this
     * call's wall and CPU time, split between training and evaluation in the ratio of the students' own times.
     */
    private void trainSideBySide(List<StudentRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        Clock clock = Clock.start();
        List<Student.Result> results = OneThreadEach.run(runs.stream()
                .map(r -> (Callable<Student.Result>) () -> train(r)).toList());
        Clock.Elapsed spent = clock.elapsed();
        double trainWall = results.stream().mapToDouble(r -> r.trainTime().wallSeconds()).sum();
        double evalWall = results.stream().mapToDouble(r -> r.evalTime().wallSeconds()).sum();
        double f = trainWall / (trainWall + evalWall);
        add(Phase.STUDENT_TRAINING, (double) runs.size() * budget.studentSteps(),
                new Clock.Elapsed(f * spent.wallSeconds(), f * spent.cpuSeconds()));
        add(Phase.STUDENT_EVALUATION, (double) runs.size() * test.size(),
                new Clock.Elapsed((1 - f) * spent.wallSeconds(), (1 - f) * spent.cpuSeconds()));
        for (int i = 0; i < runs.size(); i++) {
            students.put(runs.get(i).key(), results.get(i));
        }
    }

    /** The labels each method trains with: hard, the main teacher's (eval-mode or batch-specific) or the committee's. */
    private Labeler labeler(Method method) {
        return switch (method) {
            case RANDOM_HARD -> null;
            case SRE2L -> Labeler.of(mainTeacher(), false);
            case CV_DD -> committee().labeler(true);
            default -> Labeler.of(mainTeacher(), true);
        };
    }

    /**
     * One student, trained once per (training set, labels, architecture, seed): the prior of member 0 and
     * the SRe2L++ row share their runs.
     */
    private Student.Result student(String setKey, Supplier<ImageSet> images, String labels, Labeler labeler,
            Architecture architecture, int seed) {
        String key = studentKey(setKey, labels, architecture, seed);
        Student.Result r = students.get(key);
        if (r == null) {
            r = train(new StudentRun(setKey, images.get(), labels, labeler, architecture, seed));
            add(Phase.STUDENT_TRAINING, budget.studentSteps(), r.trainTime());
            add(Phase.STUDENT_EVALUATION, test.size(), r.evalTime());
            students.put(key, r);
        }
        return r;
    }

    /** Test accuracy (%) of every method and IPC on the main student: mean +- standard error over seeds. */
    public Html accuracyTable() {
        List<String> headers = new ArrayList<>(List.of("method"));
        budget.ipcs().forEach(ipc -> headers.add("IPC " + ipc));
        List<List<?>> rows = new ArrayList<>();
        for (Method m : Method.values()) {
            List<Object> row = new ArrayList<>(List.of(m.label()));
            for (int ipc : budget.ipcs()) {
                row.add(meanSe(results(m, ipc, budget.mainTeacher())));
            }
            rows.add(row);
        }
        List<Object> full = new ArrayList<>(List.of("teacher on all 60,000 images"));
        budget.ipcs().forEach(ipc -> full.add(String.format(Locale.ROOT, "%.2f", 100 * mainTeacher().testAccuracy())));
        rows.add(full);
        return Plots.table(headers, rows);
    }

    /** The accuracy table as grouped bars with standard-error whiskers. */
    public CategoryChart accuracyChart() {
        List<String> categories = budget.ipcs().stream().map(ipc -> "IPC " + ipc).toList();
        List<Bars> bars = new ArrayList<>();
        for (Method m : Method.values()) {
            double[] mean = new double[categories.size()];
            double[] se = new double[categories.size()];
            for (int i = 0; i < categories.size(); i++) {
                List<Student.Result> r = results(m, budget.ipcs().get(i), budget.mainTeacher());
                mean[i] = 100 * mean(r);
                se[i] = r.size() > 1 ? 100 * standardError(r) : 0;
            }
            bars.add(new Bars(m.label(), mean, se));
        }
        return Plots.bars("Student (" + budget.mainTeacher().name() + ") on the real test set", "images per class",
                "test accuracy (%)", categories, bars.toArray(Bars[]::new));
    }

    /** Synthesis cost, EarlyLate saving and diversity of every set at every IPC. */
    public Html efficiencyTable() {
        List<List<?>> rows = new ArrayList<>();
        for (int ipc : budget.ipcs()) {
            for (Method m : Method.values()) {
                if (m == Method.RANDOM_SOFT) {
                    continue; // the same images as RANDOM_HARD
                }
                ImageSet set = images(m, ipc, 0);
                double diversity = Diversity.meanPairwiseCosineDistance(mainTeacher(), set, manager);
                if (m.synthetic()) {
                    Synthesis s = synthesis(m, ipc);
                    rows.add(List.of(m.label(), ipc, s.time().wallSeconds(), s.time().cpuSeconds(),
                            s.imageIterations(), 100 * s.savedFraction(), diversity));
                } else {
                    rows.add(List.of("random real", ipc, 0.0, 0.0, 0L, 0.0, diversity));
                }
            }
        }
        return Plots.table(List.of("method", "IPC", "synthesis wall (s)", "synthesis CPU (s)", "image-iterations",
                "saved vs flat (%)", "diversity (mean pairwise cosine distance)"), rows);
    }

    /** Main-student and cross-architecture accuracy (%) at the cross IPC. */
    public Html crossArchitectureTable() {
        int ipc = budget.crossIpc();
        List<List<?>> rows = new ArrayList<>();
        for (Method m : CROSS_METHODS) {
            rows.add(List.of(m.label(), meanSe(results(m, ipc, budget.mainTeacher())),
                    meanSe(results(m, ipc, budget.crossStudent()))));
        }
        return Plots.table(List.of("method, IPC " + ipc, budget.mainTeacher().name() + " (teacher architecture)",
                budget.crossStudent().name() + " (no teacher)"), rows);
    }

    /** Real and distilled images of {@code method} at {@code ipc} in the main teacher's feature space (PCA). */
    public XYChart embedding(Method method, int ipc) {
        ImageSet real = train.subsetPerClass(EMBEDDING_REAL_PER_CLASS, 7);
        double[][] realFeatures = Diversity.features(mainTeacher(), real, manager);
        Embedding pca = Embedding.pca(realFeatures);
        ImageSet set = images(method, ipc, 0);
        double[][] distilled = pca.project(Diversity.features(mainTeacher(), set, manager));
        return Embedding.chart(method.label() + " IPC " + ipc + " (diamonds) among real images (dots)",
                pca.project(realFeatures), real.labels(), distilled, set.labels(), train.classNames());
    }

    /**
     * The same features mapped by t-SNE: {@link #TSNE_REAL_PER_CLASS} real images per class and the
     * distilled set embedded together (t-SNE cannot project new points), perplexity 30, 1000 iterations.
     */
    public XYChart tsne(Method method, int ipc) {
        ImageSet real = train.subsetPerClass(TSNE_REAL_PER_CLASS, 7);
        ImageSet set = images(method, ipc, 0);
        double[][] realFeatures = Diversity.features(mainTeacher(), real, manager);
        double[][] setFeatures = Diversity.features(mainTeacher(), set, manager);
        double[][] all = Stream.concat(Arrays.stream(realFeatures), Arrays.stream(setFeatures))
                .toArray(double[][]::new);
        double[][] map = Embedding.tsne(all, 30, 1000, 7);
        return Embedding.chart(method.label() + " IPC " + ipc + ", t-SNE (diamonds: distilled, dots: real)",
                "t-SNE 1", "t-SNE 2", Arrays.copyOfRange(map, 0, real.size()), real.labels(),
                Arrays.copyOfRange(map, real.size(), map.length), set.labels(), train.classNames());
    }

    // ----------------------------------------------------------------------------------------- export

    /** Saves a method's set as PNGs + labels under {@code build/distilled/<budget>/<method>-ipc<k>}. */
    public Path export(Method method, int ipc) {
        String folder = method.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+]+", "-").replace("+", "p")
                + "-ipc" + ipc;
        return DistilledSets.save(images(method, ipc, 0), TeacherCache.buildDir().resolve("distilled")
                .resolve(budget.name()).resolve(folder));
    }

    // ----------------------------------------------------------------------------------------- claims

    /**
     * One "A beats B" comparison behind a claim: A's and B's accuracies on the same seeds and test images,
     * and the margin the paired difference A - B must clear.
     *
     * @param claim the claim's id
     * @param ipc the images per class compared
     * @param label e.g. "IPC 10: DELT - random (soft)"
     * @param a A's accuracies (fractions), in seed order
     * @param b B's accuracies, the same seeds
     * @param margin the bar of A - B (fraction; -0.005 = "at most 0.5 pp worse")
     * @param oneSynthesis the sets were recovered once (IPC above perSeedSynthesisMaxIpc): the interval
     *     covers student (and random-draw) noise, not recover's
     */
    record Comparison(String claim, int ipc, String label, double[] a, double[] b, double margin, boolean oneSynthesis) {
        Difference difference() {
            return Difference.paired(a, b, margin);
        }

        Verdict verdict() {
            return Claim.above(difference(), margin);
        }

        String describe() {
            return label + (oneSynthesis ? " (one synthesis)" : "") + ": " + difference().describe(100, " pp")
                    + difference().seedsPlan(margin);
        }
    }

    /** Every comparison the claims judge, in claim order. */
    List<Comparison> comparisons() {
        Architecture main = budget.mainTeacher();
        List<Comparison> list = new ArrayList<>();
        for (int ipc : largeIpcs()) {
            list.add(compare("C1", Method.DELT, Method.RANDOM_SOFT, ipc, main, 0));
        }
        for (int ipc : budget.ipcs()) {
            list.add(compare("C2", Method.SRE2L_PP, Method.SRE2L, ipc, main, 0));
        }
        int p = budget.priorIpc();
        int best = bestMember();
        list.add(new Comparison("C3", p, "IPC " + p + ": CV-DD - SRe2L++ of the best member (" + teachers().get(best).name()
                + ")", accuracies(Method.CV_DD, p, main), memberResults(best, p, budget.seedsAt(p)).stream()
                .mapToDouble(Student.Result::testAccuracy).toArray(), 0, p > budget.perSeedSynthesisMaxIpc()));
        for (int ipc : largeIpcs()) {
            list.add(compare("C4", Method.DELT, Method.SRE2L_PP, ipc, main, C4_TOLERANCE));
        }
        list.add(compare("C5", Method.CV_DD, Method.RANDOM_HARD, budget.crossIpc(), budget.crossStudent(), 0));
        return list;
    }

    private Comparison compare(String claim, Method a, Method b, int ipc, Architecture student, double margin) {
        String who = student.equals(budget.mainTeacher()) ? "" : ", " + student.name();
        return new Comparison(claim, ipc, "IPC " + ipc + who + ": " + a.label() + " - " + b.label(),
                accuracies(a, ipc, student), accuracies(b, ipc, student), margin,
                ipc > budget.perSeedSynthesisMaxIpc() && (a.synthetic() || b.synthetic()));
    }

    private List<Integer> largeIpcs() {
        return budget.ipcs().stream().filter(i -> i >= 10).toList();
    }

    /** Per comparison: the per-seed differences, their mean, t interval and p-value, and its verdict. */
    public Html pairedTable() {
        boolean judged = judged();
        List<List<?>> rows = new ArrayList<>();
        for (Comparison c : comparisons()) {
            Difference d = c.difference();
            double[] each = IntStream.range(0, c.a().length).mapToDouble(i -> 100 * (c.a()[i] - c.b()[i])).toArray();
            rows.add(List.of(c.claim(), c.label() + (c.oneSynthesis() ? " (one synthesis)" : ""),
                    Arrays.stream(each).mapToObj(v -> String.format(Locale.ROOT, "%+.2f", v)).toList().toString(),
                    100 * d.mean(), 100 * d.lo(), 100 * d.hi(), d.pValue(),
                    String.format(Locale.ROOT, "%+.1f", 100 * c.margin()),
                    judged ? c.verdict().label() : Verdict.NOT_JUDGED.label()));
        }
        return Plots.table(List.of("claim", "A - B", "per seed (pp)", "mean (pp)", "95% CI low", "95% CI high",
                "p (paired t vs margin)", "margin (pp)", "verdict"), rows);
    }

    /**
     * The paired differences as bars with their 95% t-interval half-widths as whiskers, one per claim part
     * (what A and B are: {@link #pairedTable}).
     */
    public CategoryChart pairedChart() {
        List<Comparison> all = comparisons();
        List<String> categories = all.stream().map(c -> c.claim() + ", IPC " + c.ipc()).toList();
        double[] mean = all.stream().mapToDouble(c -> 100 * c.difference().mean()).toArray();
        double[] half = all.stream().mapToDouble(c -> c.difference().hasInterval()
                ? 100 * (c.difference().hi() - c.difference().mean()) : 0).toArray();
        CategoryChart chart = Plots.bars("Paired differences A - B over " + seedsText() + " (95% t interval)",
                "comparison", "accuracy difference (pp)", categories, new Bars("A - B", mean, half));
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        return chart;
    }

    /** Every method's accuracy at {@code ipc}, one line per method over the seeds: how much the seeds share. */
    public XYChart seedChart(int ipc) {
        List<Series> series = new ArrayList<>();
        for (Method m : Method.values()) {
            double[] acc = Arrays.stream(accuracies(m, ipc, budget.mainTeacher())).map(v -> 100 * v).toArray();
            series.add(Series.of(m.label(), acc));
        }
        return Plots.lines("Accuracy per seed, IPC " + ipc + " (seed s: the same real pool, student init, crops)",
                "seed", "test accuracy (%)", series.toArray(Series[]::new));
    }

    /** "5 paired seeds", or "5 paired seeds, 10 at IPC 10". */
    private String seedsText() {
        return budget.seeds() + " paired seeds" + (budget.focusSeeds() > budget.seeds()
                ? ", " + budget.focusSeeds() + " at IPC " + budget.priorIpc() : "");
    }

    private boolean judged() {
        return budget.name().equals("full");
    }

    /** The paper card's claims C1-C5, each judged by paired t intervals over seeds, in the full budget only. */
    public ClaimsTable claims() {
        boolean judged = judged();
        List<Comparison> all = comparisons();
        ClaimsTable table = new ClaimsTable("Dataset distillation on Fashion-MNIST (" + budget.name() + " budget, "
                + seedsText() + ")");
        table.add(Claim.judged("C1", "Soft-labelled distilled data (DELT, chosen before the run) beats random real"
                + " images of the same IPC under the same soft-label student protocol, IPC " + largeIpcs(),
                describe(all, "C1"), "interval above +0 pp at every IPC >= 10", Verdict.all(verdicts(all, "C1")),
                judged));
        table.add(Claim.judged("C2", "SRe2L++ (real init, crops, batch-specific soft labels) beats noise-init SRe2L,"
                + " IPC " + budget.ipcs(), describe(all, "C2"), "interval above +0 pp at every IPC",
                Verdict.all(verdicts(all, "C2")), judged));
        table.add(Claim.judged("C3", "A committee of " + committee().members().size() + " architectures (CV-DD) beats"
                + " the best single-teacher SRe2L++ at IPC " + budget.priorIpc(), describe(all, "C3"),
                "interval above +0 pp", Verdict.all(verdicts(all, "C3")), judged));

        List<Verdict> c4 = new ArrayList<>(verdicts(all, "C4"));
        StringBuilder measured = new StringBuilder(describe(all, "C4"));
        for (int ipc : largeIpcs()) {
            double saving = synthesis(Method.DELT, ipc).savedFraction();
            double[] dDelt = diversities(Method.DELT, ipc);
            double[] dFlat = diversities(Method.SRE2L_PP, ipc);
            long moreDiverse = IntStream.range(0, dDelt.length).filter(i -> dDelt[i] > dFlat[i]).count();
            c4.add(saving > 0 ? Verdict.PASS : Verdict.FAIL);
            c4.add(dDelt.length > 1 ? Claim.above(Difference.paired(dDelt, dFlat), 0)
                    : dDelt[0] > dFlat[0] ? Verdict.PASS : Verdict.FAIL);
            measured.append(String.format(Locale.ROOT, "; IPC %d: %.0f%% fewer image-iterations, diversity %.3f vs %.3f"
                    + " (DELT higher in %d of %d sets)", ipc, 100 * saving, mean(dDelt), mean(dFlat), moreDiverse,
                    dDelt.length));
        }
        table.add(Claim.judged("C4", "DELT's EarlyLate matches or beats flat optimisation (SRe2L++) with fewer"
                + " image-iterations and more diverse images", measured.toString(),
                "accuracy interval above " + String.format(Locale.ROOT, "%+.1f", 100 * C4_TOLERANCE) + " pp, saving > 0"
                        + " and diversity higher (paired interval above 0 where recovered per seed) at every IPC >= 10",
                Verdict.all(c4), judged));
        table.add(Claim.judged("C5", "CV-DD data (IPC " + budget.crossIpc() + ") also trains "
                + budget.crossStudent().name() + ", which was not a teacher, beyond random real images with hard labels",
                describe(all, "C5"), "interval above +0 pp", Verdict.all(verdicts(all, "C5")), judged));
        return table;
    }

    /** DELT's "matches": its accuracy may be at most this much below flat SRe2L++'s (0.5 pp). */
    static final double C4_TOLERANCE = -0.005;

    private static String describe(List<Comparison> all, String claim) {
        return String.join("; ", all.stream().filter(c -> c.claim().equals(claim)).map(Comparison::describe).toList());
    }

    private static List<Verdict> verdicts(List<Comparison> all, String claim) {
        return all.stream().filter(c -> c.claim().equals(claim)).map(Comparison::verdict).toList();
    }

    /** Diversity of {@code method}'s set at {@code ipc} for each distinct recover seed. */
    private double[] diversities(Method method, int ipc) {
        return IntStream.range(0, budget.seedsAt(ipc)).filter(seed -> budget.synthesisSeed(ipc, seed) == seed)
                .mapToDouble(seed -> Diversity.meanPairwiseCosineDistance(mainTeacher(), images(method, ipc, seed),
                        manager)).toArray();
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    // ----------------------------------------------------------------------------------------- time

    /**
     * Where this run's time went, per kind of work, and the time {@code target} would take at the same
     * speed per unit of work (each phase scaled by the ratio of its work), teachers trained rather than
     * cached. Cached teachers count with the training time recorded when they were trained.
     */
    public Html timeEstimate(DistillBudget target) {
        Map<Phase, Double> planned = plannedWork(target);
        List<List<?>> rows = new ArrayList<>();
        double measuredTotal = 0;
        double estimateTotal = 0;
        double cpuEstimateTotal = 0;
        for (Phase p : Phase.values()) {
            double[] w = work.get(p);
            double estimate = w[0] > 0 ? planned.get(p) * w[1] / w[0] : Double.NaN;
            // a cached teacher has no CPU time on record: its phase gets no CPU estimate
            double cpuEstimate = w[0] > 0 && w[2] > 0 ? planned.get(p) * w[2] / w[0] : Double.NaN;
            double spent = p == Phase.SQUEEZE ? squeezeSpent : w[1];
            measuredTotal += spent;
            estimateTotal += estimate;
            cpuEstimateTotal += Double.isNaN(cpuEstimate) ? 0 : cpuEstimate;
            rows.add(List.of(p == Phase.SQUEEZE && squeezeSpent < w[1] ? p.label + " (cached: recorded time)" : p.label,
                    p.unit, w[0], w[1], w[2], planned.get(p), estimate, cpuEstimate));
        }
        Clock.Elapsed all = lifetime.elapsed();
        double other = all.wallSeconds() - measuredTotal;
        rows.add(List.of("other (data, ranking outside recover, charts)", "-", 0.0, other, Double.NaN, 0.0, other,
                Double.NaN));
        rows.add(List.of("total", "-", 0.0, measuredTotal + other, all.cpuSeconds(), 0.0, estimateTotal + other,
                cpuEstimateTotal));
        return Plots.table(List.of("phase", "unit", "units (this run)", "wall s (this run)", "CPU s (this run)",
                "units (" + target.name() + ")", "estimated wall s (" + target.name() + ")",
                "estimated CPU s (" + target.name() + ")"), rows);
    }

    /**
     * The work each phase of {@code b} does, computed from the budget alone, for a committee whose best
     * member is the main teacher (else C3 adds that member's SRe2L++ set and student per seed).
     */
    static Map<Phase, Double> plannedWork(DistillBudget b) {
        Map<Phase, Double> units = new EnumMap<>(Phase.class);
        int classes = 10;
        int members = b.teachers().size();
        units.put(Phase.SQUEEZE, (double) members * b.teacherSteps());
        double single = 0;
        double batched = 0;
        for (int ipc : b.ipcs()) {
            for (Method m : Method.values()) {
                if (!m.synthetic()) {
                    continue;
                }
                int voters = m == Method.CV_DD ? 2 : 1;
                double saving = m == Method.DELT ? EarlyLate.saving(ipc, b.deltRounds(), b.recoverIterations()) : 0;
                int sets = ipc <= b.perSeedSynthesisMaxIpc() ? b.seedsAt(ipc) : 1;
                if (ipc == 1) {
                    single += (double) b.recoverIterations() * voters * sets;
                } else {
                    batched += (double) classes * ipc * b.recoverIterations() * (1 - saving) * voters * sets;
                }
            }
        }
        double priors = (double) (members - 1) * b.recoverIterations() * (b.priorIpc() == 1 ? 1 : classes * b.priorIpc());
        units.put(Phase.RECOVER_SINGLE_BATCH, single + (b.priorIpc() == 1 ? priors : 0));
        units.put(Phase.RECOVER, batched + (b.priorIpc() == 1 ? 0 : priors));
        int methods = Method.values().length;
        double runs = (double) methods * b.ipcs().stream().mapToInt(b::seedsAt).sum()
                + (double) CROSS_METHODS.size() * b.seeds()
                + (double) (members - 1) * b.priorSeeds();
        units.put(Phase.STUDENT_TRAINING, runs * b.studentSteps());
        units.put(Phase.STUDENT_EVALUATION, runs * b.testImages());
        return units;
    }

    private void add(Phase phase, double units, Clock.Elapsed time) {
        double[] w = work.get(phase);
        w[0] += units;
        w[1] += time.wallSeconds();
        w[2] += Double.isNaN(time.cpuSeconds()) ? 0 : time.cpuSeconds();
    }

    // ----------------------------------------------------------------------------------------- helpers

    private Synthesis memo(String key, Supplier<Synthesis> compute) {
        Synthesis s = syntheses.get(key);
        if (s == null) {
            s = compute.get();
            syntheses.put(key, s);
        }
        return s;
    }

    static double mean(List<Student.Result> results) {
        return results.stream().mapToDouble(Student.Result::testAccuracy).average().orElse(Double.NaN);
    }

    /** Sample standard deviation over sqrt(n); NaN for fewer than two results. */
    static double standardError(List<Student.Result> results) {
        int n = results.size();
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(results);
        double ss = results.stream().mapToDouble(r -> (r.testAccuracy() - m) * (r.testAccuracy() - m)).sum();
        return Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
    }

    private static String meanSe(List<Student.Result> results) {
        double se = standardError(results);
        return Double.isNaN(se) ? String.format(Locale.ROOT, "%.2f", 100 * mean(results))
                : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean(results), 100 * se);
    }

    /** One progress line, written in one call so a notebook never shows it in pieces. */
    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    private static double lastFinite(double[] values) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (Double.isFinite(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        manager.close();
    }
}
