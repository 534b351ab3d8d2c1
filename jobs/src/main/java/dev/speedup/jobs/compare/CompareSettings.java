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
    String input) {

  public static final List<String> WORKLOADS = List.of("fetch", "images");
  public static final List<String> MODES = List.of("sequential", "threads", "async", "flink-local", "flink-cluster");

  /** Flag name -> {default, meaning}, in help order. */
  static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("workloads", new String[] {"fetch,images", "workloads to run, from: fetch, images"});
    FLAGS.put("modes", new String[] {"sequential,threads,async,flink-local",
        "modes to compare, from: sequential, threads, async, flink-local, flink-cluster (starts and stops the local cluster)"});
    FLAGS.put("parallelism", new String[] {"(the cores and twice the cores)", "worker counts (threads or task slots) to try, 1..64 each"});
    FLAGS.put("repeats", new String[] {"3", "measured runs per configuration, each in a fresh JVM (1..50)"});
    FLAGS.put("output", new String[] {"target/compare", "folder for results.csv, results.json, report.md, speedup.png, report.html"});
    FLAGS.put("days", new String[] {"60", "fetch: dates per run, against the embedded stand-in (1..36600)"});
    FLAGS.put("fixtureLatency", new String[] {"50ms", "fetch: the stand-in's latency per request"});
    FLAGS.put("images", new String[] {"300", "images: size of the generated corpus (1..100000); ignored with --input"});
    FLAGS.put("input", new String[] {"(generated corpus)", "images: a folder of your own images instead"});
  }

  public static String help() {
    StringBuilder b = new StringBuilder();
    b.append("usage: speedup compare [--flag=value ...]\n\n")
        .append("Runs each workload under each mode and parallelism, every measured run in a fresh JVM after one\n")
        .append("warm-up, and reports speedup, efficiency, the Karp-Flatt serial fraction and the Amdahl fit.\n\n");
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
    return new CompareSettings(workloads, modes, List.copyOf(parallelism), repeats, Path.of(output).toAbsolutePath().normalize(),
        days, latency, images, values.get("input"));
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
