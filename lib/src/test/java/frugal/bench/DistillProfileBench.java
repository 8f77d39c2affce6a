package frugal.bench;

import ai.djl.ndarray.NDManager;
import frugal.core.Engines;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import frugal.distill.Architecture;
import frugal.distill.Clock;
import frugal.distill.Committee;
import frugal.distill.DistillBudget;
import frugal.distill.Labeler;
import frugal.distill.Recover;
import frugal.distill.RecoverConfig;
import frugal.distill.RealImages;
import frugal.distill.Squeeze;
import frugal.distill.Student;
import frugal.distill.StudentConfig;
import frugal.distill.Synthesis;
import frugal.distill.Teacher;
import frugal.distill.TeacherCache;
import frugal.sweep.ThreadBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where notebook 04's full budget goes: milliseconds per recover iteration (one teacher, a committee pair,
 * batches of 10 and 100 images), per student step (hard labels, eval-mode, batch-specific and committee
 * soft labels, at two batch sizes) and per evaluated test image, with the full teachers (trained once, then
 * cached). Prints one line per measurement, wall and CPU.
 *
 * <p>Arguments: recover iterations per measurement (20), student steps per measurement (60), width of the
 * ConvNet teachers (32, the full budget's).
 */
public final class DistillProfileBench {
    private DistillProfileBench() {}

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Engines.pytorch();
        System.out.println("libtorch threads " + ThreadBudget.current());
        FashionMnist data = FashionMnist.load();
        DistillBudget full = DistillBudget.full();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Teacher> teachers = new ArrayList<>();
            List<Architecture> members = List.of(Architecture.convNet(3, width), Architecture.convNet(2, width),
                    full.teachers().get(2));
            for (Architecture a : members) {
                teachers.add(Squeeze.teacher(a, data.train(), data.test(), Squeeze.Config.of(full.teacherSteps(), 0),
                        TeacherCache.defaultLocation(), manager));
                System.out.println(a.name() + " test accuracy " + teachers.get(teachers.size() - 1).testAccuracy());
            }
            Teacher main = teachers.get(0);
            Committee committee = new Committee(List.of(new Committee.Member(teachers.get(0), 70),
                    new Committee.Member(teachers.get(1), 69), new Committee.Member(teachers.get(2), 68)));
            for (int ipc : new int[] {1, 10}) {
                RecoverConfig pp = RecoverConfig.sre2lPlusPlus(iterations, full.poolPerClass());
                Synthesis single = Recover.images(main, data.train(), ipc, pp, 0, manager);
                report("recover SRe2L++ IPC " + ipc + " (" + 10 * ipc + " images, 1 teacher)", single.time(), iterations,
                        "iteration");
                Synthesis pair = Recover.images(committee, data.train(), ipc, RecoverConfig.cvdd(iterations,
                        full.poolPerClass()), 0, manager);
                report("recover CV-DD IPC " + ipc + " (" + 10 * ipc + " images, pairs)", pair.time(), iterations,
                        "iteration");
            }
            Clock rank = Clock.start();
            RealImages.medium(main, data.train(), 50, full.poolPerClass(), 0, manager);
            report("medium ranking of a pool of " + full.poolPerClass() + " per class", rank.elapsed(), 1, "pool");

            ImageSet set = RealImages.random(data.train(), 10, 1000);
            StudentConfig base = StudentConfig.of(main.architecture(), steps);
            for (int batch : new int[] {32, 64}) {
                StudentConfig c = base.withBatchSize(batch);
                student("hard labels", set, null, c, data.test(), manager);
                student("soft, eval-mode teacher", set, Labeler.of(main, false), c, data.test(), manager);
                student("soft, batch-specific teacher", set, Labeler.of(main, true), c, data.test(), manager);
                student("soft, committee of 3", set, committee.labeler(true), c, data.test(), manager);
            }
            student("cross student (IN), batch-specific", set, Labeler.of(main, true),
                    base.withArchitecture(full.crossStudent()), data.test(), manager);
        }
    }

    private static void student(String what, ImageSet set, Labeler labeler, StudentConfig config, ImageSet test,
            NDManager manager) {
        Student.Result r = Student.train(set, labeler, config, test, 0, manager);
        report("student " + what + ", batch " + config.batchSize(), r.trainTime(), config.steps(), "step");
        report("  evaluation on " + test.size() + " test images", r.evalTime(), test.size() / 1000.0,
                "1000 images");
    }

    private static void report(String what, Clock.Elapsed t, double units, String unit) {
        System.out.println(String.format(Locale.ROOT, "%-62s %8.1f ms wall %8.1f ms CPU per %s", what,
                1000 * t.wallSeconds() / units, 1000 * t.cpuSeconds() / units, unit));
    }
}
