package dev.speedup.jobs.compare;

import dev.speedup.jobs.cli.ChildJvm;
import dev.speedup.jobs.cluster.LocalFlinkCluster;
import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import dev.speedup.jobs.output.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs one configuration at one size in a child JVM, and reads what it measured from its summary.json. */
final class Measurer {
  private final ChildJvm jvm;
  private final CompareSettings s;
  private final Path root;
  private final LocalFlinkCluster cluster;
  private final Path runs;
  private final Sizes sizes;
  private final List<String> problems = new ArrayList<>();

  Measurer(ChildJvm jvm, CompareSettings s, Path root, LocalFlinkCluster cluster, Path runs, Sizes sizes) {
    this.jvm = jvm;
    this.s = s;
    this.root = root;
    this.cluster = cluster;
    this.runs = runs;
    this.sizes = sizes;
  }

  /** Summaries that could not be read, each naming the file and the key. */
  List<String> problems() {
    return problems;
  }

  ChildJvm.Exit warmUp(Config c, long items) throws IOException, InterruptedException {
    Path dir = runs.resolve("warm-up-" + c.workload());
    ChildJvm.Exit e = jvm.warmUp(args(c, items, dir.resolve("out")), dir.resolve("log.txt"));
    CompareJob.deleteTree(dir.resolve("out"));
    return e;
  }

  Result measure(Config c, long items, int repeat, String purpose) throws IOException, InterruptedException {
    String id = String.format(Locale.ROOT, "%s-%s-p%d-n%d-%s%d", c.workload(), c.mode(), c.parallelism(), items, purpose, repeat);
    Path output = runs.resolve(id + "/out");
    CompareJob.deleteTree(output);
    ChildJvm.Exit e = jvm.run(args(c, items, output), runs.resolve(id + "/log.txt"));
    int code = e.code();
    RunSummary summary = null;
    Path file = output.resolve("summary.json");
    if (code == 0) {
      try {
        summary = RunSummary.read(file);
      } catch (IOException unreadable) {
        problems.add("run " + id + " is counted as failed: " + unreadable.getMessage());
        code = -1;
      }
    }
    String checksum = summary != null ? CompareJob.checksum(output) : null;
    if (summary != null) {
      CompareJob.deleteTree(output); // the checksum stands for it; a comparison would otherwise keep every run's images
    }
    if (summary == null) {
      return Result.of(c, purpose, items, repeat, code == 0 ? -1 : code, e.wallSeconds(), 0, 0, 0, 0, 0, 0, null);
    }
    return Result.of(c, purpose, summary.inputs(), repeat, code, e.wallSeconds(), summary.startupSeconds(), summary.pipelineSeconds(),
        summary.failed(), summary.cpuSeconds(), summary.peakRssMB() == null ? 0 : summary.peakRssMB(),
        summary.peakInFlightPerWorker() == null ? 0 : summary.peakInFlightPerWorker(), checksum);
  }

  private List<String> args(Config c, long items, Path output) {
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
      a.add("--days=" + items);
      a.add("--fixtureLatency=" + s.fixtureLatency().toMillis() + "ms");
    } else {
      a.add("--input=" + sizes.images(items));
    }
    a.add("--output=" + output);
    // A run whose inputs partly failed is still a measurement: its summary carries the failed count.
    a.add("--maxFailures=100%");
    return a;
  }
}
