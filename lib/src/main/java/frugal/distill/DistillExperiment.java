package frugal.distill;

import ai.djl.ndarray.NDManager;
import frugal.claims.Claim;
import frugal.claims.ClaimsTable;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Html;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import frugal.plot.Bars;
import frugal.plot.Plots;
import frugal.plot.Scale;
import frugal.plot.Series;
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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

/**
 * Notebook 04's experiment on Fashion-MNIST: squeeze a committee of teachers, recover distilled sets with
 * SRe2L, SRe2L++, CV-DD and DELT, evaluate fresh students against random real images, and judge the paper
 * card's claims. Every step is computed once, on first use, and kept; the notebook calls one step per cell.
 *
 * <p>Seeds: each synthetic set is recovered once (seed 0); the table's mean and standard error are over
 * student seeds (and, for the random baselines, over the random draws of real images too).
 */
public final class DistillExperiment implements AutoCloseable {
    private static final long SYNTHESIS_SEED = 0;
    private static final long TEACHER_SEED = 0;
    /** Real training images per class that the embedding's PCA is fitted on. */
    private static final int EMBEDDING_REAL_PER_CLASS = 40;

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
    private final Map<String, List<Student.Result>> students = new LinkedHashMap<>();

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
     * IPC {@code priorIpc} reaches (main student, soft labels from that member), averaged over the seeds.
     */
    public Committee committee() {
        if (committee == null) {
            List<Committee.Member> members = new ArrayList<>();
            for (int i = 0; i < teachers().size(); i++) {
                members.add(new Committee.Member(teachers().get(i), 100 * memberAccuracy(i)));
            }
            committee = new Committee(members);
        }
        return committee;
    }

    /** Mean accuracy of SRe2L++ data recovered from member {@code i} alone, labelled by that member. */
    private double memberAccuracy(int i) {
        int ipc = budget.priorIpc();
        Teacher member = teachers().get(i);
        if (i == 0) {
            return mean(results(Method.SRE2L_PP, ipc, budget.mainTeacher()));
        }
        Synthesis s = memo("member " + i + " IPC " + ipc, () -> recover(() -> Recover.images(member, train, ipc,
                RecoverConfig.sre2lPlusPlus(budget.recoverIterations(), budget.poolPerClass())
                        .withMethod("SRe2L++ (" + member.name() + ")"), SYNTHESIS_SEED, manager), ipc, 1, 0));
        return mean(memoStudents("member " + i + " IPC " + ipc, () -> {
            List<Student.Result> runs = new ArrayList<>();
            for (int seed = 0; seed < budget.seeds(); seed++) {
                runs.add(student(s.images(), Labeler.of(member, true), budget.mainTeacher(), seed));
            }
            return runs;
        }));
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

    /** The distilled set of a synthetic {@code method} at {@code ipc}; recovered on first call. */
    public Synthesis synthesis(Method method, int ipc) {
        if (!method.synthetic()) {
            throw new FrugalException(method.label() + " uses real images; call images(method, ipc, seed)");
        }
        int k = budget.recoverIterations();
        int pool = budget.poolPerClass();
        return memo(method + " IPC " + ipc, () -> switch (method) {
            case SRE2L -> recover(() -> Recover.images(mainTeacher(), train, ipc, RecoverConfig.sre2l(k),
                    SYNTHESIS_SEED, manager), ipc, 1, 0);
            case SRE2L_PP -> recover(() -> Recover.images(mainTeacher(), train, ipc,
                    RecoverConfig.sre2lPlusPlus(k, pool), SYNTHESIS_SEED, manager), ipc, 1, 0);
            case DELT -> recover(() -> Recover.images(mainTeacher(), train, ipc,
                    RecoverConfig.delt(k, budget.deltRounds(), pool), SYNTHESIS_SEED, manager), ipc, 1,
                    EarlyLate.saving(ipc, budget.deltRounds(), k));
            case CV_DD -> recover(() -> Recover.images(committee(), train, ipc, RecoverConfig.cvdd(k, pool),
                    SYNTHESIS_SEED, manager), ipc, 2, 0);
            default -> throw new IllegalStateException(method.toString());
        });
    }

    /** The training images of {@code method} at {@code ipc}: synthetic, or a random real draw for {@code seed}. */
    public ImageSet images(Method method, int ipc, int seed) {
        return method.synthetic() ? synthesis(method, ipc).images() : RealImages.random(train, ipc, 1000L + seed);
    }

    /** Recovers every synthetic method at every IPC of the budget (committee priors first). */
    public void synthesizeAll() {
        committee();
        for (int ipc : budget.ipcs()) {
            for (Method m : Method.values()) {
                if (m.synthetic()) {
                    synthesis(m, ipc);
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

    /** Trains every student of the accuracy table and the cross-architecture evaluation. */
    public void evaluateAll() {
        committee();
        for (int ipc : budget.ipcs()) {
            for (Method m : Method.values()) {
                results(m, ipc, budget.mainTeacher());
            }
        }
        for (Method m : Method.values()) {
            results(m, budget.crossIpc(), budget.crossStudent());
        }
    }

    /** Student results of {@code method} at {@code ipc} with student {@code architecture}, one per seed. */
    public List<Student.Result> results(Method method, int ipc, Architecture architecture) {
        return memoStudents(method + " IPC " + ipc + " " + architecture.name(), () -> {
            List<Student.Result> runs = new ArrayList<>();
            for (int seed = 0; seed < budget.seeds(); seed++) {
                Student.Result r = student(images(method, ipc, seed), labeler(method), architecture, seed);
                say("%s IPC %d, student %s, seed %d: %.2f%%", method.label(), ipc, architecture.name(), seed,
                        100 * r.testAccuracy());
                runs.add(r);
            }
            return runs;
        });
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

    private Student.Result student(ImageSet images, Labeler labeler, Architecture architecture, int seed) {
        StudentConfig config = StudentConfig.of(architecture, budget.studentSteps()).withBatchSize(budget.studentBatch());
        Student.Result r = Student.train(images, labeler, config, test, seed, manager);
        add(Phase.STUDENT_TRAINING, budget.studentSteps(), r.trainTime());
        add(Phase.STUDENT_EVALUATION, test.size(), r.evalTime());
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
        for (Method m : Method.values()) {
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

    // ----------------------------------------------------------------------------------------- export

    /** Saves a method's set as PNGs + labels under {@code build/distilled/<budget>/<method>-ipc<k>}. */
    public Path export(Method method, int ipc) {
        String folder = method.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+]+", "-").replace("+", "p")
                + "-ipc" + ipc;
        return DistilledSets.save(images(method, ipc, 0), TeacherCache.buildDir().resolve("distilled")
                .resolve(budget.name()).resolve(folder));
    }

    // ----------------------------------------------------------------------------------------- claims

    /** The paper card's claims C1-C5, judged in the full budget only. */
    public ClaimsTable claims() {
        boolean judged = budget.name().equals("full");
        Architecture main = budget.mainTeacher();
        List<Integer> big = budget.ipcs().stream().filter(i -> i >= 10).toList();
        ClaimsTable table = new ClaimsTable("Dataset distillation on Fashion-MNIST (" + budget.name() + " budget)");

        double c1 = Double.POSITIVE_INFINITY;
        List<String> c1Text = new ArrayList<>();
        for (int ipc : big) {
            Method best = Stream.of(Method.SRE2L_PP, Method.CV_DD, Method.DELT)
                    .max(Comparator.comparingDouble(m -> mean(results(m, ipc, main)))).orElseThrow();
            c1 = Math.min(c1, margin(best, Method.RANDOM_SOFT, ipc, main));
            c1Text.add(versus(best, Method.RANDOM_SOFT, ipc, main));
        }
        table.add(Claim.judged("C1", "Soft-labelled distilled data (best of SRe2L++, CV-DD, DELT) beats random real"
                + " images of the same IPC under the same soft-label student protocol, IPC " + big,
                String.join("; ", c1Text), "margin > 0 pp at every IPC >= 10", c1 > 0, judged));

        double c2 = Double.POSITIVE_INFINITY;
        List<String> c2Text = new ArrayList<>();
        for (int ipc : budget.ipcs()) {
            c2 = Math.min(c2, margin(Method.SRE2L_PP, Method.SRE2L, ipc, main));
            c2Text.add(versus(Method.SRE2L_PP, Method.SRE2L, ipc, main));
        }
        table.add(Claim.judged("C2", "SRe2L++ (real init, crops, batch-specific soft labels) beats noise-init SRe2L,"
                + " IPC " + budget.ipcs(), String.join("; ", c2Text), "margin > 0 pp at every IPC", c2 > 0, judged));

        int p = budget.priorIpc();
        double bestSingle = committee().members().stream().mapToDouble(Committee.Member::prior).max().orElseThrow();
        double c3 = 100 * mean(results(Method.CV_DD, p, main)) - bestSingle;
        table.add(Claim.judged("C3", "A committee of " + committee().members().size() + " architectures (CV-DD) beats"
                + " the best single-teacher SRe2L++ at IPC " + p, String.format(Locale.ROOT,
                "IPC %d: CV-DD %s vs best member's own SRe2L++ %.2f (%+.2f pp)", p, meanSe(results(Method.CV_DD, p,
                main)), bestSingle, c3), "CV-DD - best member's SRe2L++ > 0 pp", c3 > 0, judged));

        double worstGap = Double.POSITIVE_INFINITY;
        double minSaving = Double.POSITIVE_INFINITY;
        boolean moreDiverse = true;
        StringBuilder measured = new StringBuilder();
        for (int ipc : big) {
            double gap = 100 * (mean(results(Method.DELT, ipc, main)) - mean(results(Method.SRE2L_PP, ipc, main)));
            double saving = synthesis(Method.DELT, ipc).savedFraction();
            double dDelt = Diversity.meanPairwiseCosineDistance(mainTeacher(), images(Method.DELT, ipc, 0), manager);
            double dFlat = Diversity.meanPairwiseCosineDistance(mainTeacher(), images(Method.SRE2L_PP, ipc, 0), manager);
            worstGap = Math.min(worstGap, gap);
            minSaving = Math.min(minSaving, saving);
            moreDiverse &= dDelt > dFlat;
            measured.append(String.format(Locale.ROOT, "IPC %d: %+.2f pp, %.0f%% fewer image-iterations, diversity"
                    + " %.3f vs %.3f; ", ipc, gap, 100 * saving, dDelt, dFlat));
        }
        table.add(Claim.judged("C4", "DELT's EarlyLate matches or beats flat optimisation (SRe2L++) with fewer"
                + " image-iterations and more diverse images", measured.toString().trim(),
                "accuracy gap >= -0.5 pp, saving > 0 and higher diversity at every IPC >= 10",
                worstGap >= -0.5 && minSaving > 0 && moreDiverse, judged));

        Architecture cross = budget.crossStudent();
        int x = budget.crossIpc();
        table.add(Claim.judged("C5", "CV-DD data (IPC " + x + ") also trains " + cross.name() + ", which was not a"
                + " teacher, beyond random real images with hard labels", versus(Method.CV_DD, Method.RANDOM_HARD, x,
                cross), "margin > 0 pp", margin(Method.CV_DD, Method.RANDOM_HARD, x, cross) > 0, judged));
        return table;
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

    /** The work each phase of {@code b} does, computed from the budget alone. */
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
                if (ipc == 1) {
                    single += (double) b.recoverIterations() * voters;
                } else {
                    batched += (double) classes * ipc * b.recoverIterations() * (1 - saving) * voters;
                }
            }
        }
        double priors = (double) (members - 1) * b.recoverIterations() * (b.priorIpc() == 1 ? 1 : classes * b.priorIpc());
        units.put(Phase.RECOVER_SINGLE_BATCH, single + (b.priorIpc() == 1 ? priors : 0));
        units.put(Phase.RECOVER, batched + (b.priorIpc() == 1 ? 0 : priors));
        int methods = Method.values().length;
        double runs = (double) methods * b.ipcs().size() * b.seeds() + (double) methods * b.seeds()
                + (double) (members - 1) * b.seeds();
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

    private List<Student.Result> memoStudents(String key, Supplier<List<Student.Result>> compute) {
        List<Student.Result> r = students.get(key);
        if (r == null) {
            r = List.copyOf(compute.get());
            students.put(key, r);
        }
        return r;
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

    /** Mean accuracy of {@code a} minus that of {@code b}, in percentage points. */
    private double margin(Method a, Method b, int ipc, Architecture student) {
        return 100 * (mean(results(a, ipc, student)) - mean(results(b, ipc, student)));
    }

    /** "IPC 10: DELT 77.71 ± 1.15 vs random (soft) 77.04 ± 0.88 (+0.67 pp)": a margin with its noise beside it. */
    private String versus(Method a, Method b, int ipc, Architecture student) {
        return String.format(Locale.ROOT, "IPC %d: %s %s vs %s %s (%+.2f pp)", ipc, a.label(),
                meanSe(results(a, ipc, student)), b.label(), meanSe(results(b, ipc, student)), margin(a, b, ipc, student));
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
