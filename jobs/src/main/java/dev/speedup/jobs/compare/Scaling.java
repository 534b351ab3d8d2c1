package dev.speedup.jobs.compare;

import java.util.Arrays;
import java.util.List;

/**
 * The statistics of a scaling measurement: medians and spread of repeated runs, speedup and efficiency
 * against a baseline, the Karp-Flatt serial fraction, and the Amdahl curve that fits a set of speedups.
 */
public final class Scaling {
  private Scaling() {}

  /** The median of {@code values} (mean of the middle two for an even count). */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Max minus min: how far repeated runs of one configuration spread. */
  public static double range(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    return Arrays.stream(v).max().orElse(0) - Arrays.stream(v).min().orElse(0);
  }

  /** How many times faster than the baseline: baseline time over this time. */
  public static double speedup(double baselineSeconds, double seconds) {
    if (!(seconds > 0) || !(baselineSeconds > 0)) {
      throw new IllegalArgumentException("times must be positive: " + baselineSeconds + ", " + seconds);
    }
    return baselineSeconds / seconds;
  }

  /** Speedup per worker: 1 is perfect use of {@code p} workers. */
  public static double efficiency(double speedup, int p) {
    return speedup / p;
  }

  /**
   * Karp-Flatt experimentally determined serial fraction {@code e = (1/S - 1/p) / (1 - 1/p)}: the share of
   * the work that behaves as if it were serial, given speedup {@code S} on {@code p} workers. Undefined at
   * p = 1 (NaN). Rising with p means overhead growing with workers, not just a fixed serial part.
   */
  public static double karpFlatt(double speedup, int p) {
    if (p <= 1) {
      return Double.NaN;
    }
    return (1 / speedup - 1.0 / p) / (1 - 1.0 / p);
  }

  /** Amdahl's law: the speedup on {@code p} workers of work whose serial fraction is {@code f}. */
  public static double amdahl(double f, double p) {
    return 1 / (f + (1 - f) / p);
  }

  /**
   * The serial fraction whose Amdahl curve best fits the measured speedups (least squares on 1/S, where
   * Amdahl's law is linear in f: {@code 1/S - 1/p = f (1 - 1/p)}), clamped to [0, 1]. Points at p = 1
   * carry no information and are ignored; NaN when no point has p > 1.
   */
  public static double amdahlFit(int[] p, double[] speedup) {
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] <= 1) {
        continue;
      }
      double x = 1 - 1.0 / p[i];
      double y = 1 / speedup[i] - 1.0 / p[i];
      sxy += x * y;
      sxx += x * x;
    }
    if (sxx == 0) {
      return Double.NaN;
    }
    return Math.max(0, Math.min(1, sxy / sxx));
  }

  /** The fetch workload's I/O bound: n requests of a given latency, {@code inFlight} at a time, take at least this long. */
  public static double ioBoundSeconds(int requests, double latencySeconds, int inFlight) {
    return requests * latencySeconds / inFlight;
  }
}
