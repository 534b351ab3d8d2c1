package dev.speedup.jobs.cli;

import dev.speedup.transforms.BeamFiles;
import dev.speedup.jobs.output.JobMetrics;
import dev.speedup.transforms.Activity;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
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
    /**
     * True when the pipeline finished (DONE); then also removes the temporaries a worker killed mid-write
     * left under {@code output} (its restarted task wrote the file again). Says on {@code err} what it did.
     */
    public boolean completed(String command, java.nio.file.Path output, PrintStream err) throws java.io.IOException {
      if (state != PipelineResult.State.DONE) {
        err.println(command + ": the pipeline ended in state " + state);
        return false;
      }
      int leftovers = BeamFiles.removeLeftoverTemporaries(output);
      if (leftovers > 0) {
        err.println(command + ": removed " + leftovers + " temporary file(s) left by restarted tasks");
      }
      return true;
    }
  }

  /** CPU time this JVM has used so far, all threads; 0 where the JVM does not report it. */
  public static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime()) / 1e9;
    }
    return 0;
  }

  /** This process's peak resident set (VmHWM, Linux), or -1 where /proc does not tell. */
  public static long peakResidentKiB() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException | RuntimeException notLinux) {
      // Fall through: not reported.
    }
    return -1;
  }

  private PipelineRun() {}

  /** What a run was set up with: its worker count, and where a Flink job goes (null for other runners). */
  public record Plan(int workers, FlinkTarget flink) {
    /**
     * How many keys to spread work over before a parallel step. On the DirectRunner each key's group
     * becomes a bundle, so few per worker keep bundles large ({@code perWorkerDirect}); on Flink keys
     * are hashed onto the {@code workers} task slots, and a few keys split unevenly (measured: 4 keys on 2
     * slots left one slot with most of the work), so it gets many, 64 per slot.
     */
    public int spreadKeys(int perWorkerDirect) {
      return (flink == null ? perWorkerDirect : 64) * workers;
    }
  }

  /**
   * Checks and completes the runner flags before anything starts: DirectRunner's per-element
   * immutability and encodability checks cost a lot, so they are off unless asked for; Flink gets a
   * parallelism and, for a cluster, a check that it answers (fails in seconds, naming the address).
   */
  public static Plan prepare(PipelineOptions options, List<String> flags) {
    if (isDirect(options)) {
      DirectOptions direct = options.as(DirectOptions.class);
      if (Args.valueOf(flags, "enforceImmutability") == null) {
        direct.setEnforceImmutability(false);
      }
      if (Args.valueOf(flags, "enforceEncodability") == null) {
        direct.setEnforceEncodability(false);
      }
      return new Plan(direct.getTargetParallelism(), null);
    }
    if (FlinkTarget.isFlink(options)) {
      FlinkTarget target = FlinkTarget.prepare(options, flags);
      return new Plan(options.as(FlinkPipelineOptions.class).getParallelism(), target);
    }
    String p = Args.valueOf(flags, "parallelism");
    try {
      return new Plan(p == null ? 1 : Math.max(1, Integer.parseInt(p)), null);
    } catch (NumberFormatException e) {
      throw UsageException.badValue("parallelism", p, "a positive whole number");
    }
  }

  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  /** How long a failed run waits for the bundles still in progress on its other workers. */
  private static final long STOP_WAIT_MS = 30_000;

  /**
   * A failed pipeline on the DirectRunner reports its first failure while the bundles in progress on its other
   * workers run on, writing files: cancelled, and its worker threads waited for (a bounded time), so that the
   * job's report and the process's exit come after their last write and leave no temporary file behind.
   */
  private static void stopAfterFailure(PipelineResult result) {
    try {
      result.cancel();
    } catch (java.io.IOException | RuntimeException alreadyStopped) {
      // nothing left to cancel
    }
    long deadline = System.currentTimeMillis() + STOP_WAIT_MS;
    for (Thread worker : Thread.getAllStackTraces().keySet()) {
      long left = deadline - System.currentTimeMillis();
      if (left > 0 && worker != Thread.currentThread() && worker.getName().startsWith("direct-runner-worker")) {
        try {
          worker.join(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  public static Outcome run(
      Pipeline pipeline, Plan plan, Function<JobMetrics, String> progress, String label, PrintStream err) {
    PipelineOptions options = pipeline.getOptions();
    boolean pollable = isDirect(options);
    if (pollable) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    long started = System.currentTimeMillis();
    PipelineResult result;
    if (pollable) {
      result = pipeline.run();
    } else {
      // Other runners block in run() and report metrics only at the end: print elapsed time, and the
      // cluster's own task progress where there is one.
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
      });
      String jobName = options.getJobName();
      ticker.scheduleAtFixedRate(
          () -> err.printf(Locale.ROOT, "%s  %s, elapsed %.1fs%n", label,
              plan.flink() == null ? "running" : plan.flink().progress(jobName).orElse("running"),
              (System.currentTimeMillis() - started) / 1000.0),
          PROGRESS_EVERY_MS, PROGRESS_EVERY_MS, TimeUnit.MILLISECONDS);
      try {
        result = pipeline.run();
      } finally {
        ticker.shutdownNow();
        if (plan.flink() != null) {
          plan.flink().close();
        }
      }
    }
    PipelineResult.State state;
    try {
      if (pollable) {
        while (true) {
          state = result.waitUntilFinish(org.joda.time.Duration.millis(PROGRESS_EVERY_MS));
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
      state = result.waitUntilFinish();
    } catch (RuntimeException failure) {
      stopAfterFailure(result);
      throw failure;
    }
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
        plan.workers(),
        (ended - jvmStart) / 1000.0,
        startupSeconds,
        pipelineSeconds);
  }
}
