package dev.speedup.jobs.compare;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap with a fixed seed, so a report is reproducible from its runs: resample the repeats
 * with replacement, recompute the statistic, and read the interval off the sorted replicates.
 */
public final class Bootstrap {
  /** Replicates per interval: enough for a stable 2.5% tail on a handful of repeats. */
  public static final int REPLICATES = 2000;
  public static final long SEED = 20261201L;

  private Bootstrap() {}

  /** A value with its 95% interval. */
  public record Interval(double value, double low, double high) {
    public boolean overlaps(Interval o) {
      return low <= o.high && o.low <= high;
    }

    /** 1/x of each bound, for times turned into rates. */
    public Interval map(java.util.function.DoubleUnaryOperator f) {
      double a = f.applyAsDouble(low);
      double b = f.applyAsDouble(high);
      return new Interval(f.applyAsDouble(value), Math.min(a, b), Math.max(a, b));
    }
  }

  /** The median of the values and its bootstrap interval. */
  public static Interval median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    double[] reps = replicates(v, Bootstrap::medianOf, new SplittableRandom(SEED));
    return new Interval(medianOf(v), percentile(reps, 0.025), percentile(reps, 0.975));
  }

  /** Median of {@code baseline} over median of {@code values} (a speedup), each resampled on its own. */
  public static Interval ratioOfMedians(List<Double> baseline, List<Double> values) {
    double[] b = baseline.stream().mapToDouble(Double::doubleValue).toArray();
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    SplittableRandom random = new SplittableRandom(SEED);
    double[] reps = new double[REPLICATES];
    double[] sb = new double[b.length];
    double[] sv = new double[v.length];
    for (int i = 0; i < REPLICATES; i++) {
      resample(b, sb, random);
      resample(v, sv, random);
      reps[i] = medianOf(sb) / medianOf(sv);
    }
    return new Interval(medianOf(b) / medianOf(v), percentile(reps, 0.025), percentile(reps, 0.975));
  }

  /** {@code REPLICATES} values of {@code statistic} over resamples of {@code values}. */
  static double[] replicates(double[] values, ToDoubleFunction<double[]> statistic, SplittableRandom random) {
    double[] reps = new double[REPLICATES];
    double[] sample = new double[values.length];
    for (int i = 0; i < REPLICATES; i++) {
      resample(values, sample, random);
      reps[i] = statistic.applyAsDouble(sample);
    }
    return reps;
  }

  /** Fills {@code into} with draws from {@code values}, with replacement. */
  static void resample(double[] values, double[] into, SplittableRandom random) {
    for (int i = 0; i < into.length; i++) {
      into[i] = values[random.nextInt(values.length)];
    }
  }

  public static double medianOf(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /**
   * The q-quantile of the replicates by the nearest-rank rule (the smallest value with at least q of them
   * at or below it); infinities sort last, NaNs are not expected.
   */
  public static double percentile(double[] replicates, double q) {
    double[] v = replicates.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }
}
