package dev.speedup.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Passes elements through and records, at the end of each bundle, the elements that bundle held: the
 * way a test sees how a runner bundled a collection (DirectRunner: same JVM, so a static list works).
 */
final class RecordBundles<T> extends DoFn<T, T> {
  private static final Queue<List<Object>> SEEN = new ConcurrentLinkedQueue<>();
  private transient List<Object> bundle;

  static void clear() {
    SEEN.clear();
  }

  /** The bundles recorded since {@link #clear()}, each as its elements in the order processed. */
  @SuppressWarnings("unchecked")
  static <T> List<List<T>> seen() {
    List<List<T>> out = new ArrayList<>();
    SEEN.forEach(b -> out.add((List<T>) b));
    return out;
  }

  @StartBundle
  public void start() {
    bundle = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<T> out) {
    bundle.add(element);
    out.output(element);
  }

  @FinishBundle
  public void finish() {
    SEEN.add(bundle);
  }
}
