package dev.speedup.jobs.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import dev.speedup.jobs.output.Json;
import dev.speedup.jobs.cli.ChildJvm;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.cluster.LocalFlinkCluster;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code compare}: runs each workload under each mode and parallelism, every measured run in a fresh JVM
 * after one warm-up per workload, runs interleaved round by round so drift hits every configuration alike;
 * checks every run's output against sequential's; reports speedup, efficiency, Karp-Flatt and Amdahl.
 */
public final class CompareJob {
  private CompareJob() {}

  public static String help() {
    return CompareSettings.help();
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
    CompareSettings s = CompareSettings.parse(args);
    Path root = projectRoot();
    String command = "speedup compare " + String.join(" ", args);
    List<String> notes = new ArrayList<>();
    List<String> modes = new ArrayList<>(s.modes());
    if (!modes.contains("sequential")) {
      modes.add(0, "sequential");
      notes.add("sequential was added: it is the baseline of every speedup and the reference output.");
    }
    if (s.input() != null && !Files.isDirectory(Path.of(s.input()))) {
      throw UsageException.badValue("input", s.input(), "an existing folder of images");
    }
    Files.createDirectories(s.output());
    Path runs = s.output().resolve("runs");

    LocalFlinkCluster cluster = null;
    if (modes.contains("flink-cluster")) {
      int maxP = s.parallelism().stream().mapToInt(Integer::intValue).max().orElse(2);
      cluster = startCluster(root, s.output().resolve("flink-cluster"), Math.max(2, (maxP + 1) / 2), err);
      if (cluster == null) {
        modes.remove("flink-cluster");
        notes.add("flink-cluster was skipped: the local cluster did not start (see " + s.output().resolve("flink-cluster/log") + ").");
      }
    }
    try {
      List<Config> configs = plan(s, modes, root, notes);
      ChildJvm jvm = ChildJvm.likeThisOne();
      err.printf(Locale.ROOT, "compare: %d configurations x %d repeats, each run in a fresh JVM; logs under %s%n", configs.size(), s.repeats(), runs);

      long started = System.nanoTime();
      for (String w : s.workloads()) {
        Config warm = configs.stream().filter(c -> c.workload().equals(w)).findFirst().orElseThrow();
        err.printf(Locale.ROOT, "compare: warm-up (%s, not measured)%n", warm.label());
        ChildJvm.Exit e = jvm.warmUp(args(s, warm, root, cluster, runs.resolve("warm-up-" + w + "/out")), runs.resolve("warm-up-" + w + "/log.txt"));
        if (e.code() != 0) {
          notes.add("the " + w + " warm-up failed (exit " + e.code() + "; log " + runs.resolve("warm-up-" + w + "/log.txt") + ").");
        }
        deleteTree(runs.resolve("warm-up-" + w + "/out"));
      }

      List<Result> results = new ArrayList<>();
      int total = configs.size() * s.repeats();
      long measuring = System.nanoTime();
      int done = 0;
      for (int r = 1; r <= s.repeats(); r++) {
        for (Config c : configs) {
          double elapsed = (System.nanoTime() - started) / 1e9;
          String left = done == 0 ? "" : ", about " + clock((System.nanoTime() - measuring) / 1e9 / done * (total - done)) + " left";
          err.printf(Locale.ROOT, "compare [%d/%d] %s, run %d/%d, elapsed %s%s%n", done + 1, total, c.label(), r, s.repeats(), clock(elapsed), left);
          results.add(measure(jvm, s, c, r, root, cluster, runs));
          done++;
        }
      }
      results = Analysis.markWrong(results);
      Analysis analysis = Analysis.of(results, s.fixtureLatency().toMillis() / 1000.0, Runtime.getRuntime().availableProcessors());
      Machine machine = Machine.current();
      Report.write(s.output(), s, machine, results, analysis, notes, command);

      out.printf(Locale.ROOT, "Compared %d configurations (%d runs, %s) on %s.%n", configs.size(), results.size(),
          clock((System.nanoTime() - started) / 1e9), machine.describe());
      for (String f : analysis.findings()) {
        out.println("- " + f);
      }
      for (String n : notes) {
        out.println("note: " + n);
      }
      out.println("Report: " + s.output().resolve(Report.HTML) + " (also " + Report.MARKDOWN + ", " + Report.CSV + ", " + Report.JSON + ", " + Report.CHART + ")");
      return results.stream().anyMatch(Result::wrong) ? 1 : 0;
    } finally {
      if (cluster != null) {
        err.print(cluster.stop().output());
      }
    }
  }

  /** The configurations to measure, in run order; what makes no sense is left out with a note. */
  static List<Config> plan(CompareSettings s, List<String> modes, Path root, List<String> notes) throws IOException {
    List<Config> configs = new ArrayList<>();
    for (String w : s.workloads()) {
      for (String mode : modes) {
        if (mode.equals("async") && w.equals("images")) {
          notes.add("async was skipped for images: it keeps many requests in flight, and image resizing waits on no requests (CPU-bound).");
          continue;
        }
        int inFlight = inFlight(root, mode);
        if (mode.equals("sequential")) {
          configs.add(new Config(w, mode, 1, inFlight));
          continue;
        }
        for (int p : s.parallelism()) {
          if (p == 1 && mode.equals("threads")) {
            continue; // threads with one worker is sequential
          }
          configs.add(new Config(w, mode, p, inFlight));
        }
      }
    }
    if (modes.contains("threads") && s.parallelism().contains(1)) {
      notes.add("threads with 1 worker is the sequential run (the same flags), so it is measured once, as sequential.");
    }
    return configs;
  }

  /** Requests in flight per worker that a mode's args file sets (1 when it sets none). */
  private static int inFlight(Path root, String mode) throws IOException {
    for (String line : Files.readAllLines(root.resolve("run-configs/" + mode + ".args"))) {
      if (line.trim().startsWith("--maxInFlight=")) {
        return Integer.parseInt(line.trim().substring("--maxInFlight=".length()));
      }
    }
    return 1;
  }

  private static List<String> args(CompareSettings s, Config c, Path root, LocalFlinkCluster cluster, Path output) {
    List<String> a = new ArrayList<>();
    a.add(c.workload());
    a.add("@" + root.resolve("run-configs/" + c.mode() + ".args"));
    switch (c.mode()) {
      case "threads", "async" -> a.add("--targetParallelism=" + c.parallelism());
      case "flink-local" -> a.add("--parallelism=" + c.parallelism());
      case "flink-cluster" -> {
        a.add("--parallelism=" + c.parallelism());
        a.add("--flinkMaster=127.0.0.1:" + cluster.restPort());
        a.add("--filesToStage=" + root.resolve("jobs/target/speedup-job.jar"));
      }
      default -> { }
    }
    if (c.workload().equals("fetch")) {
      a.add("--days=" + s.days());
      a.add("--fixtureLatency=" + s.fixtureLatency().toMillis() + "ms");
    } else if (s.input() != null) {
      a.add("--input=" + Path.of(s.input()).toAbsolutePath());
    } else {
      a.add("--corpusCount=" + s.images());
    }
    a.add("--output=" + output);
    return a;
  }

  private static Result measure(ChildJvm jvm, CompareSettings s, Config c, int repeat, Path root, LocalFlinkCluster cluster, Path runs)
      throws IOException, InterruptedException {
    String id = String.format(Locale.ROOT, "%s-%s-p%d-r%d", c.workload(), c.mode(), c.parallelism(), repeat);
    Path output = runs.resolve(id + "/out");
    deleteTree(output);
    ChildJvm.Exit e = jvm.run(args(s, c, root, cluster, output), runs.resolve(id + "/log.txt"));
    Path summaryFile = output.resolve("summary.json");
    JsonNode summary = Files.isRegularFile(summaryFile) ? Json.mapper().readTree(summaryFile.toFile()) : Json.mapper().createObjectNode();
    String checksum = e.code() == 0 && Files.isDirectory(output) ? checksum(output) : null;
    if (e.code() == 0) {
      deleteTree(output); // the checksum stands for it; a comparison would otherwise keep every run's images
    }
    return new Result(c, repeat, e.code(), e.wallSeconds(),
        summary.path("pipelineSeconds").asDouble(0), summary.path("startupSeconds").asDouble(0),
        summary.path("inputs").asLong(0), summary.path("failed").asLong(0), summary.path("cpuSeconds").asDouble(0),
        summary.path("peakRssMB").asDouble(0), summary.path("peakInFlightPerWorker").asLong(0), checksum, false);
  }

  /**
   * SHA-256 over every file under {@code dir} but summary.json (it carries timings): relative path and
   * content, in path order. Equal outputs give equal checksums whatever wrote them.
   */
  static String checksum(Path dir) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).toString().equals("summary.json"))
          .sorted()
          .toList();
    }
    byte[] buffer = new byte[1 << 16];
    for (Path f : files) {
      sha.update(dir.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  /** The project folder (holding run-configs/): the working directory or one of its parents. */
  static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("run-configs/sequential.args"))) {
        return p;
      }
    }
    throw new UsageException("compare runs the modes' flag files in run-configs/: run it from the project folder");
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Starts a local cluster with slots for {@code taskManagers} x 2 workers; null (and stopped) if it did not come up. */
  private static LocalFlinkCluster startCluster(Path root, Path home, int taskManagers, PrintStream err)
      throws IOException, InterruptedException {
    LocalFlinkCluster c = LocalFlinkCluster.onFreePorts(root, home);
    err.printf(Locale.ROOT, "compare: starting a local Flink cluster (%d TaskManagers) for flink-cluster runs%n", taskManagers);
    LocalFlinkCluster.ScriptResult r = c.start("--taskmanagers=" + taskManagers, "--max-lifetime=7200");
    err.print(r.output());
    if (r.code() != 0) {
      err.print(c.stop().output());
      return null;
    }
    return c;
  }
}
