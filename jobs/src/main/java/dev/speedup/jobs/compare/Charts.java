package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Analysis.AmdahlFit;
import dev.speedup.jobs.compare.Analysis.Model;
import dev.speedup.jobs.compare.Analysis.ModelCheck;
import dev.speedup.jobs.compare.Analysis.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's three pictures, one panel per workload each: per-item speedup against workers with interval
 * bars ({@code speedup.png}); start-up, work and teardown stacked per configuration ({@code breakdown.png});
 * time against input size on log-log axes, each mode's fitted line through its measured points, so a
 * crossover is where two lines cross ({@code scaling.png}).
 */
final class Charts {
  static final int PANEL_WIDTH = 640;
  static final int PANEL_HEIGHT = 560;
  static final Map<String, Color> MODE_COLORS = Map.of(
      "sequential", new Color(0x44, 0x44, 0x44),
      "threads", new Color(0x1f, 0x77, 0xb4),
      "async", new Color(0x2c, 0xa0, 0x2c),
      "flink-local", new Color(0xd6, 0x27, 0x28),
      "flink-cluster", new Color(0x94, 0x67, 0xbd));

  private Charts() {}

  static byte[] speedup(Analysis a) throws IOException {
    return panels(a, w -> speedupPanel(a, w));
  }

  static byte[] breakdown(Analysis a) throws IOException {
    return panels(a, w -> breakdownPanel(a, w));
  }

  static byte[] scaling(Analysis a) throws IOException {
    return panels(a, w -> scalingPanel(a, w));
  }

  private static byte[] panels(Analysis a, Function<String, Chart<?, ?>> panel) throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    for (String w : a.workloads()) {
      images.add(BitmapEncoder.getBufferedImage(panel.apply(w)));
    }
    BufferedImage all = new BufferedImage(PANEL_WIDTH * Math.max(1, images.size()), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, all.getWidth(), all.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), i * PANEL_WIDTH, 0, null);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(all, "png", out);
    return out.toByteArray();
  }

  private static void style(org.knowm.xchart.style.AxesChartStyler s) {
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Vertical);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
  }

  private static XYChart speedupPanel(Analysis a, String w) {
    // A rate too fast to measure at these sizes has no place on a chart.
    List<Model> ms = a.models().stream().filter(m -> m.config().workload().equals(w) && m.rateSpeedup() != null
        && Double.isFinite(m.rateSpeedup().value()) && Double.isFinite(m.rateSpeedup().high())).toList();
    int maxP = ms.stream().mapToInt(m -> m.config().parallelism()).max().orElse(1);
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(w + ": per-item speedup over sequential (95% intervals)").xAxisTitle("workers").yAxisTitle("speedup (x)").build();
    style(chart.getStyler());
    chart.getStyler().setXAxisMin(1.0);
    chart.getStyler().setXAxisMax((double) Math.max(2, maxP));
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("0.0");
    chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x)) : " ");
    XYSeries ideal = chart.addSeries("ideal (speedup = workers)", new double[] {1, Math.max(2, maxP)}, new double[] {1, Math.max(2, maxP)});
    ideal.setLineColor(Color.GRAY);
    ideal.setLineStyle(SeriesLines.DASH_DOT);
    ideal.setMarker(SeriesMarkers.NONE);
    Model seq = ms.stream().filter(m -> m.config().mode().equals("sequential")).findFirst().orElse(null);
    for (String mode : ms.stream().map(m -> m.config().mode()).distinct().filter(m -> !m.equals("sequential")).toList()) {
      List<Model> line = new ArrayList<>(ms.stream().filter(m -> m.config().mode().equals(mode)).toList());
      if (mode.equals("threads") && seq != null) {
        line.add(seq); // threads with one worker is the sequential run
      }
      line.sort(Comparator.comparingInt(m -> m.config().parallelism()));
      Color c = MODE_COLORS.getOrDefault(mode, Color.BLACK);
      XYSeries s = chart.addSeries(mode, line.stream().mapToDouble(m -> m.config().parallelism()).toArray(),
          line.stream().mapToDouble(m -> m.rateSpeedup().value()).toArray());
      s.setLineColor(c);
      s.setMarkerColor(c);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineStyle(new BasicStroke(2f));
      for (Model m : line) {
        // An interval bar: a short vertical segment of its own, kept out of the legend.
        double x = m.config().parallelism();
        XYSeries bar = chart.addSeries(mode + " interval " + x, new double[] {x, x}, new double[] {m.rateSpeedup().low(), m.rateSpeedup().high()});
        bar.setLineColor(c);
        bar.setMarkerColor(c);
        bar.setMarker(SeriesMarkers.DIAMOND);
        bar.setLineStyle(new BasicStroke(1.5f));
        bar.setShowInLegend(false);
      }
      AmdahlFit fit = a.fit(w, mode).orElse(null);
      if (fit != null && fit.points() > 0 && fit.serialFraction() < 0.999 && line.get(0).config().inFlight() <= 1) {
        double[] fx = new double[41];
        double[] fy = new double[fx.length];
        for (int i = 0; i < fx.length; i++) {
          fx[i] = 1 + (Math.max(2, maxP) - 1) * i / 40.0;
          fy[i] = Scaling.amdahl(fit.serialFraction(), fx[i]);
        }
        XYSeries amdahl = chart.addSeries(String.format(Locale.ROOT, "%s Amdahl (serial %.2f)", mode, fit.serialFraction()), fx, fy);
        amdahl.setLineColor(c);
        amdahl.setLineStyle(SeriesLines.DASH_DASH);
        amdahl.setMarker(SeriesMarkers.NONE);
      }
    }
    return chart;
  }

  private static CategoryChart breakdownPanel(Analysis a, String w) {
    List<Point> ps = a.pointsAtLargestSize(w);
    long n = ps.isEmpty() ? 0 : ps.get(0).items();
    CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(String.format(Locale.ROOT, "%s: where the time goes at %,d %s (medians)", w, n, Verdict.unit(w)))
        .xAxisTitle("configuration").yAxisTitle("seconds").build();
    style(chart.getStyler());
    chart.getStyler().setStacked(true);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setYAxisDecimalPattern("0.0");
    List<String> labels = ps.stream().map(p -> p.config().shortLabel()).toList();
    if (labels.isEmpty()) {
      chart.setTitle(w + ": no runs to show");
      chart.addSeries("none", List.of("-"), List.of(0));
      return chart;
    }
    chart.addSeries("start-up (before the first item)", labels, ps.stream().map(p -> (Number) p.startupSeconds()).toList())
        .setFillColor(new Color(0xf2, 0xa5, 0x41));
    chart.addSeries("work (first item to last)", labels, ps.stream().map(p -> (Number) p.pipelineSeconds()).toList())
        .setFillColor(new Color(0x1f, 0x77, 0xb4));
    chart.addSeries("teardown (after the last item)", labels, ps.stream().map(p -> (Number) p.teardownSeconds()).toList())
        .setFillColor(new Color(0x99, 0x99, 0x99));
    return chart;
  }

  private static XYChart scalingPanel(Analysis a, String w) {
    XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
        .title(w + ": time against input size (fitted lines, measured points)").xAxisTitle(Verdict.unit(w)).yAxisTitle("seconds").build();
    style(chart.getStyler());
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    List<Model> best = Crossovers.bestPerMode(a.models(), w);
    long smallest = a.points().stream().filter(p -> p.config().workload().equals(w)).mapToLong(Point::items).min().orElse(1);
    double largest = Math.max(a.predictAt().getOrDefault(w, 1L), a.points().stream().mapToLong(Point::items).max().orElse(1));
    for (var c : a.crossovers()) {
      if (c.workload().equals(w) && c.aboveItems() != null) {
        largest = Math.max(largest, c.aboveItems() * 3);
      }
    }
    double from = Math.max(1, smallest / 2.0);
    double to = Math.min(Analysis.NEVER_BELOW, largest * 1.5);
    for (Model m : best) {
      Color c = MODE_COLORS.getOrDefault(m.config().mode(), Color.BLACK);
      double[] x = new double[41];
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = from * Math.pow(to / from, i / 40.0);
        y[i] = m.cost().predictSeconds(x[i]).value();
      }
      XYSeries line = chart.addSeries(m.config().shortLabel() + " fitted", x, y);
      line.setLineColor(c);
      line.setMarker(SeriesMarkers.NONE);
      line.setLineStyle(new BasicStroke(2f));
      List<Point> measured = a.points().stream().filter(p -> p.config().equals(m.config())).toList();
      if (!measured.isEmpty()) {
        XYSeries pts = chart.addSeries(m.config().shortLabel() + " measured", measured.stream().mapToDouble(Point::items).toArray(),
            measured.stream().mapToDouble(p -> p.wallSeconds().value()).toArray());
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        pts.setMarker(SeriesMarkers.CIRCLE);
        pts.setMarkerColor(c);
        pts.setShowInLegend(false);
      }
      for (ModelCheck k : a.checks()) {
        if (k.workload().equals(w) && k.mode().equals(m.config().mode()) && k.workers() == m.config().parallelism()) {
          XYSeries check = chart.addSeries(m.config().shortLabel() + " model check (measured)", new double[] {k.items()},
              new double[] {k.measuredSeconds()});
          check.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
          check.setMarker(SeriesMarkers.SQUARE);
          check.setMarkerColor(Color.BLACK);
        }
      }
    }
    if (best.isEmpty()) {
      chart.setTitle(w + ": no model to show (a successful run at two sizes is needed)");
      chart.addSeries("none", new double[] {1, 2}, new double[] {1, 1}).setShowInLegend(false);
    }
    return chart;
  }
}
