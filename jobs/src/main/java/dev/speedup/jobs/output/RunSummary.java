package dev.speedup.jobs.output;

import dev.speedup.transforms.BeamFiles;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.speedup.jobs.cli.PipelineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a job wrote to {@code summary.json}: the accounting (every input ended as an output or a
 * failure), the timings, and the job's own figures and settings ({@code details}, written flat beside the
 * rest). Both jobs write it; {@code compare} reads it back with {@link #read}, where a key it needs and does
 * not find is an error naming the key, never a zero.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"command", "inputs", "succeeded", "failed", "failedByKind", "reconciled", "wallSeconds", "startupSeconds",
    "pipelineSeconds", "teardownSeconds", "runner", "parallelism", "cpuSeconds", "peakRssMB", "peakInFlightPerWorker"})
public record RunSummary(
    String command,
    long inputs,
    long succeeded,
    long failed,
    Map<String, Long> failedByKind,
    boolean reconciled,
    /** JVM start to the pipeline's end. */
    double wallSeconds,
    /** JVM start to the first element. */
    double startupSeconds,
    /** First element to last. */
    double pipelineSeconds,
    /** Last element to the pipeline's end (this process only; the JVM's exit comes after). */
    double teardownSeconds,
    String runner,
    int parallelism,
    /** This process only: on a Flink cluster the work's CPU is the TaskManagers'. */
    double cpuSeconds,
    /** This process's peak resident set; null where the OS does not tell. */
    Double peakRssMB,
    /** Requests a worker had in flight at most (fetch); null for jobs that send none. */
    Long peakInFlightPerWorker,
    @JsonIgnore Map<String, Object> details) {

  public RunSummary {
    failedByKind = new TreeMap<>(failedByKind);
    details = new LinkedHashMap<>(details);
  }

  /** A summary of a finished run; {@code reconciled} is the accounting's own check unless a job adds to it. */
  public static RunSummary of(Accounting a, boolean reconciled, PipelineRun.Outcome run, Long peakInFlightPerWorker, Map<String, Object> details) {
    long peak = PipelineRun.peakResidentKiB();
    return new RunSummary(a.command(), a.inputs(), a.succeeded(), a.failed(), a.failedByKind(), reconciled,
        millis(run.wallSeconds()), millis(run.startupSeconds()), millis(run.pipelineSeconds()),
        millis(Math.max(0, run.wallSeconds() - run.startupSeconds() - run.pipelineSeconds())),
        run.runner(), run.workers(), millis(PipelineRun.processCpuSeconds()),
        peak > 0 ? Math.round(peak / 1024.0 * 10) / 10.0 : null, peakInFlightPerWorker, details);
  }

  /** The job's own figures and settings, written after the common fields. */
  @JsonAnyGetter
  public Map<String, Object> detailsForJson() {
    return details;
  }

  public void write(Path file) throws IOException {
    BeamFiles.writeAtomically(file.toString(), Json.pretty(this));
  }

  /**
   * Reads a summary back. Every common field must be there (and {@code peakInFlightPerWorker} for fetch);
   * one missing is an {@link IOException} naming the key and the file.
   */
  public static RunSummary read(Path file) throws IOException {
    JsonNode n = Json.mapper().readTree(Files.readAllBytes(file));
    if (n == null || !n.isObject()) {
      throw new IOException(file + " holds no JSON object");
    }
    Required r = new Required(n, file);
    String command = r.text("command");
    Map<String, Long> byKind = new TreeMap<>();
    r.node("failedByKind").fields().forEachRemaining(e -> byKind.put(e.getKey(), e.getValue().asLong()));
    Map<String, Object> details = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> {
      if (!COMMON.contains(e.getKey())) {
        details.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class));
      }
    });
    return new RunSummary(command, r.number("inputs").asLong(), r.number("succeeded").asLong(), r.number("failed").asLong(),
        byKind, r.node("reconciled").asBoolean(), r.number("wallSeconds").asDouble(), r.number("startupSeconds").asDouble(),
        r.number("pipelineSeconds").asDouble(), r.number("teardownSeconds").asDouble(), r.text("runner"),
        r.number("parallelism").asInt(), r.number("cpuSeconds").asDouble(),
        n.hasNonNull("peakRssMB") ? n.get("peakRssMB").asDouble() : null,
        command.equals("fetch") ? Long.valueOf(r.number("peakInFlightPerWorker").asLong()) : null,
        details);
  }

  private static final java.util.Set<String> COMMON = java.util.Set.of("command", "inputs", "succeeded", "failed", "failedByKind",
      "reconciled", "wallSeconds", "startupSeconds", "pipelineSeconds", "teardownSeconds", "runner", "parallelism", "cpuSeconds",
      "peakRssMB", "peakInFlightPerWorker");

  /** Looks keys up in a summary, failing with the key's name. */
  private record Required(JsonNode n, Path file) {
    JsonNode node(String key) throws IOException {
      JsonNode v = n.get(key);
      if (v == null || v.isNull()) {
        throw new IOException(file + " has no \"" + key + "\" (a summary.json from another version of this program?)");
      }
      return v;
    }

    JsonNode number(String key) throws IOException {
      JsonNode v = node(key);
      if (!v.isNumber()) {
        throw new IOException(file + ": \"" + key + "\" is " + v + ", not a number");
      }
      return v;
    }

    String text(String key) throws IOException {
      return node(key).asText();
    }
  }

  private static double millis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
