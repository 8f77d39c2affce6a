package frugal.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import frugal.core.Engines;
import frugal.kernel.remote.MimeBundle;
import frugal.kernel.remote.MimeRenderer;
import frugal.kernel.remote.Notebook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendering where the values live (the user's JVM), exercised in-process. */
class MimeRendererTest {
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static String text(Object v) {
        return MimeRenderer.render(v).data().get(MimeBundle.TEXT);
    }

    @Test
    void smallArraysShowEveryValue() {
        NDArray v = manager.create(new float[] {1.5f, -2f, 0.00001f});
        assertEquals("NDArray (3) float32 cpu() (min -2., max 1.5, mean -0.1667)\n[      1.5,       -2., 1.000e-05]", text(v));
        assertEquals("NDArray () int32 cpu()\n7", text(manager.create(7)));
        assertEquals("NDArray (2) boolean cpu()\n[ true, false]", text(manager.create(new boolean[] {true, false})));
    }

    @Test
    void largeArraysElideTheMiddleOfEveryAxisWithoutCopyingIt() {
        NDArray big = manager.arange(0, 2 * 5 * 100, 1, DataType.INT64).reshape(2, 5, 100);
        MimeBundle b = MimeRenderer.render(big);
        String t = b.data().get(MimeBundle.TEXT);
        assertTrue(t.startsWith("NDArray (2, 5, 100) int64 cpu()\n[[[  0,   1,   2, ...,  97,  98,  99],"), t);
        assertTrue(t.endsWith("[900, 901, 902, ..., 997, 998, 999]]]"), t);
        String html = b.data().get(MimeBundle.HTML);
        assertTrue(html.contains("[0, :, :]") && html.contains("[1, :, :]"), html);
        assertFalse(html.contains("<td>550</td>"), html);
        NDArray wide = manager.ones(new ai.djl.ndarray.types.Shape(7, 3, 9, 9));
        String lead = MimeRenderer.render(wide).data().get(MimeBundle.HTML);
        assertTrue(lead.contains("[0, 0, :, :]") && lead.contains("[6, 2, :, :]") && !lead.contains("[3, 1, :, :]"), lead);
        assertFalse(big.isReleased(), "the shown array stays usable");
    }

    @Test
    void aClosedArraySaysSoInsteadOfFailing() {
        NDArray gone = manager.create(new float[] {1});
        gone.close();
        assertTrue(text(gone).startsWith("NDArray (closed"), text(gone));
    }

    @Test
    void nanIsCalledOut() {
        assertTrue(text(manager.create(new float[] {1, Float.NaN})).contains("(contains NaN)"));
    }

    @Test
    void valuesReadAsInJShell() {
        assertEquals("\"a\\\"b\\n\"", text("a\"b\n"));
        assertEquals("int[3] { 1, 2, 3 }", text(new int[] {1, 2, 3}));
        assertEquals("null", text(null));
        assertEquals(Map.of(), MimeRenderer.render(frugal.core.Display.show("shown")).data(), "a handle shows nothing");
    }

    record Row(String name, double value) {}

    @Test
    void recordsAndMapsBecomeTables() {
        String html = MimeRenderer.render(List.of(new Row("a<b", 0.5), new Row("c", 2))).data().get(MimeBundle.HTML);
        assertTrue(html.contains("<th>name</th><th>value</th>") && html.contains("<td>a&lt;b</td>")
                && html.contains("<td style=\"text-align:right\">0.5000</td>"), html);
        String map = MimeRenderer.render(Map.of("k", 1)).data().get(MimeBundle.HTML);
        assertTrue(map.contains("<td>k</td>"), map);
        assertEquals("[1, 2]", text(List.of(1, 2)), "a list of plain values stays text");
    }

    @Test
    void arraysBecomeImagesOnRequest() {
        BufferedImage img = Notebook.image(manager.arange(12f).reshape(1, 3, 4));
        assertEquals(4 * 28, img.getWidth());
        assertEquals(3 * 28, img.getHeight());
        assertEquals(0, img.getRGB(0, 0) & 0xff);
        assertEquals(255, img.getRGB(img.getWidth() - 1, img.getHeight() - 1) & 0xff);
        assertThrows(frugal.core.FrugalException.class, () -> Notebook.image(manager.zeros(new ai.djl.ndarray.types.Shape(2, 2, 2, 2))));
        assertTrue(MimeRenderer.render(img).data().containsKey(MimeBundle.PNG));
    }
}
