package frugal.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import frugal.core.CellThread;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.data.ImageSet;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecoverTest {
    private static NDManager manager;
    private static Teacher teacher;

    @BeforeAll
    static void setUp() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
        teacher = DistillFixtures.teacher(Architecture.convNet(2, 8), manager);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static double mean(double[] v, int from, int to) {
        return Arrays.stream(v, from, to).average().orElseThrow();
    }

    @Test
    void sre2lLowersItsLossFromNoise() {
        // in a fresh thread, whose grad mode is on, as a notebook cell may be
        Synthesis s = CellThread.call(
                () -> Recover.images(teacher, DistillFixtures.train(), 2, RecoverConfig.sre2l(30), 3, manager));
        assertEquals(30, s.loss().length);
        double first = mean(s.loss(), 0, 4);
        double last = mean(s.loss(), 26, 30);
        assertTrue(last < 0.7 * first, "recover loss should fall: first " + first + ", last " + last);
        ImageSet images = s.images();
        assertEquals(20, images.size());
        assertArrayEquals(RealImages.ipcMajorLabels(2, 10), images.labels());
        assertEquals(0, s.savedFraction(), 0);
        assertTrue(Arrays.stream(s.loss()).allMatch(Double::isFinite));
    }

    /** Mean absolute pixel change between the initial and final images of IPC index {@code k}. */
    private static double change(Synthesis s, int k) {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < 10; c++) {
            int[] before = s.initial().pixels(k * 10 + c);
            int[] after = s.images().pixels(k * 10 + c);
            for (int i = 0; i < before.length; i++) {
                sum += Math.abs(after[i] - before[i]);
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void earlyLateOptimisesEarlyImagesLongerAndCountsTheSaving() {
        RecoverConfig delt = RecoverConfig.delt(20, 2, 10);
        Synthesis s = Recover.images(teacher, DistillFixtures.train(), 2, delt, 3, manager);
        // 2 rounds of 10 iterations, one image per class per round: 10 classes x (20 + 10)
        assertEquals(10L * (20 + 10), s.imageIterations());
        assertEquals(10L * 2 * 20, s.flatImageIterations());
        assertEquals(EarlyLate.saving(2, 2, 20), s.savedFraction(), 1e-12);
        double early = change(s, 0);
        double late = change(s, 1);
        assertTrue(late > 0, "the late images are optimised too");
        assertTrue(early > late, "images active from round 0 move more: early " + early + ", late " + late);
    }

    @Test
    void committeeRecoversWithPairsAndLowersItsLoss() {
        Teacher other = DistillFixtures.teacher(Architecture.convNet(1, 8), manager);
        Committee committee = new Committee(List.of(new Committee.Member(teacher, 60),
                new Committee.Member(other, 55)));
        Synthesis s = Recover.images(committee, DistillFixtures.train(), 1, RecoverConfig.cvdd(20, 10), 5, manager);
        assertEquals("CV-DD", s.method());
        assertTrue(mean(s.loss(), 16, 20) < mean(s.loss(), 0, 4),
                "committee loss should fall: " + Arrays.toString(s.loss()));
    }

    @Test
    void sharedRealInitialImagesGiveTheSameSetAsRankingInsideRecover() {
        RecoverConfig pp = RecoverConfig.sre2lPlusPlus(6, 10);
        Synthesis inside = Recover.images(teacher, DistillFixtures.train(), 2, pp, 4, manager);
        // the experiment ranks a seed's pool once at its largest IPC and gives smaller IPCs its first images
        ImageSet ranked = RealImages.medium(teacher, DistillFixtures.train(), 5, 10, 4, manager);
        ImageSet prefix = ranked.subset(IntStream.range(0, 20).toArray());
        Synthesis shared = Recover.fromInitial(teacher, prefix, pp, 4, manager);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(inside.initial().pixels(i), shared.initial().pixels(i), "initial image " + i);
            assertArrayEquals(inside.images().pixels(i), shared.images().pixels(i), "recovered image " + i);
        }
        assertThrows(FrugalException.class, () -> Recover.fromInitial(teacher,
                ranked.subset(new int[] {0, 1, 2}), pp, 4, manager)); // not the same count in every class
    }
}
