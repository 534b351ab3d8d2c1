package dev.speedup.jobs.compare;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One configuration to measure, and what one measured run of it recorded. */
public final class Run {
  private Run() {}

  /** A workload under a mode at a parallelism; {@code inFlight} is requests outstanding per worker (fetch). */
  public record Config(String workload, String mode, int parallelism, int inFlight) {
    public String label() {
      return workload + " " + mode + " p=" + parallelism;
    }

    /** The mode and its workers, as a reader says it: "threads x2". */
    public String shortLabel() {
      return mode.equals("sequential") ? "sequential" : mode + " x" + parallelism;
    }
  }

  /**
   * One measured run, as results.csv and results.json list it. Wall time is measured by compare around the
   * child process; the rest comes from the child's summary.json (start-up: JVM start to the first element;
   * pipeline: first element to last). Teardown is the rest of the wall time: after the last element to the
   * process's exit. CPU and memory are the child JVM's: for flink-cluster that is the client, the work's own
   * being in the TaskManagers. {@code purpose} says whether the run feeds the model ("fit") or checks it
   * ("check").
   */
  @JsonPropertyOrder({"workload", "mode", "parallelism", "inFlightPerWorker", "purpose", "items", "repeat", "exitCode",
      "wallSeconds", "startupSeconds", "pipelineSeconds", "teardownSeconds", "failures", "cpuSeconds", "peakRssMB",
      "peakInFlightPerWorker", "checksum", "wrong"})
  public record Result(
      String workload,
      String mode,
      int parallelism,
      int inFlightPerWorker,
      String purpose,
      long items,
      int repeat,
      int exitCode,
      double wallSeconds,
      double startupSeconds,
      double pipelineSeconds,
      double teardownSeconds,
      long failures,
      double cpuSeconds,
      double peakRssMB,
      long peakInFlightPerWorker,
      String checksum,
      boolean wrong) {

    public static final String FIT = "fit";
    public static final String CHECK = "check";

    public static Result of(Config c, String purpose, long items, int repeat, int exitCode, double wallSeconds,
        double startupSeconds, double pipelineSeconds, long failures, double cpuSeconds, double peakRssMB,
        long peakInFlightPerWorker, String checksum) {
      double teardown = exitCode == 0 ? Math.max(0, wallSeconds - startupSeconds - pipelineSeconds) : 0;
      return new Result(c.workload(), c.mode(), c.parallelism(), c.inFlight(), purpose, items, repeat, exitCode, wallSeconds,
          startupSeconds, pipelineSeconds, teardown, failures, cpuSeconds, peakRssMB, peakInFlightPerWorker, checksum, false);
    }

    @JsonIgnore
    public Config config() {
      return new Config(workload, mode, parallelism, inFlightPerWorker);
    }

    public Result markedWrong() {
      return new Result(workload, mode, parallelism, inFlightPerWorker, purpose, items, repeat, exitCode, wallSeconds,
          startupSeconds, pipelineSeconds, teardownSeconds, failures, cpuSeconds, peakRssMB, peakInFlightPerWorker, checksum, true);
    }
  }
}
