package frugal.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.core.Html;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.internal.chartpart.Chart;

class PlotsTest {
    @TempDir
    Path dir;

    private static BufferedImage decode(byte[] png) throws Exception {
        assertTrue(png.length > 100, "non-empty PNG");
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static void assertPng(Chart<?, ?> chart, int width, int height) throws Exception {
        BufferedImage img = decode(Charts.png(chart));
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        int colours = (int) java.util.stream.IntStream.range(0, width * height)
                .map(i -> img.getRGB(i % width, i / width)).distinct().limit(20).count();
        assertTrue(colours > 5, "something was drawn");
    }

    private static Series curve(String name, double shift) {
        double[] x = new double[50];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            x[i] = i + 1;
            y[i] = 3 * Math.pow(i + 1, -0.5) + shift;
        }
        return new Series(name, x, y);
    }

    @Test
    void linesOnLinearAndLogAxes() throws Exception {
        assertPng(Plots.lines("loss", "step", "loss", curve("a", 0), curve("b", 0.5)), Plots.WIDTH, Plots.HEIGHT);
        assertPng(Plots.lines("loss", "step", "loss", Scale.LOG, Scale.LOG, curve("a", 0)), 640, 400);
    }

    @Test
    void logAxesRejectNonPositiveDataClearly() {
        FrugalException e = assertThrows(FrugalException.class,
                () -> Plots.lines("loss", "step", "loss", Scale.LINEAR, Scale.LOG, curve("a", -1)));
        assertTrue(e.getMessage().contains("log y axis") && e.getMessage().contains("'a'")
                && e.getMessage().contains("y[8]"), e.getMessage());
        Series zeroX = new Series("z", new double[] {0, 1}, new double[] {1, 2});
        e = assertThrows(FrugalException.class, () -> Plots.lines("t", "x", "y", Scale.LOG, Scale.LINEAR, zeroX));
        assertTrue(e.getMessage().contains("log x axis") && e.getMessage().contains("x[0] = 0.0"), e.getMessage());
        Series inf = new Series("i", new double[] {1, 2}, new double[] {1, Double.POSITIVE_INFINITY});
        assertThrows(FrugalException.class, () -> Plots.lines("t", "x", "y", inf));
        assertThrows(FrugalException.class, () -> Plots.lines("t", "x", "y"));
    }

    @Test
    void scatterWithFitOnLogLogAxes() throws Exception {
        double[] n = {1e6, 3e6, 1e7, 3e7, 1e8};
        double[] loss = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            loss[i] = 20 * Math.pow(n[i], -0.1) * (1 + 0.01 * (i % 2));
        }
        var chart = Plots.scatterWithFit("L(N)", "parameters", "loss", new Series("runs", n, loss),
                x -> 20 * Math.pow(x, -0.1), "fit", Scale.LOG, Scale.LOG);
        assertEquals(2, chart.getSeriesMap().size());
        assertEquals(200, chart.getSeriesMap().get("fit").getXData().length);
        assertEquals(1e8, chart.getSeriesMap().get("fit").getXData()[199], 1e-3);
        assertPng(chart, 640, 400);
    }

    @Test
    void barsWithErrorBars() throws Exception {
        var chart = Plots.bars("accuracy", "method", "accuracy", List.of("ERM", "LFME"),
                new Bars("PACS", new double[] {0.8, 0.85}, new double[] {0.01, 0.02}), Bars.of("VLCS", 0.7, 0.72));
        assertPng(chart, 640, 400);
        assertThrows(FrugalException.class, () -> Plots.bars("t", "x", "y", List.of("a"), Bars.of("s", 1, 2)));
    }

    @Test
    void imageGridMapsValuesToPixels() throws Exception {
        float[][] images = new float[3][4 * 5];
        images[1][2 * 5 + 3] = 0.5f; // image 1, row 2, column 3
        images[2][0] = 2f; // clamped to white
        int scale = Plots.gridScale(4, 5, 2);
        assertEquals(17, scale, "tiles scaled to ~84 px");
        BufferedImage grid = Plots.imageGrid(images, 1, 4, 5, 2, 2, null);
        int pad = Plots.PAD;
        assertEquals(pad + 2 * (5 * scale + pad), grid.getWidth());
        assertEquals(pad + 2 * (4 * scale + pad), grid.getHeight());
        int x0 = pad + (5 * scale + pad); // second tile in the first row
        int px = grid.getRGB(x0 + 3 * scale + scale / 2, pad + 2 * scale + scale / 2);
        assertEquals(128, px & 0xFF);
        assertEquals(px & 0xFF, (px >> 8) & 0xFF, "grey");
        assertEquals(0, grid.getRGB(x0 + 1, pad + 1) & 0xFF, "black elsewhere");
        int y2 = pad + (4 * scale + pad); // first tile of the second row
        assertEquals(255, grid.getRGB(pad, y2) & 0xFF);
        assertEquals(0xFFFFFF, grid.getRGB(grid.getWidth() - 1, grid.getHeight() - 1) & 0xFFFFFF, "empty cell is white");
        assertEquals(grid.getWidth(), decode(Charts.png(grid)).getWidth());
    }

    @Test
    void imageGridFromAnRgbArrayWithLabels() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.zeros(new Shape(2, 3, 8, 8));
            images.set(new ai.djl.ndarray.index.NDIndex("1, 0, 0, 0"), 1f); // image 1, red channel, top-left
            images.set(new ai.djl.ndarray.index.NDIndex("1, 2, 0, 0"), 0.2f); // blue
            BufferedImage grid = Plots.imageGrid(images, 1, 2, List.of("cat", "dog"));
            int scale = Plots.gridScale(8, 8, 2);
            assertEquals(Plots.PAD + 2 * (8 * scale + Plots.PAD), grid.getWidth());
            assertEquals(Plots.PAD + 8 * scale + Plots.LABEL_HEIGHT + Plots.PAD, grid.getHeight());
            int px = grid.getRGB(Plots.PAD + 8 * scale + Plots.PAD, Plots.PAD);
            assertEquals(255, (px >> 16) & 0xFF);
            assertEquals(0, (px >> 8) & 0xFF);
            assertEquals(51, px & 0xFF);
            FrugalException e = assertThrows(FrugalException.class, () -> Plots.imageGrid(m.zeros(new Shape(2, 8)), 1, 2, null));
            assertTrue(e.getMessage().contains("(N, C, H, W)"), e.getMessage());
        }
    }

    @Test
    void rescaleEachMapsMinToZeroAndMaxToOne() {
        float[][] out = Plots.rescaleEach(new float[][] {{-2, 0, 2}, {5, 5}});
        assertEquals(0f, out[0][0]);
        assertEquals(0.5f, out[0][1]);
        assertEquals(1f, out[0][2]);
        assertEquals(0f, out[1][1]);
    }

    @Test
    void tableAsHtmlAndText() {
        Html t = Plots.table(List.of("claim", "measured", "pass"),
                List.of(List.of("C1 <slope>", 0.123456, true), List.of("C2", 12345678.0, false)));
        assertTrue(t.html().contains("<th style=\"text-align:right\">measured</th>"), t.html());
        assertTrue(t.html().contains("<td>C1 &lt;slope&gt;</td>"), t.html());
        assertTrue(t.html().contains(">0.1235</td>"), t.html());
        String[] lines = t.text().split("\n");
        assertEquals(4, lines.length);
        assertEquals("claim        measured  pass", lines[0]);
        assertEquals("C1 <slope>     0.1235  true", lines[2]);
        assertEquals("C2          1.235e+07  false", lines[3]);
        assertThrows(FrugalException.class, () -> Plots.table(List.of("a", "b"), List.of(List.of(1))));
        assertEquals("2.5", Plots.format(2.5));
        assertEquals("NaN", Plots.format(Double.NaN));
    }

    @Test
    void saveWritesAPngFileAtomically() throws Exception {
        Path file = dir.resolve("charts/loss.png");
        Charts.save(Plots.lines("loss", "step", "loss", curve("a", 0)), file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(640, img.getWidth());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }
}
