package dev.speedup.jobs.compare;

import java.util.List;

/** One configuration to measure, and what one measured run of it recorded. */
public final class Run {
  private Run() {}

  /** A workload under a mode at a parallelism; {@code inFlight} is requests outstanding per worker (fetch). */
  public record Config(String workload, String mode, int parallelism, int inFlight) {
    public String label() {
      return workload + " " + mode + " p=" + parallelism;
    }
  }

  /**
   * One measured run. Wall time is measured by compare around the child process; the rest comes from the
   * child's summary.json (pipeline time from Beam metrics: first to last element). CPU and memory are the
   * child JVM's: for flink-cluster that is the client, the work's own being in the TaskManagers.
   */
  public record Result(
      Config config,
      int repeat,
      int exitCode,
      double wallSeconds,
      double pipelineSeconds,
      double startupSeconds,
      long items,
      long failures,
      double cpuSeconds,
      double peakRssMB,
      long peakInFlightPerWorker,
      String checksum,
      boolean wrong) {

    public double itemsPerSecond() {
      return wallSeconds > 0 ? items / wallSeconds : 0;
    }

    /** Share of the wall time spent before the pipeline's first element (JVM, runner, submission). */
    public double startupShare() {
      return wallSeconds > 0 ? Math.min(1, startupSeconds / wallSeconds) : 0;
    }

    public Result markedWrong() {
      return new Result(config, repeat, exitCode, wallSeconds, pipelineSeconds, startupSeconds, items, failures,
          cpuSeconds, peakRssMB, peakInFlightPerWorker, checksum, true);
    }
  }

  /** The CSV columns of {@link Result}, as results.csv writes them. */
  public static final List<String> CSV_HEADER = List.of(
      "workload", "mode", "parallelism", "in_flight_per_worker", "repeat", "exit_code", "wall_s", "pipeline_s",
      "startup_s", "startup_share", "items", "items_per_s", "failures", "cpu_s", "peak_rss_mb",
      "peak_in_flight_per_worker", "checksum", "wrong");
}
