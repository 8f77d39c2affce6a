package frugal.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import frugal.core.Html;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts for notebooks and reports: loss curves, fits, bars, image grids and tables. Charts are XChart
 * objects (the Frugal kernel shows them as PNG; {@link Charts} saves them), 640 x 400 by default.
 */
public final class Plots {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 400;

    /** Gap between image tiles and around the grid, in pixels. */
    static final int PAD = 2;
    /** Height of the label strip under each tile when labels are given. */
    static final int LABEL_HEIGHT = 14;
    private static final int TARGET_TILE = 84;
    private static final int MAX_GRID_WIDTH = 1200;
    private static final int FIT_POINTS = 200;
    /** Name of the hidden one-point series that gives equally spaced x data round tick labels. */
    static final String TICK_ANCHOR = "\u200b";

    static {
        Theme.headless();
    }

    private Plots() {}

    /** Line chart of one or more series on linear axes. */
    public static XYChart lines(String title, String xLabel, String yLabel, Series... series) {
        return lines(title, xLabel, yLabel, Scale.LINEAR, Scale.LINEAR, series);
    }

    /** Line chart with a choice of linear or log axes (log axes reject values <= 0 with a clear error). */
    public static XYChart lines(String title, String xLabel, String yLabel, Scale x, Scale y, Series... series) {
        if (series.length == 0) {
            throw new FrugalException("chart '" + title + "' has no series to draw");
        }
        XYChart chart = xyChart(title, xLabel, yLabel, x, y, series.length);
        for (Series s : series) {
            check(title, s, x, y);
            XYSeries line = chart.addSeries(s.name(), s.x(), s.y());
            line.setMarker(SeriesMarkers.NONE);
            line.setLineWidth(2f);
        }
        return finish(chart, x, y, series);
    }

    /** Points with a fitted curve sampled over the points' x range (geometrically on a log x axis). */
    public static XYChart scatterWithFit(String title, String xLabel, String yLabel, Series points,
            DoubleUnaryOperator fit, String fitName, Scale x, Scale y) {
        check(title, points, x, Scale.LINEAR);
        double lo = Arrays.stream(points.x()).filter(Double::isFinite).min().orElse(0);
        double hi = Arrays.stream(points.x()).filter(Double::isFinite).max().orElse(1);
        double[] fx = new double[FIT_POINTS];
        double[] fy = new double[FIT_POINTS];
        for (int i = 0; i < FIT_POINTS; i++) {
            double t = i / (FIT_POINTS - 1.0);
            fx[i] = x == Scale.LOG ? lo * Math.pow(hi / lo, t) : lo + (hi - lo) * t;
            fy[i] = fit.applyAsDouble(fx[i]);
        }
        return scatterWithFit(title, xLabel, yLabel, points, new Series(fitName, fx, fy), x, y);
    }

    /** Points (markers) with a precomputed fitted curve (a line); log-log for power laws. */
    public static XYChart scatterWithFit(String title, String xLabel, String yLabel, Series points, Series fit,
            Scale x, Scale y) {
        check(title, points, x, y);
        check(title, fit, x, y);
        XYChart chart = xyChart(title, xLabel, yLabel, x, y, 2);
        XYSeries dots = chart.addSeries(points.name(), points.x(), points.y());
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        dots.setMarker(SeriesMarkers.CIRCLE);
        XYSeries curve = chart.addSeries(fit.name(), fit.x(), fit.y());
        curve.setMarker(SeriesMarkers.NONE);
        curve.setLineWidth(2f);
        return finish(chart, x, y, points, fit);
    }

    /** Grouped bar chart: one group per category, one bar per series, optional error bars. */
    public static CategoryChart bars(String title, String xLabel, String yLabel, List<String> categories, Bars... series) {
        if (series.length == 0 || categories.isEmpty()) {
            throw new FrugalException("bar chart '" + title + "' needs at least one category and one series");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        Theme.apply(chart.getStyler(), series.length);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        // bars rise from zero, so any corner inside the plot may hide one: the legend goes below
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        for (Bars b : series) {
            if (b.values().length != categories.size()) {
                throw new FrugalException("bar chart '" + title + "': series " + b.name() + " has " + b.values().length
                        + " values for " + categories.size() + " categories");
            }
            for (int i = 0; i < b.values().length; i++) {
                if (!Double.isFinite(b.values()[i]) || b.errors() != null && !Double.isFinite(b.errors()[i])) {
                    throw new FrugalException("bar chart '" + title + "': series " + b.name() + " has a non-finite value at "
                            + categories.get(i) + "; bars need finite numbers");
                }
            }
            List<Double> values = Arrays.stream(b.values()).boxed().toList();
            if (b.errors() == null) {
                chart.addSeries(b.name(), categories, values);
            } else {
                chart.addSeries(b.name(), categories, values, Arrays.stream(b.errors()).boxed().toList());
            }
        }
        return chart;
    }

    /**
     * A grid of images, row by row, values in [0, 1] (clamped) mapped to 0..255; each image is C x H x W in
     * row-major order with C = 1 (grey) or 3 (RGB). Tiles are scaled up by a whole factor to ~84 px.
     *
     * @param labels one caption per shown image, or null for none
     */
    public static BufferedImage imageGrid(float[][] images, int channels, int height, int width, int rows, int cols,
            List<String> labels) {
        if (channels != 1 && channels != 3) {
            throw new FrugalException("image grid needs 1 (grey) or 3 (RGB) channels, got " + channels);
        }
        if (height < 1 || width < 1 || rows < 1 || cols < 1) {
            throw new FrugalException("image grid needs positive sizes, got " + height + "x" + width + " images in "
                    + rows + "x" + cols);
        }
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != channels * height * width) {
                throw new FrugalException("image " + i + " has " + images[i].length + " values, expected " + channels
                        + " x " + height + " x " + width + " = " + channels * height * width);
            }
        }
        int shown = Math.min(images.length, rows * cols);
        if (labels != null && labels.size() < shown) {
            throw new FrugalException("image grid shows " + shown + " images but got " + labels.size() + " labels");
        }
        int scale = gridScale(height, width, cols);
        int label = labels == null ? 0 : LABEL_HEIGHT;
        int tileW = width * scale;
        int tileH = height * scale;
        BufferedImage out = new BufferedImage(PAD + cols * (tileW + PAD), PAD + rows * (tileH + label + PAD),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            FontMetrics fm = g.getFontMetrics();
            int plane = height * width;
            for (int n = 0; n < shown; n++) {
                int x0 = PAD + (n % cols) * (tileW + PAD);
                int y0 = PAD + (n / cols) * (tileH + label + PAD);
                float[] img = images[n];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int i = y * width + x;
                        int r = toByte(img[i]);
                        int rgb = channels == 1 ? r << 16 | r << 8 | r
                                : r << 16 | toByte(img[plane + i]) << 8 | toByte(img[2 * plane + i]);
                        g.setColor(new Color(rgb));
                        g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
                    }
                }
                if (labels != null && labels.get(n) != null) {
                    String text = labels.get(n);
                    g.setColor(Color.BLACK);
                    g.drawString(text, x0 + Math.max(0, (tileW - fm.stringWidth(text)) / 2), y0 + tileH + fm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * A grid of images from an array of shape (N, C, H, W) with C = 1 or 3, or (N, H, W); values in [0, 1].
     *
     * @param labels one caption per shown image, or null for none
     */
    public static BufferedImage imageGrid(NDArray images, int rows, int cols, List<String> labels) {
        Shape shape = images.getShape();
        if (shape.dimension() != 3 && shape.dimension() != 4) {
            throw new FrugalException("image grid needs an array of shape (N, C, H, W) or (N, H, W), got " + shape);
        }
        int n = (int) shape.get(0);
        int channels = shape.dimension() == 4 ? (int) shape.get(1) : 1;
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        float[] all = images.toType(DataType.FLOAT32, false).toFloatArray();
        int size = channels * height * width;
        float[][] split = IntStream.range(0, n).mapToObj(i -> Arrays.copyOfRange(all, i * size, (i + 1) * size))
                .toArray(float[][]::new);
        return imageGrid(split, channels, height, width, rows, cols, labels);
    }

    /** Each image min-max scaled to [0, 1] (for standardised or synthetic images); a constant image becomes 0. */
    public static float[][] rescaleEach(float[][] images) {
        float[][] out = new float[images.length][];
        for (int n = 0; n < images.length; n++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : images[n]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            float range = hi - lo;
            out[n] = new float[images[n].length];
            for (int i = 0; i < out[n].length; i++) {
                out[n][i] = range > 0 ? (images[n][i] - lo) / range : 0f;
            }
        }
        return out;
    }

    /**
     * A table for notebooks (HTML) with an aligned plain-text twin. Numbers are right-aligned; doubles are
     * shown with 4 significant digits.
     */
    public static Html table(List<String> headers, List<? extends List<?>> rows) {
        int cols = headers.size();
        String[][] cells = new String[rows.size()][];
        boolean[] numeric = new boolean[cols];
        Arrays.fill(numeric, !rows.isEmpty());
        for (int r = 0; r < rows.size(); r++) {
            List<?> row = rows.get(r);
            if (row.size() != cols) {
                throw new FrugalException("table row " + r + " has " + row.size() + " cells for " + cols + " headers");
            }
            cells[r] = new String[cols];
            for (int c = 0; c < cols; c++) {
                Object v = row.get(c);
                cells[r][c] = format(v);
                numeric[c] &= v instanceof Number;
            }
        }
        int[] widths = new int[cols];
        for (int c = 0; c < cols; c++) {
            widths[c] = headers.get(c).length();
            for (String[] row : cells) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<table>\n<thead><tr>");
        for (int c = 0; c < cols; c++) {
            text.append(c == 0 ? "" : "  ").append(pad(headers.get(c), widths[c], numeric[c]));
            html.append("<th").append(numeric[c] ? " style=\"text-align:right\"" : "").append('>')
                    .append(escape(headers.get(c))).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        text.append('\n');
        for (int c = 0; c < cols; c++) {
            text.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        for (String[] row : cells) {
            text.append('\n');
            html.append("<tr>");
            for (int c = 0; c < cols; c++) {
                text.append(c == 0 ? "" : "  ").append(pad(row[c], widths[c], numeric[c]));
                html.append("<td").append(numeric[c] ? " style=\"text-align:right\"" : "").append('>')
                        .append(escape(row[c])).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>");
        return new Html(html.toString(), text.toString().lines().map(String::stripTrailing)
                .reduce((a, b) -> a + "\n" + b).orElse(""));
    }

    /** How a table cell shows a value: doubles with 4 significant digits, everything else as toString. */
    public static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            if (d != 0 && (Math.abs(d) >= 1e6 || Math.abs(d) < 1e-4)) {
                return String.format(Locale.ROOT, "%.3e", d);
            }
            return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    /** The whole-number upscale that brings tiles to ~84 px, reduced until the grid fits 1200 px across. */
    static int gridScale(int height, int width, int cols) {
        int scale = Math.max(1, Math.round((float) TARGET_TILE / Math.max(height, width)));
        while (scale > 1 && PAD + cols * (width * scale + PAD) > MAX_GRID_WIDTH) {
            scale--;
        }
        return scale;
    }

    private static XYChart xyChart(String title, String xLabel, String yLabel, Scale x, Scale y, int seriesCount) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        Theme.apply(chart.getStyler(), seriesCount);
        chart.getStyler().setXAxisLogarithmic(x == Scale.LOG);
        chart.getStyler().setYAxisLogarithmic(y == Scale.LOG);
        return chart;
    }

    /** Axis ticks that read well; see {@link #roundTicks} and the log-axis note inside. */
    private static XYChart finish(XYChart chart, Scale x, Scale y, Series... series) {
        // a log axis spanning about a decade or less gets its 2x and 5x ticks labelled too; wider ones would crowd
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decades(series, true) > 1.2);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decades(series, false) > 1.2);
        if (x == Scale.LINEAR) {
            roundTicks(chart, series);
        }
        return chart;
    }

    private static double decades(Series[] series, boolean xAxis) {
        double[] all = Arrays.stream(series).flatMapToDouble(s -> Arrays.stream(xAxis ? s.x() : s.y()))
                .filter(v -> v > 0 && Double.isFinite(v)).toArray();
        return all.length == 0 ? 0
                : Math.log10(Arrays.stream(all).max().getAsDouble() / Arrays.stream(all).min().getAsDouble());
    }

    /**
     * XChart puts the x ticks of equally spaced data (every training curve) on data points, which gives labels
     * such as 1, 15, 29, ...; one invisible point off the grid makes it fall back to round numbers.
     */
    private static void roundTicks(XYChart chart, Series[] series) {
        double[] xs = Arrays.stream(series).flatMapToDouble(s -> Arrays.stream(s.x())).filter(Double::isFinite)
                .distinct().sorted().toArray();
        if (xs.length < 12) {
            return;
        }
        double anchorY = Arrays.stream(series[0].y()).filter(Double::isFinite).findFirst().orElse(1);
        XYSeries anchor = chart.addSeries(TICK_ANCHOR, new double[] {(xs[0] + xs[1]) / 2}, new double[] {anchorY});
        anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setShowInLegend(false);
    }

    /** Rejects data the chart cannot draw, naming the series, the axis and the first bad point. */
    private static void check(String title, Series s, Scale x, Scale y) {
        if (s.size() == 0) {
            throw new FrugalException("chart '" + title + "': series '" + s.name() + "' is empty");
        }
        checkAxis(title, s, "x", s.x(), x);
        checkAxis(title, s, "y", s.y(), y);
        if (IntStream.range(0, s.size()).noneMatch(i -> Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]))) {
            throw new FrugalException("chart '" + title + "': series '" + s.name() + "' has no finite point to draw");
        }
    }

    private static void checkAxis(String title, Series s, String axis, double[] values, Scale scale) {
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isInfinite(v)) {
                throw new FrugalException(String.format(Locale.ROOT,
                        "chart '%s': series '%s' has %s[%d] = %s; charts cannot scale to infinity, drop that point",
                        title, s.name(), axis, i, v));
            }
            if (scale == Scale.LOG && v <= 0) {
                throw new FrugalException(String.format(Locale.ROOT,
                        "chart '%s': a log %s axis needs positive values, but series '%s' has %s[%d] = %s;"
                                + " use Scale.LINEAR for that axis or drop the non-positive points",
                        title, axis, s.name(), axis, i, v));
            }
        }
    }

    private static int toByte(float v) {
        return v >= 1f ? 255 : v > 0f ? Math.round(v * 255f) : 0;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
