package dev.speedup.jobs.output;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * A pipeline's Beam metrics, summed over steps, read from its {@link PipelineResult}: the same way for
 * every runner, in-process or on a cluster. Committed values where the runner has them, else attempted.
 */
public final class JobMetrics {
  private final Map<String, Long> counters = new TreeMap<>();
  private final Map<String, long[]> distributions = new TreeMap<>();

  private JobMetrics() {}

  public static JobMetrics of(PipelineResult result) {
    JobMetrics m = new JobMetrics();
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : q.getCounters()) {
      m.counters.merge(key(c), value(c), Long::sum);
    }
    for (MetricResult<DistributionResult> d : q.getDistributions()) {
      DistributionResult r = value(d);
      if (r == null || r.getCount() == 0) {
        continue;
      }
      m.distributions.merge(
          key(d),
          new long[] {r.getMin(), r.getMax(), r.getCount(), r.getSum()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1]), a[2] + b[2], a[3] + b[3]});
    }
    return m;
  }

  private static String key(MetricResult<?> r) {
    return r.getName().getNamespace() + ":" + r.getName().getName();
  }

  private static <T> T value(MetricResult<T> r) {
    try {
      T committed = r.getCommitted();
      if (committed != null) {
        return committed;
      }
    } catch (UnsupportedOperationException notSupported) {
      // Some runners only report attempted values.
    }
    return r.getAttempted();
  }

  /** A counter's total, 0 if it never counted. Namespace is the class's full name or a plain string. */
  public long counter(String namespace, String name) {
    return counters.getOrDefault(namespace + ":" + name, 0L);
  }

  /** Counters whose name starts with {@code prefix}, summed by the rest of their name. */
  public Map<String, Long> countersWithPrefix(String namespace, String prefix) {
    Map<String, Long> out = new TreeMap<>();
    String start = namespace + ":" + prefix;
    counters.forEach(
        (k, v) -> {
          if (k.startsWith(start) && v > 0) {
            out.merge(k.substring(start.length()), v, Long::sum);
          }
        });
    return out;
  }

  /** The total of the counters {@link #countersWithPrefix} returns (e.g. all failures_ counters). */
  public long sumWithPrefix(String namespace, String prefix) {
    return countersWithPrefix(namespace, prefix).values().stream().mapToLong(Long::longValue).sum();
  }

  /** {min, max, count, sum}, or null when nothing was recorded. */
  public long[] distribution(String namespace, String name) {
    return distributions.get(namespace + ":" + name);
  }
}
