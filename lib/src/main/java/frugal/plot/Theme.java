package frugal.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** The look every Frugal chart shares: white background, light grid, Tableau colours, readable fonts. */
final class Theme {
    static final Color[] COLORS = {
        new Color(0x4C78A8), new Color(0xF58518), new Color(0x54A24B), new Color(0xE45756), new Color(0x72B7B2),
        new Color(0xB279A2), new Color(0xFF9DA6), new Color(0x9D755D), new Color(0xBAB0AC), new Color(0xEECA3B)
    };

    private Theme() {}

    static void apply(AxesChartStyler s, int seriesCount) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xBBBBBB));
        s.setPlotGridLinesColor(new Color(0xE6E6E6));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendBorderColor(new Color(0xDDDDDD));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendVisible(seriesCount > 1);
        s.setSeriesColors(COLORS);
        s.setMarkerSize(6);
        s.setAntiAlias(true);
        s.setChartTitleBoxVisible(false);
    }

    /** Charts are rendered to PNG, never to a window: run AWT headless (works without an X display). */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
