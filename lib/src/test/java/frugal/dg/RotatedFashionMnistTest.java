package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import frugal.data.ImageSet;
import frugal.data.Split;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RotatedFashionMnistTest {
    private static final ImageSet SOURCE = TinyDomains.images(70, 6, 3);

    @Test
    void environmentsAreDisjointAndCoverTheData() {
        DomainSet set = RotatedFashionMnist.build(SOURCE, RotatedFashionMnist.Config.domainBed());
        assertEquals(6, set.size());
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        for (Domain d : set.domains()) {
            assertTrue(d.images().size() == 11 || d.images().size() == 12, "70 images dealt 6 ways: 11 or 12 each");
            for (int i : d.sourceIndices()) {
                assertTrue(seen.add(i), "image " + i + " is in two environments");
            }
            total += d.images().size();
        }
        assertEquals(SOURCE.size(), total);
        assertEquals(SOURCE.size(), seen.size(), "every image is in an environment");
    }

    @Test
    void environmentIGetsEveryKthShuffledImageRotatedByItsAngle() {
        var config = new RotatedFashionMnist.Config(List.of(0.0, 90.0), 5);
        DomainSet set = RotatedFashionMnist.build(SOURCE, config);
        int[] order = frugal.data.Shuffle.permutation(SOURCE.size(), 5);
        Domain upright = set.get(0);
        Domain turned = set.get(1);
        Rotation quarter = Rotation.of(6, 6, 90);
        for (int j = 0; j < upright.images().size(); j++) {
            assertEquals(order[2 * j], upright.sourceIndices()[j]);
            assertArrayEquals(SOURCE.pixels(order[2 * j]), upright.images().pixels(j));
            assertEquals(SOURCE.label(order[2 * j]), upright.images().label(j));
        }
        for (int j = 0; j < turned.images().size(); j++) {
            int source = order[2 * j + 1];
            assertEquals(source, turned.sourceIndices()[j]);
            byte[] expected = quarter.apply(SOURCE.pixels(source));
            int[] unsigned = new int[expected.length];
            for (int k = 0; k < expected.length; k++) {
                unsigned[k] = expected[k] & 0xFF;
            }
            assertArrayEquals(unsigned, turned.images().pixels(j));
        }
        assertEquals("90\u00b0", turned.name());
    }

    @Test
    void inOutSplitIsEightyTwentyAndDependsOnTheSeed() {
        Domain d = RotatedFashionMnist.build(TinyDomains.images(600, 4, 1), RotatedFashionMnist.Config.domainBed())
                .get(2);
        Split<ImageSet> a = d.split(0.8, 1);
        Split<ImageSet> b = d.split(0.8, 2);
        assertEquals(80, a.train().size());
        assertEquals(20, a.val().size());
        assertNotEquals(Arrays.toString(a.val().labels()) + Arrays.toString(a.val().pixels(0)),
                Arrays.toString(b.val().labels()) + Arrays.toString(b.val().pixels(0)));
    }

    @Test
    void badConfigsAreRejectedWithAReason() {
        assertThrows(FrugalException.class, () -> new RotatedFashionMnist.Config(List.of(), 0));
        assertThrows(FrugalException.class, () -> new RotatedFashionMnist.Config(List.of(0.0, 0.0), 0));
        assertThrows(FrugalException.class, () -> new RotatedFashionMnist.Config(List.of(Double.NaN), 0));
        var e = assertThrows(FrugalException.class, () -> RotatedFashionMnist.build(TinyDomains.images(3, 4, 0),
                RotatedFashionMnist.Config.domainBed()));
        assertTrue(e.getMessage().contains("fewer than the 6 environments"), e.getMessage());
    }
}
