package dev.speedup.jobs.cli;

import dev.speedup.transforms.airtemp.AirTemperature;
import dev.speedup.transforms.images.ImageThumbnails;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.reflect.DoFnInvokers;

/**
 * One-time work a run of {@code images} or {@code fetch} needs later, started on a second thread as the
 * process starts: the main thread first spends a good part of a second building Beam's options registry,
 * which nothing here depends on, while a second core is mostly idle. Done here: the Snappy native library
 * (Beam compresses each serialised DoFn with it), Beam's pipeline-model descriptors, Byte Buddy's first
 * generated DoFn invoker (the later ones, made on the workers as the pipeline starts, are then quicker), and
 * the workload's own {@code preload}. Nothing waits for it: whatever it has not done when the pipeline needs
 * it is done there, as without it. {@code SPEEDUP_WARMUP=0} turns it off (to measure it). Measured in
 * docs/benchmarks.md.
 */
public final class StartupWarmup {
  private StartupWarmup() {}

  /** Starts the warm-up for {@code command} (images and fetch; no other command), unless turned off. */
  public static void begin(String command) {
    begin(command, System.getenv());
  }

  /** The thread started for {@code command} under {@code environment}, if any. */
  static java.util.Optional<Thread> begin(String command, java.util.Map<String, String> environment) {
    boolean images = command.equals("images");
    if (!images && !command.equals("fetch") || "0".equals(environment.get("SPEEDUP_WARMUP"))) {
      return java.util.Optional.empty();
    }
    Thread warmup = new Thread(() -> run(images), "startup-warmup");
    warmup.setDaemon(true); // never holds the process open
    warmup.start();
    return java.util.Optional.of(warmup);
  }

  /** Does the warm-up on this thread; false if some of it failed. */
  static boolean run(boolean images) {
    try {
      Class.forName("org.xerial.snappy.Snappy", true, StartupWarmup.class.getClassLoader());
      org.apache.beam.model.pipeline.v1.RunnerApi.getDescriptor();
      DoFnInvokers.invokerFor(new PassThrough());
      if (images) {
        ImageThumbnails.preload();
      } else {
        AirTemperature.preload();
      }
      return true;
    } catch (Exception | LinkageError e) {
      // A head start only: the run does the same work itself when it gets there, and reports what fails then.
      return false;
    }
  }

  /** The DoFn whose invoker makes Byte Buddy ready. */
  private static final class PassThrough extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String element, OutputReceiver<String> out) {
      out.output(element);
    }
  }
}
