package dev.speedup.jobs.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.speedup.jobs.compare.Analysis.Model;
import dev.speedup.jobs.compare.Analysis.Point;
import dev.speedup.jobs.compare.Bootstrap.Interval;
import dev.speedup.jobs.compare.Run.Result;
import dev.speedup.transforms.BeamFiles;
import dev.speedup.jobs.output.Csv;
import dev.speedup.jobs.output.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a comparison's files: results.csv (one row a run), results.json (everything), report.md and a
 * self-contained report.html (verdict first), and the three charts. The tables of every format come from the
 * same records ({@link Result}, {@link Row}), turned into ordered maps once.
 */
final class Report {
  static final String CSV = "results.csv";
  static final String JSON = "results.json";
  static final String MARKDOWN = "report.md";
  static final String HTML = "report.html";
  static final String CHART = "speedup.png";
  static final String BREAKDOWN = "breakdown.png";
  static final String SCALING = "scaling.png";
  static final String TITLE = "Which parallelism pays off: measured on this machine";

  private Report() {}

  /** Everything a report states, computed once. */
  record Contents(CompareSettings settings, Machine machine, Analysis analysis, List<String> verdicts, List<String> findings,
      List<String> notes, String command, List<Baselines.Line> baselines) {}

  /** One row of the configurations table: a configuration at the workload's largest fitted size, and its model. */
  @JsonPropertyOrder({"workload", "mode", "workers", "items", "median wall s", "whole-run speedup", "per-item speedup", "items/s",
      "start-up s", "work s", "teardown s", "CPU s", "peak RSS MB", "in flight/worker", "output"})
  record Row(
      String workload, String mode, int workers, long items,
      @JsonProperty("median wall s") String wall,
      @JsonProperty("whole-run speedup") String speedup,
      @JsonProperty("per-item speedup") String rateSpeedup,
      @JsonProperty("items/s") String itemsPerSecond,
      @JsonProperty("start-up s") String startup,
      @JsonProperty("work s") String work,
      @JsonProperty("teardown s") String teardown,
      @JsonProperty("CPU s") String cpu,
      @JsonProperty("peak RSS MB") String rss,
      @JsonProperty("in flight/worker") String inFlight,
      String output) {}

  static void write(Path dir, Contents c) throws IOException {
    Map<String, byte[]> charts = new LinkedHashMap<>();
    charts.put(CHART, Charts.speedup(c.analysis()));
    charts.put(BREAKDOWN, Charts.breakdown(c.analysis()));
    charts.put(SCALING, Charts.scaling(c.analysis()));
    for (Map.Entry<String, byte[]> e : charts.entrySet()) {
      BeamFiles.writeAtomically(dir.resolve(e.getKey()).toString(), e.getValue());
    }
    BeamFiles.writeAtomically(dir.resolve(CSV).toString(), csv(c.analysis().results()).getBytes(StandardCharsets.UTF_8));
    BeamFiles.writeAtomically(dir.resolve(JSON).toString(), Json.pretty(json(c)));
    BeamFiles.writeAtomically(dir.resolve(MARKDOWN).toString(), markdown(c).getBytes(StandardCharsets.UTF_8));
    BeamFiles.writeAtomically(dir.resolve(HTML).toString(), html(c, charts).getBytes(StandardCharsets.UTF_8));
  }

  /** Records as ordered maps, their keys the column names. */
  static List<Map<String, Object>> maps(List<?> records) {
    return Json.mapper().convertValue(records, new TypeReference<List<Map<String, Object>>>() {});
  }

  static String csv(List<Result> results) {
    List<Map<String, Object>> rows = maps(results);
    StringBuilder b = new StringBuilder();
    if (!rows.isEmpty()) {
      b.append(String.join(",", rows.get(0).keySet())).append('\n');
    }
    for (Map<String, Object> r : rows) {
      b.append(String.join(",", r.values().stream().map(v -> Csv.field(v == null ? "" : v.toString())).toList())).append('\n');
    }
    return b.toString();
  }

  private static Map<String, Object> json(Contents c) {
    Analysis a = c.analysis();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("command", c.command());
    root.put("machine", c.machine().asMap());
    root.put("settings", c.settings().asMap());
    root.put("verdict", c.verdicts());
    root.put("findings", c.findings());
    List<Map<String, Object>> model = new ArrayList<>();
    for (Model m : a.models()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("workload", m.config().workload());
      e.put("mode", m.config().mode());
      e.put("workers", m.config().parallelism());
      e.put("startupSeconds", m.startupSeconds());
      e.put("teardownSeconds", m.teardownSeconds());
      e.put("itemsPerSecond", m.itemsPerSecond());
      e.put("perItemSpeedup", m.rateSpeedup());
      e.put("efficiency", finite(m.efficiency()));
      e.put("karpFlatt", finite(m.karpFlatt()));
      e.put("sizes", m.cost().sizes());
      model.add(e);
    }
    root.put("model", model);
    root.put("predictions", a.predictions());
    root.put("crossovers", a.crossovers());
    root.put("modelCheck", a.checks());
    root.put("amdahlFits", a.fits());
    root.put("configurations", maps(rows(a)));
    root.put("baselines", c.baselines());
    root.put("lesson", Baselines.lesson(c.baselines(), a).orElse(null));
    root.put("notes", c.notes());
    root.put("runs", a.results());
    return root;
  }

  static List<Row> rows(Analysis a) {
    List<Row> rows = new ArrayList<>();
    for (String w : a.workloads()) {
      for (Point p : a.pointsAtLargestSize(w)) {
        Model m = a.model(p.config()).orElse(null);
        rows.add(new Row(w, p.config().mode(), p.config().parallelism(), p.items(), interval(p.wallSeconds(), 2, ""),
            interval(p.speedup(), 2, "x"), m == null ? "-" : interval(m.rateSpeedup(), 2, "x"),
            m == null ? "-" : interval(m.itemsPerSecond(), 1, ""), num(p.startupSeconds()), num(p.pipelineSeconds()), num(p.teardownSeconds()),
            num(p.cpuSeconds()), String.format(Locale.ROOT, "%.0f", p.peakRssMB()),
            p.config().inFlight() > 1 ? p.peakInFlightPerWorker() + " of " + p.config().inFlight() : "-",
            p.wrongRuns() == 0 ? "same as sequential" : "WRONG (" + p.wrongRuns() + " of " + p.runs() + ")"));
      }
    }
    return rows;
  }

  private static String explanation(CompareSettings s) {
    return "Every run is a fresh JVM, after one warm-up per workload; each configuration ran " + s.repeats() + " time(s) at each of "
        + "the sizes below. Figures are medians with 95% bootstrap intervals (fixed seed). Each configuration's wall time is modelled as "
        + "T(n) = start-up + teardown + n / rate, fitted across the sizes; per-item speedup is its rate over sequential's (the parallel "
        + "scaling, free of start-up), whole-run speedup is measured at the size shown. Overlapping intervals are no measurable difference.";
  }

  static String markdown(Contents c) {
    Analysis a = c.analysis();
    StringBuilder b = new StringBuilder("# ").append(TITLE).append("\n\n## Verdict\n\n");
    c.verdicts().forEach(v -> b.append("- ").append(v).append('\n'));
    b.append("\n## Findings\n\n");
    for (int i = 0; i < c.findings().size(); i++) {
      b.append(i + 1).append(". ").append(c.findings().get(i)).append('\n');
    }
    b.append("\n![per-item speedup](").append(CHART).append(")\n![where the time goes](").append(BREAKDOWN)
        .append(")\n![time against size](").append(SCALING).append(")\n\n## Configurations\n\n").append(explanation(c.settings())).append("\n\n");
    table(maps(rows(a)), b);
    b.append("\n## Predictions\n\n");
    table(maps(a.predictions()), b);
    b.append("\n## Crossovers\n\n");
    table(maps(a.crossovers()), b);
    b.append("\n## Model check\n\n");
    table(maps(a.checks()), b);
    if (!c.baselines().isEmpty()) {
      b.append("\n## The talk's methods in Python, same inputs\n\n");
      Baselines.lesson(c.baselines(), a).ifPresent(l -> b.append(l).append("\n\n"));
      table(maps(c.baselines()), b);
    }
    b.append("\nMachine: ").append(c.machine().describe()).append("  \nCommand: `").append(c.command()).append("`\n");
    if (!c.notes().isEmpty()) {
      b.append("\n## Notes\n\n");
      c.notes().forEach(n -> b.append("- ").append(n).append('\n'));
    }
    return b.toString();
  }

  private static void table(List<Map<String, Object>> rows, StringBuilder b) {
    if (rows.isEmpty()) {
      b.append("(none)\n");
      return;
    }
    b.append("| ").append(String.join(" | ", rows.get(0).keySet())).append(" |\n|").append("---|".repeat(rows.get(0).size())).append('\n');
    for (Map<String, Object> r : rows) {
      b.append("| ").append(String.join(" | ", r.values().stream().map(Report::cell).toList())).append(" |\n");
    }
  }

  static String html(Contents c, Map<String, byte[]> charts) {
    Analysis a = c.analysis();
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>beam-speedup: compare</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1320px;color:#222;padding:0 1em}\n")
        .append("table{border-collapse:collapse;font-size:13px;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
        .append("th{background:#f2f2f2}td:nth-child(1),td:nth-child(2){text-align:left}.wrong{background:#fdd;font-weight:bold}\n")
        .append("#verdict li{font-size:17px;margin:.4em 0}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}code{background:#f5f5f5;padding:1px 4px}\n")
        .append("</style></head><body>\n<h1>").append(esc(TITLE)).append("</h1>\n");
    b.append("<section id=\"verdict\"><h2>Verdict</h2>\n<ul>\n");
    c.verdicts().forEach(v -> b.append("<li>").append(esc(v)).append("</li>\n"));
    b.append("</ul></section>\n<section id=\"findings\"><h2>Findings</h2>\n<ol>\n");
    for (String f : c.findings()) {
      b.append("<li").append(f.startsWith("WRONG") ? " class=\"wrong\"" : "").append('>').append(esc(f)).append("</li>\n");
    }
    b.append("</ol></section>\n<section id=\"charts\"><h2>Charts</h2>\n");
    Map<String, String> alt = Map.of(CHART, "per-item speedup against workers, with 95% intervals", BREAKDOWN,
        "start-up, work and teardown per configuration", SCALING, "time against input size, fitted lines and measured points");
    charts.forEach((name, png) -> b.append("<img id=\"").append(name.replace(".png", "")).append("\" alt=\"").append(esc(alt.get(name)))
        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">\n"));
    b.append("</section>\n<section id=\"configurations\"><h2>Configurations</h2>\n<p>").append(esc(explanation(c.settings()))).append("</p>\n");
    htmlTable(maps(rows(a)), b);
    b.append("</section>\n<h2>Predictions</h2>\n");
    htmlTable(maps(a.predictions()), b);
    b.append("<h2>Crossovers</h2>\n<p>Above <code>aboveItems</code>, <code>faster</code> beats <code>slower</code>; empty: <code>faster</code> "
        + "is at least as fast at every size below 10^7.</p>\n");
    htmlTable(maps(a.crossovers()), b);
    b.append("<h2>Model check</h2>\n");
    htmlTable(maps(a.checks()), b);
    if (!c.baselines().isEmpty()) {
      b.append("<h2>The talk's methods in Python, same inputs</h2>\n");
      Baselines.lesson(c.baselines(), a).ifPresent(l -> b.append("<p>").append(esc(l)).append("</p>\n"));
      htmlTable(maps(c.baselines()), b);
    }
    b.append("<p><b>Machine:</b> ").append(esc(c.machine().describe())).append("<br><b>Command:</b> <code>").append(esc(c.command()))
        .append("</code></p>\n");
    if (!c.notes().isEmpty()) {
      b.append("<h2>Notes</h2>\n<ul>\n");
      c.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>\n"));
      b.append("</ul>\n");
    }
    b.append("<p>Raw runs: <code>").append(CSV).append("</code>, <code>").append(JSON).append("</code>.</p>\n</body></html>\n");
    return b.toString();
  }

  private static void htmlTable(List<Map<String, Object>> rows, StringBuilder b) {
    if (rows.isEmpty()) {
      b.append("<p>(none)</p>\n");
      return;
    }
    b.append("<table>\n<thead><tr>");
    rows.get(0).keySet().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr></thead>\n<tbody>\n");
    for (Map<String, Object> r : rows) {
      b.append(String.valueOf(r.get("output")).startsWith("WRONG") ? "<tr class=\"wrong\">" : "<tr>");
      r.values().forEach(v -> b.append("<td>").append(esc(cell(v))).append("</td>"));
      b.append("</tr>\n");
    }
    b.append("</tbody></table>\n");
  }

  private static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3f", d);
    }
    if (v instanceof Map<?, ?> m && m.containsKey("value")) {
      return cell(m.get("value")) + " (" + cell(m.get("low")) + "-" + cell(m.get("high")) + ")";
    }
    return v.toString();
  }

  static String interval(Interval i, int decimals, String suffix) {
    if (i == null) {
      return "-";
    }
    String f = "%." + decimals + "f";
    return String.format(Locale.ROOT, f + suffix + " (" + f + "-" + f + ")", i.value(), i.low(), i.high());
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
