package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Analysis.Fit;
import dev.speedup.jobs.compare.Analysis.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * speedup.png: one panel per workload, speedup against parallelism for each mode (measured points joined),
 * the ideal line (speedup = workers) and each mode's Amdahl fit (dashed), side by side in one image.
 */
final class SpeedupChart {
  private static final int PANEL_WIDTH = 640;
  private static final int PANEL_HEIGHT = 660;
  private static final Map<String, Color> MODE_COLORS = Map.of(
      "sequential", new Color(0x44, 0x44, 0x44),
      "threads", new Color(0x1f, 0x77, 0xb4),
      "async", new Color(0x2c, 0xa0, 0x2c),
      "flink-local", new Color(0xd6, 0x27, 0x28),
      "flink-cluster", new Color(0x94, 0x67, 0xbd));

  private SpeedupChart() {}

  static byte[] png(Analysis analysis, List<String> workloads, List<String> modes, List<Integer> parallelism) throws IOException {
    List<BufferedImage> panels = new ArrayList<>();
    for (String w : workloads) {
      panels.add(BitmapEncoder.getBufferedImage(panel(analysis, w, modes, parallelism)));
    }
    BufferedImage all = new BufferedImage(PANEL_WIDTH * Math.max(1, panels.size()), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, all.getWidth(), all.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      g.drawImage(panels.get(i), i * PANEL_WIDTH, 0, null);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(all, "png", out);
    return out.toByteArray();
  }

  private static XYChart panel(Analysis analysis, String workload, List<String> modes, List<Integer> parallelism) {
    int maxP = parallelism.stream().mapToInt(Integer::intValue).max().orElse(1);
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(workload + ": speedup over sequential (whole process)")
        .xAxisTitle("parallelism (workers)").yAxisTitle("speedup (x)").build();
    Styler s = chart.getStyler();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
    chart.getStyler().setXAxisMin(1.0);
    chart.getStyler().setXAxisMax((double) maxP);
    chart.getStyler().setYAxisMin(0.0);
    // Workers come in whole numbers: label whole ticks only.
    chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x)) : " ");
    chart.getStyler().setYAxisDecimalPattern("0.0");

    double[] idealX = curveX(maxP);
    XYSeries ideal = chart.addSeries("ideal (speedup = workers)", idealX, idealX.clone());
    ideal.setLineColor(Color.GRAY);
    ideal.setLineStyle(SeriesLines.DASH_DOT);
    ideal.setMarker(SeriesMarkers.NONE);

    for (String mode : modes) {
      List<Point> ps = new ArrayList<>();
      for (Point p : analysis.points()) {
        if (p.config().workload().equals(workload) && p.config().mode().equals(mode) && !Double.isNaN(p.speedup())) {
          ps.add(p);
        }
      }
      if (mode.equals("threads") && ps.stream().noneMatch(p -> p.config().parallelism() == 1)) {
        // Sequential is threads' one-worker point (the same flags).
        analysis.point(workload, "sequential", 1).filter(p -> !Double.isNaN(p.speedup())).ifPresent(p -> ps.add(0, p));
      }
      if (ps.isEmpty() || mode.equals("sequential")) {
        continue;
      }
      ps.sort((a, b) -> Integer.compare(a.config().parallelism(), b.config().parallelism()));
      double[] x = ps.stream().mapToDouble(p -> p.config().parallelism()).toArray();
      double[] y = ps.stream().mapToDouble(Point::speedup).toArray();
      Color c = MODE_COLORS.getOrDefault(mode, Color.BLACK);
      XYSeries measured = chart.addSeries(mode + " (measured)", x, y);
      measured.setLineColor(c);
      measured.setMarkerColor(c);
      measured.setMarker(SeriesMarkers.CIRCLE);
      measured.setLineStyle(new BasicStroke(2f));
      Fit fit = analysis.fit(workload, mode).orElse(null);
      // A fit pinned at serial fraction 1 means no speedup at all (overhead, not serial work): nothing to draw.
      if (fit != null && fit.points() > 0 && fit.serialFraction() < 0.999) {
        double[] fx = curveX(maxP);
        double[] fy = new double[fx.length];
        for (int i = 0; i < fx.length; i++) {
          fy[i] = Scaling.amdahl(fit.serialFraction(), fx[i]);
        }
        XYSeries amdahl = chart.addSeries(String.format(java.util.Locale.ROOT, "%s Amdahl fit (serial %.2f)", mode, fit.serialFraction()), fx, fy);
        amdahl.setLineColor(c);
        amdahl.setLineStyle(SeriesLines.DASH_DASH);
        amdahl.setMarker(SeriesMarkers.NONE);
      }
    }
    if (chart.getSeriesMap().size() == 1) {
      chart.setTitle(workload + ": no speedups to show (no successful sequential run)");
    }
    return chart;
  }

  private static double[] curveX(int maxP) {
    int n = 50;
    double[] x = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      x[i] = 1 + (maxP - 1) * (double) i / n;
    }
    return x;
  }
}
