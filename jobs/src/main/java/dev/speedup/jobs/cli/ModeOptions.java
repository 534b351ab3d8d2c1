package dev.speedup.jobs.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Flags a mode file ({@code run-configs/*.args}) may set for any workload, so the same mode file serves
 * every job.
 */
public interface ModeOptions extends PipelineOptions {
  @Description("Requests in flight per worker: 1 = one blocking request at a time; more = non-blocking async (1..10000)."
      + " Only I/O workloads (fetch) use it; images decode one file at a time per worker")
  @Default.Integer(1)
  int getMaxInFlight();

  void setMaxInFlight(int value);
}
