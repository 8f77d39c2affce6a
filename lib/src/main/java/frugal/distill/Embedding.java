package frugal.distill;

import frugal.core.FrugalException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import smile.manifold.TSNE;
import smile.math.MathEx;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * 2-D maps of teacher features: do distilled images sit inside their class's cloud of real images, and
 * how far do they spread? A PCA fitted on real images, onto which distilled images are projected (Commons
 * Math's SVD: a few hundred points need no native BLAS next to libtorch), and t-SNE ({@link #tsne}, Smile),
 * which embeds real and distilled points together, as the papers' figures do: it keeps neighbourhoods, not
 * distances, so clusters show where PCA's two directions overlap them.
 *
 * @param mean the feature mean of the points the projection was fitted on
 * @param components two unit-length principal directions, each of the features' length
 */
public record Embedding(double[] mean, double[][] components) {
    /** Ten distinct colours, one per class. */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    /** The top-2 principal directions of {@code points} (rows), from the SVD of the centred matrix. */
    public static Embedding pca(double[][] points) {
        if (points.length < 3) {
            throw new FrugalException("PCA needs at least 3 points, got " + points.length);
        }
        int d = points[0].length;
        double[] mean = new double[d];
        for (double[] p : points) {
            if (p.length != d) {
                throw new FrugalException("PCA points must all have " + d + " features, got one with " + p.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += p[j] / points.length;
            }
        }
        double[][] centred = new double[points.length][d];
        for (int i = 0; i < points.length; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = points[i][j] - mean[j];
            }
        }
        RealMatrix v = new SingularValueDecomposition(new Array2DRowRealMatrix(centred, false)).getV();
        if (v.getColumnDimension() < 2) {
            throw new FrugalException("PCA needs features of at least 2 dimensions, got " + d);
        }
        return new Embedding(mean, new double[][] {v.getColumn(0), v.getColumn(1)});
    }

    /**
     * t-SNE coordinates (one 2-D row per point) of {@code points}, Smile's exact gradient with learning rate
     * 200 for {@code iterations} steps. O(n^2) per step: meant for a few hundred points. Smile draws the
     * start from its per-thread random generator, seeded here, so a seed gives the same map.
     */
    public static double[][] tsne(double[][] points, double perplexity, int iterations, long seed) {
        if (points.length < 3 * perplexity + 2) {
            throw new FrugalException("t-SNE with perplexity " + perplexity + " needs more than 3 x perplexity + 1 = "
                    + (int) (3 * perplexity + 1) + " points, got " + points.length + "; lower the perplexity");
        }
        if (iterations < 250) {
            throw new FrugalException("t-SNE needs >= 250 iterations (the first 250 are its early exaggeration),"
                    + " got " + iterations);
        }
        MathEx.setSeed(seed);
        return new TSNE(points, 2, perplexity, 200, iterations).coordinates;
    }

    /** Each row projected onto the two components. */
    public double[][] project(double[][] points) {
        double[][] out = new double[points.length][2];
        for (int i = 0; i < points.length; i++) {
            for (int k = 0; k < 2; k++) {
                double s = 0;
                for (int j = 0; j < mean.length; j++) {
                    s += (points[i][j] - mean[j]) * components[k][j];
                }
                out[i][k] = s;
            }
        }
        return out;
    }

    /**
     * A scatter chart: real points as small faint dots, distilled points as large diamonds, both coloured
     * by class; the legend names the classes of the diamonds.
     */
    public static XYChart chart(String title, double[][] real, int[] realLabels, double[][] distilled,
            int[] distilledLabels, List<String> classNames) {
        return chart(title, "PC 1", "PC 2", real, realLabels, distilled, distilledLabels, classNames);
    }

    /** {@link #chart} with the axes named (e.g. "t-SNE 1"). */
    public static XYChart chart(String title, String xAxis, String yAxis, double[][] real, int[] realLabels,
            double[][] distilled, int[] distilledLabels, List<String> classNames) {
        XYChart chart = new XYChartBuilder().width(640).height(460).title(title).xAxisTitle(xAxis).yAxisTitle(yAxis)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(10f));
        for (int c = 0; c < classNames.size(); c++) {
            Color color = PALETTE[c % PALETTE.length];
            addClass(chart, "real " + c, real, realLabels, c, new Color(color.getRed(), color.getGreen(),
                    color.getBlue(), 70), SeriesMarkers.CIRCLE, false);
        }
        for (int c = 0; c < classNames.size(); c++) {
            addClass(chart, classNames.get(c), distilled, distilledLabels, c, PALETTE[c % PALETTE.length],
                    LARGE_DIAMOND, true);
        }
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    /** XChart has one marker size per chart; this marker paints a diamond twice that size. */
    private static final Marker LARGE_DIAMOND = new Marker() {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            SeriesMarkers.DIAMOND.paint(g, x, y, 2 * size);
        }
    };

    private static void addClass(XYChart chart, String name, double[][] points, int[] labels, int c, Color color,
            Marker marker, boolean inLegend) {
        double[] xs = IntStream.range(0, points.length).filter(i -> labels[i] == c).mapToDouble(i -> points[i][0])
                .toArray();
        double[] ys = IntStream.range(0, points.length).filter(i -> labels[i] == c).mapToDouble(i -> points[i][1])
                .toArray();
        if (xs.length == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(marker);
        s.setMarkerColor(color);
        s.setShowInLegend(inLegend);
    }
}
