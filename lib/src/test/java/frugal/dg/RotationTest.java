package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import frugal.core.FrugalException;
import frugal.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotationTest {
    @ParameterizedTest
    @ValueSource(ints = {7, 28})
    void rotationByZeroIsTheIdentity(int size) {
        ImageSet set = TinyDomains.images(20, size, 1);
        ImageSet same = Rotation.rotate(set, 0, "zero");
        for (int i = 0; i < set.size(); i++) {
            assertArrayEquals(set.pixels(i), same.pixels(i), "image " + i);
            assertEquals(set.label(i), same.label(i));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 28})
    void fourQuarterTurnsAreTheIdentity(int size) {
        ImageSet set = TinyDomains.images(20, size, 2);
        ImageSet turned = set;
        for (int k = 0; k < 4; k++) {
            turned = Rotation.rotate(turned, 90, "turned");
        }
        for (int i = 0; i < set.size(); i++) {
            assertArrayEquals(set.pixels(i), turned.pixels(i), "image " + i);
        }
    }

    @Test
    void positiveAnglesTurnCounterClockwise() {
        int size = 5;
        int[] image = new int[size * size];
        image[2 * size + 4] = 200; // right of the centre (row 2, column 4)
        byte[] turned = Rotation.of(size, size, 90).apply(image);
        assertEquals(200, turned[0 * size + 2] & 0xFF, "a quarter turn counter-clockwise moves it above the centre");
        assertEquals(200, count(turned), "and nowhere else");
    }

    @Test
    void bilinearHalfwaySampleAveragesAndOutsideIsFilledWithZero() {
        int size = 4; // centre at (1.5, 1.5)
        int[] white = new int[size * size];
        java.util.Arrays.fill(white, 255);
        byte[] turned = Rotation.of(size, size, 45).apply(white);
        // corner (0, 0) is 2.12 px from the centre along the diagonal; turned by 45 deg it samples row 1.5 - 2.12,
        // column 1.5: row -0.62 lies outside, so it blends 0.62 of fill 0 with 0.38 of white
        assertEquals(Math.round(255 * (1 - (1.5 * Math.sqrt(2) - 1.5))), turned[0] & 0xFF);
        assertEquals(255, turned[size + 1] & 0xFF, "pixels near the centre stay white");
    }

    @Test
    void rejectsAWrongPixelCount() {
        assertThrows(FrugalException.class, () -> Rotation.of(4, 4, 30).apply(new int[15]));
    }

    private static int count(byte[] pixels) {
        int sum = 0;
        for (byte b : pixels) {
            sum += b & 0xFF;
        }
        return sum;
    }
}
