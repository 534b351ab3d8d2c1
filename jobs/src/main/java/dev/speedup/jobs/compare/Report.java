package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Analysis.Fit;
import dev.speedup.jobs.compare.Analysis.Point;
import dev.speedup.jobs.compare.Run.Result;
import dev.speedup.jobs.output.BeamFiles;
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

/** Writes a comparison's files: results.csv, results.json, report.md, speedup.png and a self-contained report.html. */
final class Report {
  static final String CSV = "results.csv";
  static final String JSON = "results.json";
  static final String MARKDOWN = "report.md";
  static final String CHART = "speedup.png";
  static final String HTML = "report.html";

  private Report() {}

  static void write(Path dir, CompareSettings s, Machine machine, List<Result> results, Analysis a, List<String> notes, String command)
      throws IOException {
    byte[] png = SpeedupChart.png(a, s.workloads(), s.modes(), s.parallelism());
    BeamFiles.writeAtomically(dir.resolve(CHART).toString(), png);
    BeamFiles.writeAtomically(dir.resolve(CSV).toString(), csv(results).getBytes(StandardCharsets.UTF_8));
    BeamFiles.writeAtomically(dir.resolve(JSON).toString(), Json.pretty(json(s, machine, results, a, notes, command)));
    BeamFiles.writeAtomically(dir.resolve(MARKDOWN).toString(), markdown(s, machine, a, notes, command).getBytes(StandardCharsets.UTF_8));
    BeamFiles.writeAtomically(dir.resolve(HTML).toString(), html(s, machine, a, notes, command, png).getBytes(StandardCharsets.UTF_8));
  }

  static String csv(List<Result> results) {
    StringBuilder b = new StringBuilder(String.join(",", Run.CSV_HEADER)).append('\n');
    for (Result r : results) {
      List<String> f = List.of(r.config().workload(), r.config().mode(), Integer.toString(r.config().parallelism()),
          Integer.toString(r.config().inFlight()), Integer.toString(r.repeat()), Integer.toString(r.exitCode()),
          num(r.wallSeconds(), 3), num(r.pipelineSeconds(), 3), num(r.startupSeconds(), 3), num(r.startupShare(), 3),
          Long.toString(r.items()), num(r.itemsPerSecond(), 2), Long.toString(r.failures()), num(r.cpuSeconds(), 3),
          num(r.peakRssMB(), 1), Long.toString(r.peakInFlightPerWorker()), r.checksum() == null ? "" : r.checksum(),
          Boolean.toString(r.wrong()));
      b.append(String.join(",", f.stream().map(Csv::field).toList())).append('\n');
    }
    return b.toString();
  }

  private static Map<String, Object> json(CompareSettings s, Machine machine, List<Result> results, Analysis a, List<String> notes, String command) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("command", command);
    root.put("machine", machine.asMap());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("workloads", s.workloads());
    settings.put("modes", s.modes());
    settings.put("parallelism", s.parallelism());
    settings.put("repeats", s.repeats());
    settings.put("days", s.days());
    settings.put("fixtureLatencyMs", s.fixtureLatency().toMillis());
    settings.put("images", s.input() == null ? s.images() : null);
    settings.put("input", s.input());
    root.put("settings", settings);
    List<Map<String, Object>> configs = new ArrayList<>();
    for (Point p : a.points()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", p.config().workload());
      m.put("mode", p.config().mode());
      m.put("parallelism", p.config().parallelism());
      m.put("inFlightPerWorker", p.config().inFlight());
      m.put("runs", p.runs());
      m.put("wrongRuns", p.wrongRuns());
      m.put("medianWallSeconds", round(p.medianWall(), 3));
      m.put("wallRangeSeconds", round(p.wallRange(), 3));
      m.put("medianPipelineSeconds", round(p.medianPipeline(), 3));
      m.put("medianStartupSeconds", round(p.medianStartup(), 3));
      m.put("medianCpuSeconds", round(p.medianCpu(), 3));
      m.put("peakRssMB", round(p.maxRssMB(), 1));
      m.put("items", p.items());
      m.put("itemsPerSecond", round(p.itemsPerSecond(), 2));
      m.put("failures", p.failures());
      m.put("peakInFlightPerWorker", p.peakInFlightPerWorker());
      m.put("speedup", round(p.speedup(), 3));
      m.put("efficiency", round(p.efficiency(), 3));
      m.put("pipelineSpeedup", round(p.pipelineSpeedup(), 3));
      m.put("karpFlatt", round(p.karpFlatt(), 3));
      m.put("ioBoundSeconds", round(p.ioBoundSeconds(), 3));
      configs.add(m);
    }
    root.put("configurations", configs);
    List<Map<String, Object>> fits = new ArrayList<>();
    for (Fit f : a.fits()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", f.workload());
      m.put("mode", f.mode());
      m.put("serialFraction", round(f.serialFraction(), 4));
      m.put("maxSpeedup", Double.isInfinite(f.maxSpeedup()) ? null : round(f.maxSpeedup(), 3));
      m.put("points", f.points());
      fits.add(m);
    }
    root.put("amdahlFits", fits);
    root.put("findings", a.findings());
    root.put("notes", notes);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", r.config().workload());
      m.put("mode", r.config().mode());
      m.put("parallelism", r.config().parallelism());
      m.put("repeat", r.repeat());
      m.put("exitCode", r.exitCode());
      m.put("wallSeconds", round(r.wallSeconds(), 3));
      m.put("pipelineSeconds", round(r.pipelineSeconds(), 3));
      m.put("startupSeconds", round(r.startupSeconds(), 3));
      m.put("items", r.items());
      m.put("failures", r.failures());
      m.put("cpuSeconds", round(r.cpuSeconds(), 3));
      m.put("peakRssMB", round(r.peakRssMB(), 1));
      m.put("peakInFlightPerWorker", r.peakInFlightPerWorker());
      m.put("checksum", r.checksum());
      m.put("wrong", r.wrong());
      runs.add(m);
    }
    root.put("runs", runs);
    return root;
  }

  private static final List<String> TABLE_HEADER = List.of(
      "workload", "mode", "workers", "median wall s", "spread s", "pipeline s", "start-up share", "speedup", "efficiency",
      "Karp-Flatt", "items/s", "CPU s", "peak RSS MB", "in flight/worker", "output");

  private static List<List<String>> table(Analysis a) {
    List<List<String>> rows = new ArrayList<>();
    for (Point p : a.points()) {
      rows.add(List.of(
          p.config().workload(), p.config().mode(), Integer.toString(p.config().parallelism()),
          num(p.medianWall(), 2), num(p.wallRange(), 2), num(p.medianPipeline(), 2),
          pct(p.medianWall() > 0 ? p.medianStartup() / p.medianWall() : Double.NaN),
          p.speedup() != p.speedup() ? "-" : num(p.speedup(), 2) + "x",
          pct(p.efficiency()),
          p.karpFlatt() != p.karpFlatt() ? "-" : num(p.karpFlatt(), 2),
          num(p.itemsPerSecond(), 1), num(p.medianCpu(), 2), num(p.maxRssMB(), 0),
          p.config().workload().equals("fetch") ? Long.toString(p.peakInFlightPerWorker()) : "-",
          p.wrongRuns() == 0 ? "same as sequential" : "WRONG (" + p.wrongRuns() + " of " + p.runs() + ")"));
    }
    return rows;
  }

  static String markdown(CompareSettings s, Machine machine, Analysis a, List<String> notes, String command) {
    StringBuilder b = new StringBuilder("# Which parallelism pays off: measured on this machine\n\n");
    b.append("Command: `").append(command).append("`  \n");
    b.append("Machine: ").append(machine.describe()).append("\n\n");
    b.append("Each configuration ran ").append(s.repeats()).append(" time(s), each in a fresh JVM, after one warm-up per workload; ")
        .append("figures are medians, spread is max - min. Speedup and efficiency are against the sequential run of the same workload, ")
        .append("whole process; Karp-Flatt is the serial fraction the speedup implies.\n\n");
    b.append("![speedup](").append(CHART).append(")\n\n");
    b.append("| ").append(String.join(" | ", TABLE_HEADER)).append(" |\n");
    b.append("|").append("---|".repeat(TABLE_HEADER.size())).append('\n');
    for (List<String> row : table(a)) {
      b.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    b.append("\n## Amdahl fits\n\n| workload | mode | serial fraction | at most |\n|---|---|---|---|\n");
    for (Fit f : a.fits()) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s |%n", f.workload(), f.mode(), f.serialFraction(), atMost(f)));
    }
    b.append("\n## Findings\n\n");
    for (String f : a.findings()) {
      b.append("- ").append(f).append('\n');
    }
    if (!notes.isEmpty()) {
      b.append("\n## Notes\n\n");
      for (String n : notes) {
        b.append("- ").append(n).append('\n');
      }
    }
    return b.toString();
  }

  static String html(CompareSettings s, Machine machine, Analysis a, List<String> notes, String command, byte[] png) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>beam-speedup: compare</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1320px;color:#222;padding:0 1em}\n")
        .append("table{border-collapse:collapse;font-size:14px;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
        .append("th{background:#f2f2f2}td:nth-child(1),td:nth-child(2){text-align:left}.wrong{background:#fdd;font-weight:bold}\n")
        .append("img{max-width:100%;border:1px solid #ddd}code{background:#f5f5f5;padding:1px 4px}\n</style></head><body>\n");
    b.append("<h1>Which parallelism pays off: measured on this machine</h1>\n");
    b.append("<p><b>Machine:</b> ").append(esc(machine.describe())).append("<br><b>Command:</b> <code>").append(esc(command)).append("</code></p>\n");
    b.append("<h2>Findings</h2>\n<ul>\n");
    for (String f : a.findings()) {
      b.append("<li").append(f.startsWith("WRONG") ? " class=\"wrong\"" : "").append('>').append(esc(f)).append("</li>\n");
    }
    b.append("</ul>\n<h2>Speedup</h2>\n<img alt=\"speedup against parallelism per mode and workload, with the ideal line and Amdahl fits\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    b.append("<h2>Results</h2>\n<p>Medians of ").append(s.repeats())
        .append(" run(s) per configuration, each in a fresh JVM after one warm-up; speedup and efficiency against sequential, whole process.</p>\n");
    b.append("<table>\n<thead><tr>");
    for (String h : TABLE_HEADER) {
      b.append("<th>").append(esc(h)).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : table(a)) {
      b.append(row.get(row.size() - 1).startsWith("WRONG") ? "<tr class=\"wrong\">" : "<tr>");
      for (String cell : row) {
        b.append("<td>").append(esc(cell)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table>\n<h2>Amdahl fits</h2>\n<table><thead><tr><th>workload</th><th>mode</th><th>serial fraction</th><th>at most</th></tr></thead><tbody>\n");
    for (Fit f : a.fits()) {
      b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.3f</td><td>%s</td></tr>%n", esc(f.workload()), esc(f.mode()),
          f.serialFraction(), atMost(f)));
    }
    b.append("</tbody></table>\n");
    if (!notes.isEmpty()) {
      b.append("<h2>Notes</h2>\n<ul>\n");
      for (String n : notes) {
        b.append("<li>").append(esc(n)).append("</li>\n");
      }
      b.append("</ul>\n");
    }
    b.append("<p>Raw runs: <code>").append(CSV).append("</code>, <code>").append(JSON).append("</code>.</p>\n</body></html>\n");
    return b.toString();
  }

  /** The fit's ceiling; a fit pinned at 1 means no speedup at all: overhead, which Amdahl's law does not model. */
  private static String atMost(Fit f) {
    if (f.serialFraction() >= 0.999) {
      return "no speedup (slower than sequential: overhead, not serial work)";
    }
    return Double.isInfinite(f.maxSpeedup()) ? "no limit" : String.format(Locale.ROOT, "%.2fx", f.maxSpeedup());
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String num(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
  }

  private static Double round(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
