package dev.speedup.jobs.cli;

import dev.speedup.jobs.output.JobMetrics;
import dev.speedup.transforms.Activity;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs a pipeline, prints a progress line every few seconds while it works (where the runner reports
 * metrics during the run), and times it: wall time from JVM start, and the pipeline's working time from
 * the {@link Activity} marks in its metrics.
 */
public final class PipelineRun {
  private static final long PROGRESS_EVERY_MS = 3000;

  /** What a finished run measured. */
  public record Outcome(
      PipelineResult.State state,
      JobMetrics metrics,
      String runner,
      int workers,
      double wallSeconds,
      double startupSeconds,
      double pipelineSeconds) {
    /** The timing and runner fields every summary.json carries, seconds rounded to milliseconds. */
    public java.util.Map<String, Object> timings() {
      java.util.Map<String, Object> t = new java.util.LinkedHashMap<>();
      t.put("wallSeconds", Math.round(wallSeconds * 1000) / 1000.0);
      t.put("startupSeconds", Math.round(startupSeconds * 1000) / 1000.0);
      t.put("pipelineSeconds", Math.round(pipelineSeconds * 1000) / 1000.0);
      t.put("runner", runner);
      t.put("parallelism", workers);
      return t;
    }
  }

  private PipelineRun() {}

  /** DirectRunner's per-element immutability and encodability checks cost a lot; off unless asked for. */
  public static void tuneDirectRunner(PipelineOptions options, List<String> flags) {
    if (isDirect(options)) {
      DirectOptions direct = options.as(DirectOptions.class);
      if (Args.valueOf(flags, "enforceImmutability") == null) {
        direct.setEnforceImmutability(false);
      }
      if (Args.valueOf(flags, "enforceEncodability") == null) {
        direct.setEnforceEncodability(false);
      }
    }
  }

  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  /** Worker threads or task slots the run asks for: DirectRunner's targetParallelism, else --parallelism. */
  public static int workers(PipelineOptions options, List<String> flags) {
    if (isDirect(options)) {
      return options.as(DirectOptions.class).getTargetParallelism();
    }
    String p = Args.valueOf(flags, "parallelism");
    try {
      return p == null ? 1 : Math.max(1, Integer.parseInt(p));
    } catch (NumberFormatException e) {
      throw UsageException.badValue("parallelism", p, "a positive whole number");
    }
  }

  public static Outcome run(
      Pipeline pipeline, int workers, Function<JobMetrics, String> progress, String label, PrintStream err) {
    PipelineOptions options = pipeline.getOptions();
    boolean pollable = isDirect(options);
    if (pollable) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    long started = System.currentTimeMillis();
    PipelineResult result = pipeline.run();
    if (pollable) {
      while (true) {
        PipelineResult.State state = result.waitUntilFinish(org.joda.time.Duration.millis(PROGRESS_EVERY_MS));
        if (state != null && state.isTerminal()) {
          break;
        }
        try {
          String line = progress.apply(JobMetrics.of(result));
          err.printf(Locale.ROOT, "%s  %s  elapsed %.1fs%n", label, line, (System.currentTimeMillis() - started) / 1000.0);
        } catch (RuntimeException metricsNotReady) {
          err.printf(Locale.ROOT, "%s  running, elapsed %.1fs%n", label, (System.currentTimeMillis() - started) / 1000.0);
        }
      }
    }
    PipelineResult.State state = result.waitUntilFinish();
    long ended = System.currentTimeMillis();
    JobMetrics metrics = JobMetrics.of(result);
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long[] marks = metrics.distribution(Activity.NAMESPACE, Activity.NAME);
    double pipelineSeconds = marks == null ? 0 : (marks[1] - marks[0]) / 1000.0;
    double startupSeconds = marks == null ? (ended - jvmStart) / 1000.0 : (marks[0] - jvmStart) / 1000.0;
    return new Outcome(
        state,
        metrics,
        options.getRunner().getSimpleName(),
        workers,
        (ended - jvmStart) / 1000.0,
        startupSeconds,
        pipelineSeconds);
  }
}
