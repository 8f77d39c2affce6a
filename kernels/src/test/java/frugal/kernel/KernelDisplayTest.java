package frugal.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rich display through the real kernel: charts, images, NDArrays, tables, updatable displays. */
class KernelDisplayTest {
    private static KernelClient kernel;

    @BeforeAll
    static void start() throws Exception {
        kernel = KernelClient.start();
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    private static BufferedImage png(String base64) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        assertNotNull(img, "not a PNG");
        return img;
    }

    @Test
    void anXChartChartIsAPng() throws Exception {
        KernelClient.Execution e = kernel.execute("var chart = new org.knowm.xchart.XYChartBuilder().width(320).height(200).title(\"loss\").build();\n"
                + "chart.addSeries(\"train\", new double[] {1, 2, 3}, new double[] {3, 2, 1.5});\n"
                + "chart");
        assertEquals("ok", e.status(), String.valueOf(e.error()));
        BufferedImage img = png(e.result("image/png"));
        assertEquals(320, img.getWidth());
        assertEquals(200, img.getHeight());
        assertTrue(e.result("text/plain").contains("loss"));
    }

    @Test
    void aBufferedImageIsAPngAndDisplayShowsItInPlace() throws Exception {
        KernelClient.Execution e = kernel.execute("var img = new java.awt.image.BufferedImage(7, 5, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
                + "img.setRGB(3, 2, 0xff0000);\n"
                + "System.out.println(\"before\");\n"
                + "display(img);\n"
                + "System.out.println(\"after\");");
        assertEquals("ok", e.status(), String.valueOf(e.error()));
        List<String> order = e.messages().stream().map(m -> m.get("msg_type").getAsString())
                .filter(t -> !t.equals("execute_input")).toList();
        assertEquals(List.of("stream", "display_data", "stream"), order, "a display keeps its place between prints");
        BufferedImage img = png(e.of("display_data").get(0).getAsJsonObject("data").get("image/png").getAsString());
        assertEquals(0xff0000, img.getRGB(3, 2) & 0xffffff);
    }

    @Test
    void anNdArrayIsACompactHtmlTable() {
        KernelClient.Execution e = kernel.execute("var nd = NDManager.newBaseManager();\nnd.arange(0f, 1000f).reshape(20, 50)");
        assertEquals("ok", e.status(), String.valueOf(e.error()));
        String html = e.result("text/html");
        assertNotNull(html);
        assertTrue(html.contains("(20, 50)") && html.contains("float32") && html.contains("cpu()"), html);
        assertTrue(html.contains("<td>999.</td>") && html.contains("<td>0.</td>"), "corners shown: " + html);
        assertTrue(!html.contains("<td>500.</td>") && html.contains("&hellip;"), "middle elided: " + html);
        String text = e.result("text/plain");
        assertTrue(text.contains("[[  0.,   1.,   2., ...,  47.,  48.,  49.],\n"), text);
        assertTrue(text.contains("\n ...,\n") && text.endsWith(" [950., 951., 952., ..., 997., 998., 999.]]"), text);
    }

    @Test
    void anUpdatedHandleRedrawsTheSameDisplay() {
        KernelClient.Execution e = kernel.execute("var h = display(new frugal.core.Html(\"<b>step 0</b>\", \"step 0\"));\n"
                + "for (int i = 1; i <= 3; i++) h.update(new frugal.core.Html(\"<b>step \" + i + \"</b>\", \"step \" + i));");
        assertEquals("ok", e.status(), String.valueOf(e.error()));
        List<JsonObject> shown = e.of("display_data");
        List<JsonObject> updates = e.of("update_display_data");
        assertEquals(1, shown.size());
        assertEquals(3, updates.size());
        String id = shown.get(0).getAsJsonObject("transient").get("display_id").getAsString();
        for (JsonObject u : updates) {
            assertEquals(id, u.getAsJsonObject("transient").get("display_id").getAsString());
        }
        assertEquals("<b>step 3</b>", updates.get(2).getAsJsonObject("data").get("text/html").getAsString());
        assertTrue(e.of("execute_result").isEmpty(), "a handle as the last value shows nothing more");
    }

    @Test
    void libraryDisplaysUseTheNotebookSink() {
        KernelClient.Execution e = kernel.execute("frugal.core.Display.rich()");
        assertEquals("true", e.result("text/plain"));
        KernelClient.Execution shown = kernel.execute("frugal.core.Display.show(java.util.Map.of(\"lr\", 0.001));");
        assertTrue(shown.of("display_data").get(0).getAsJsonObject("data").get("text/html").getAsString().contains("<td>lr</td>"));
    }

    @Test
    void recordsBecomeATable() {
        KernelClient.Execution e = kernel.execute("record Run(String name, double loss) {}\nList.of(new Run(\"a\", 0.5), new Run(\"b\", 0.25))");
        String html = e.result("text/html");
        assertNotNull(html, String.valueOf(e.error()));
        assertTrue(html.contains("<th>name</th><th>loss</th>") && html.contains("<td>b</td>"), html);
    }

    @Test
    void aSmallArrayCanBeShownAsAnImage() throws Exception {
        KernelClient.Execution e = kernel.execute("var im = NDManager.newBaseManager();\nimage(im.arange(16f).reshape(4, 4))");
        BufferedImage img = png(e.result("image/png"));
        assertTrue(img.getWidth() >= 100, "tiny arrays are scaled up to be visible");
        assertTrue((img.getRGB(0, 0) & 0xff) < (img.getRGB(img.getWidth() - 1, img.getHeight() - 1) & 0xff));
    }
}
