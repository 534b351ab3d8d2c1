package dev.speedup.jobs.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Flags every job over many inputs shares: how its exit code judges failed inputs. */
public interface OutcomeOptions extends PipelineOptions {
  @Description("Failed inputs tolerated before the exit code is 3: a count (0 = any failure) or a share such as 5%")
  @Default.String("0")
  String getMaxFailures();

  void setMaxFailures(String value);
}
