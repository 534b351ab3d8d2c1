package dev.speedup.transforms;

import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Marks when per-element work happens, as a Beam distribution of wall-clock milliseconds: its min and
 * max span the pipeline's working time (first element started to last element finished), readable from
 * any runner's {@code PipelineResult}, so start-up cost can be told apart from work.
 */
public final class Activity {
  public static final String NAMESPACE = "speedup";
  public static final String NAME = "activity_epoch_millis";
  private static final Distribution MARKS = Metrics.distribution(NAMESPACE, NAME);

  private Activity() {}

  /** Call from a DoFn's processing thread (Beam metrics are bound to it). */
  public static void mark() {
    MARKS.update(System.currentTimeMillis());
  }
}
