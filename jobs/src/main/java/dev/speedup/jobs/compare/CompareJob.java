package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import dev.speedup.jobs.cli.ChildJvm;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.cluster.LocalFlinkCluster;
import dev.speedup.jobs.output.OutputLock;
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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code compare}: runs each workload under each mode and parallelism at two or more sizes, every measured
 * run in a fresh JVM after one warm-up per workload, interleaved round by round so drift hits every
 * configuration alike; checks every run's output against sequential's at the same size; fits a cost model
 * per configuration, checks it on one larger run per workload, and reports the verdict, predictions and
 * crossovers ({@link Analysis}, {@link Verdict}, {@link Report}).
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
    if (s.input() != null && !Files.isDirectory(UsageException.path("input", s.input()))) {
      throw UsageException.badValue("input", s.input(), "an existing folder of images");
    }
    // One compare at a time in the folder: a second would delete the first's runs under it.
    try (OutputLock lock = OutputLock.take(s.output(), "output", "compare")) {
      int status = runLocked(s, root, command, notes, modes, out, err);
      if (status == 0) {
        lock.finished();
      }
      return status;
    }
  }

  private static int runLocked(CompareSettings s, Path root, String command, List<String> notes, List<String> modes,
      PrintStream out, PrintStream err) throws IOException, InterruptedException {
    Path runs = s.output().resolve("runs");
    Sizes sizes = Sizes.plan(s, s.output().resolve("inputs"), err);
    notes.addAll(sizes.notes());

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
      Measurer m = new Measurer(ChildJvm.likeThisOne(), s, root, cluster, runs, sizes);
      int total = 0;
      for (Config c : configs) {
        total += s.repeats() * sizes.fit(c.workload()).size();
      }
      err.printf(Locale.ROOT, "compare: %d configurations x %d sizes x %d repeats, then one model check per workload; each run a fresh JVM; logs under %s%n",
          configs.size(), s.sizes().size(), s.repeats(), runs);
      long started = System.nanoTime();
      for (String w : s.workloads()) {
        Config warm = configs.stream().filter(c -> c.workload().equals(w)).findFirst().orElseThrow();
        err.printf(Locale.ROOT, "compare: warm-up (%s, not measured)%n", warm.label());
        ChildJvm.Exit e = m.warmUp(warm, sizes.fit(w).get(0));
        if (e.code() != 0) {
          notes.add("the " + w + " warm-up failed (exit " + e.code() + "; log " + runs.resolve("warm-up-" + w + "/log.txt") + ").");
        }
      }

      List<Result> results = new ArrayList<>();
      long measuring = System.nanoTime();
      int done = 0;
      for (int r = 1; r <= s.repeats(); r++) {
        for (int size = 0; size < s.sizes().size(); size++) {
          for (Config c : configs) {
            long items = sizes.fit(c.workload()).get(size);
            String left = done == 0 ? "" : ", about " + clock((System.nanoTime() - measuring) / 1e9 / done * (total - done)) + " left";
            err.printf(Locale.ROOT, "compare [%d/%d] %s at %d %s, run %d/%d, elapsed %s%s%n", done + 1, total, c.label(), items,
                Verdict.unit(c.workload()), r, s.repeats(), clock((System.nanoTime() - started) / 1e9), left);
            results.add(m.measure(c, items, r, Result.FIT));
            done++;
          }
        }
      }
      results = Analysis.markWrong(results);
      Analysis fitted = Analysis.of(results, s.predict(), Runtime.getRuntime().availableProcessors());
      for (String w : s.workloads()) {
        Optional<Config> check = Verdict.rank(fitted, w).map(r -> new Config(w, r.best().mode(), r.best().workers(),
            configs.stream().filter(c -> c.workload().equals(w) && c.mode().equals(r.best().mode())).findFirst().orElseThrow().inFlight()));
        if (check.isEmpty()) {
          notes.add("no model check for " + w + ": no configuration could be modelled.");
          continue;
        }
        long items = sizes.check(w);
        err.printf(Locale.ROOT, "compare [check] %s at %d %s (a size no fit saw), elapsed %s%n", check.get().label(), items, Verdict.unit(w),
            clock((System.nanoTime() - started) / 1e9));
        results.add(m.measure(check.get(), items, 1, Result.CHECK));
      }
      results = Analysis.markWrong(results);
      Analysis analysis = Analysis.of(results, s.predict(), Runtime.getRuntime().availableProcessors());
      List<Baselines.Line> baselines = new ArrayList<>();
      if (s.baselines().equals("python")) {
        baselines = Baselines.run(s, sizes, runs.resolve("baselines"), notes, err);
      }
      Machine machine = Machine.current();
      List<String> verdicts = Verdict.verdicts(analysis);
      List<String> findings = Verdict.findings(analysis);
      Report.write(s.output(), new Report.Contents(s, machine, analysis, verdicts, findings, notes, command, baselines));

      out.printf(Locale.ROOT, "Compared %d configurations (%d runs, %s) on %s.%n", configs.size(), results.size(),
          clock((System.nanoTime() - started) / 1e9), machine.describe());
      out.println("Verdict:");
      verdicts.forEach(v -> out.println("- " + v));
      out.println("Findings:");
      for (int i = 0; i < findings.size(); i++) {
        out.println((i + 1) + ". " + findings.get(i));
      }
      for (String n : notes) {
        out.println("note: " + n);
      }
      out.println("Report: " + s.output().resolve(Report.HTML) + " (also " + Report.MARKDOWN + ", " + Report.CSV + ", " + Report.JSON + " and the charts)");
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
    int cores = Runtime.getRuntime().availableProcessors();
    java.util.Set<String> flinkCapped = new java.util.LinkedHashSet<>();
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
          if (mode.startsWith("flink") && !s.parallelismGiven() && p > cores && s.parallelism().stream().anyMatch(q -> q <= cores)) {
            flinkCapped.add(mode + " x" + p);
            continue;
          }
          configs.add(new Config(w, mode, p, inFlight));
        }
      }
    }
    if (!flinkCapped.isEmpty()) {
      notes.add("Flink ran at the " + cores + " cores only (" + String.join(", ", flinkCapped) + " left out): each Flink run pays seconds of "
          + "start-up, and task slots beyond the cores share them; --parallelism applies a list to every mode.");
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

  static String clock(double seconds) {
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
