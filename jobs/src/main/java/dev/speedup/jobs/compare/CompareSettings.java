package dev.speedup.jobs.compare;

import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The flags of {@code compare}. Parsed here rather than as Beam options: compare runs no pipeline itself,
 * and its {@code --parallelism} is a list, where Beam's registry already holds Flink's single number.
 */
public record CompareSettings(
    List<String> workloads,
    List<String> modes,
    List<Integer> parallelism,
    int repeats,
    Path output,
    int days,
    Duration fixtureLatency,
    int images,
    String input,
    boolean parallelismGiven,
    List<Double> sizes,
    Map<String, Long> predict,
    String baselines) {

  public static final List<String> WORKLOADS = List.of("fetch", "images");
  public static final List<String> MODES = List.of("sequential", "threads", "async", "flink-local", "flink-cluster");

  /** Flag name -> {default, meaning}, in help order. */
  static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("workloads", new String[] {"fetch,images", "workloads to run, from: fetch, images"});
    FLAGS.put("modes", new String[] {"sequential,threads,async,flink-local",
        "modes to compare, from: sequential, threads, async, flink-local, flink-cluster (starts and stops the local cluster)"});
    FLAGS.put("parallelism", new String[] {"(the cores and twice the cores; Flink at the cores)",
        "worker counts (threads or task slots) to try, 1..64 each; given, it applies to every mode"});
    FLAGS.put("repeats", new String[] {"2", "measured runs per configuration and size, each in a fresh JVM (1..50)"});
    FLAGS.put("sizes", new String[] {"1,4", "input sizes to fit the cost model on, as multiples of --days and --images (two or more, 0.01..100);"
        + " one configuration per workload (the verdict's) is then checked at 1.5 times the largest. With --input: a quarter and half of the folder, checked on all of it"});
    FLAGS.put("predict", new String[] {"images:5856,fetch:3650", "sizes to predict and answer at (workload:items,...); defaults: the chest"
        + " X-ray set's 5,856 images and ten years of dates"});
    FLAGS.put("output", new String[] {"target/compare", "folder for report.html, report.md, results.csv, results.json and the charts"});
    FLAGS.put("days", new String[] {"15", "fetch: dates per run at size 1, against the embedded stand-in (1..36600)"});
    FLAGS.put("fixtureLatency", new String[] {"50ms", "fetch: the stand-in's latency per request"});
    FLAGS.put("images", new String[] {"80", "images: generated images at size 1 (1..100000); ignored with --input"});
    FLAGS.put("input", new String[] {"(generated corpus)", "images: a folder of your own images instead (the model is fitted on subsets of it)"});
    FLAGS.put("baselines", new String[] {"none", "none, or python: also run the talk's own methods (loop, ThreadPoolExecutor,"
        + " ProcessPoolExecutor, asyncio) on the same inputs, when python3 has the packages they need"});
  }

  public static String help() {
    StringBuilder b = new StringBuilder();
    b.append("usage: speedup compare [--flag=value ...]\n\n")
        .append("Runs each workload under each mode and parallelism at two or more input sizes, every measured run in a\n")
        .append("fresh JVM after one warm-up; fits each configuration's time as start-up + teardown + items / rate; checks\n")
        .append("the fit on a larger run; and answers which mode and how many workers pay off, at your size (--predict).\n\n");
    FLAGS.forEach((name, d) -> b.append(String.format(Locale.ROOT, "  --%-16s %s%n  %-18s default: %s%n", name, d[1], "", d[0])));
    return b.toString();
  }

  public static CompareSettings parse(List<String> args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String flag : Args.lastWins(Args.expand(args))) {
      if (!flag.startsWith("--") || !flag.contains("=")) {
        throw new UsageException("compare takes --flag=value arguments; got '" + flag + "' (see compare --help)");
      }
      String name = flag.substring(2, flag.indexOf('='));
      if (!FLAGS.containsKey(name)) {
        throw new UsageException("unknown flag --" + name + " (allowed: --" + String.join(", --", FLAGS.keySet()) + ")");
      }
      values.put(name, flag.substring(flag.indexOf('=') + 1));
    }
    FLAGS.forEach((name, d) -> values.putIfAbsent(name, d[0].startsWith("(") ? null : d[0]));

    List<String> workloads = names("workloads", values.get("workloads"), WORKLOADS);
    List<String> modes = names("modes", values.get("modes"), MODES);
    List<Integer> parallelism = new ArrayList<>();
    int cores = Runtime.getRuntime().availableProcessors();
    String parallelismFlag = values.get("parallelism") == null ? cores + "," + Math.min(64, 2 * cores) : values.get("parallelism");
    for (String p : parallelismFlag.split(",")) {
      try {
        int n = Integer.parseInt(p.trim());
        if (n < 1 || n > 64) {
          throw new NumberFormatException();
        }
        if (!parallelism.contains(n)) {
          parallelism.add(n);
        }
      } catch (NumberFormatException e) {
        throw UsageException.badValue("parallelism", parallelismFlag, "a comma-separated list of 1..64, e.g. 1,2,4,8");
      }
    }
    parallelism.sort(null);
    int repeats = number("repeats", values.get("repeats"), 1, 50);
    int days = number("days", values.get("days"), 1, 36_600);
    int images = number("images", values.get("images"), 1, 100_000);
    Duration latency = Args.duration("fixtureLatency", values.get("fixtureLatency"));
    String output = values.get("output");
    if (output.isBlank()) {
      throw UsageException.badValue("output", output, "a folder path");
    }
    List<Double> sizes = sizes(values.get("sizes"));
    Map<String, Long> predict = predict(values.get("predict"));
    String baselines = values.get("baselines").trim().toLowerCase(Locale.ROOT);
    if (!List.of("none", "python").contains(baselines)) {
      throw UsageException.badValue("baselines", values.get("baselines"), "none or python");
    }
    return new CompareSettings(workloads, modes, List.copyOf(parallelism), repeats, UsageException.path("output", output).toAbsolutePath().normalize(),
        days, latency, images, values.get("input"), values.get("parallelism") != null, sizes, predict, baselines);
  }

  private static List<Double> sizes(String value) {
    Set<Double> out = new java.util.TreeSet<>();
    for (String v : value.split(",")) {
      try {
        double d = Double.parseDouble(v.trim());
        if (!(d >= 0.01 && d <= 100)) {
          throw new NumberFormatException();
        }
        out.add(d);
      } catch (NumberFormatException e) {
        throw UsageException.badValue("sizes", value, "two or more multiples of the base size, 0.01..100 each, e.g. 1,4");
      }
    }
    if (out.size() < 2) {
      throw UsageException.badValue("sizes", value, "two or more different multiples (a line needs two sizes), e.g. 1,4");
    }
    return List.copyOf(out);
  }

  /** The default sizes, with the workloads {@code value} names set to its sizes. */
  private static Map<String, Long> predict(String value) {
    Map<String, Long> out = new LinkedHashMap<>(Map.of("images", 5856L, "fetch", 3650L));
    for (String v : value.split(",")) {
      String[] kv = v.trim().split(":");
      try {
        long n = Long.parseLong(kv[1].trim().replace("_", ""));
        if (kv.length != 2 || !WORKLOADS.contains(kv[0].trim()) || n < 1 || n > 10_000_000) {
          throw new NumberFormatException();
        }
        out.put(kv[0].trim(), n);
      } catch (RuntimeException e) {
        throw UsageException.badValue("predict", value, "workload:items pairs, workloads from " + String.join(", ", WORKLOADS)
            + ", items 1..10000000, e.g. images:5856,fetch:3650");
      }
    }
    return out;
  }

  /** The settings as results.json records them. */
  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workloads", workloads);
    m.put("modes", modes);
    m.put("parallelism", parallelism);
    m.put("repeats", repeats);
    m.put("sizes", sizes);
    m.put("predict", predict);
    m.put("days", days);
    m.put("fixtureLatencyMs", fixtureLatency.toMillis());
    m.put("images", input == null ? images : null);
    m.put("input", input);
    m.put("baselines", baselines);
    return m;
  }

  private static List<String> names(String flag, String value, List<String> allowed) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : value.split(",")) {
      String name = v.trim().toLowerCase(Locale.ROOT);
      if (!allowed.contains(name)) {
        throw UsageException.badValue(flag, value, "a comma-separated list from " + String.join(", ", allowed));
      }
      out.add(name);
    }
    return List.copyOf(out);
  }

  private static int number(String flag, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw UsageException.badValue(flag, value, min + ".." + max);
  }
}
