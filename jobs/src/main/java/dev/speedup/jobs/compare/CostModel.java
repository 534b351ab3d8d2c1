package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Bootstrap.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One configuration's wall time as a function of its input size: {@code T(n) = start-up + teardown + n / rate}.
 * Start-up (JVM start to the first element) is the median over all the configuration's runs, whatever their
 * size: it hardly grows with the items, and pooling it keeps its noise (the larger part of a short run's) out
 * of the rate. Pipeline time (first element to last) and teardown (last element to the process's exit: the
 * outputs that are written whole at the end grow with the items) are each a line through their median at each
 * size; the slopes add up to the time per item, the intercepts to the fixed cost after the first element. Intervals come from refitting on
 * bootstrap resamples of the runs, drawn within each size.
 */
public final class CostModel {
  /** One measured run: its size, its whole-process wall time, and its time before the first element and from first to last. */
  public record Sample(long items, double wallSeconds, double startupSeconds, double pipelineSeconds) {
    double teardownSeconds() {
      return wallSeconds - startupSeconds - pipelineSeconds;
    }
  }

  /** A fitted model: seconds before the first element, fixed seconds after it, and seconds per item. */
  record Line(double startup, double after, double perItem) {
    double fixed() {
      return startup + after;
    }

    double seconds(double items) {
      return fixed() + perItem * items;
    }
  }

  private final Line fit;
  private final Line[] replicates;
  private final int sizes;

  private CostModel(Line fit, Line[] replicates, int sizes) {
    this.fit = fit;
    this.replicates = replicates;
    this.sizes = sizes;
  }

  /**
   * Fits a model to the runs; needs at least two distinct sizes.
   *
   * @param seed the bootstrap's seed: a fixed one, so the same runs give the same intervals
   */
  public static CostModel fit(List<Sample> runs, long seed) {
    Map<Long, List<Sample>> bySize = new TreeMap<>();
    for (Sample s : runs) {
      bySize.computeIfAbsent(s.items(), k -> new ArrayList<>()).add(s);
    }
    if (bySize.size() < 2) {
      throw new IllegalArgumentException("a cost model needs runs at two sizes or more, got " + bySize.keySet());
    }
    List<List<Sample>> groups = new ArrayList<>(bySize.values());
    double[] n = bySize.keySet().stream().mapToDouble(Long::doubleValue).toArray();
    Line fit = line(n, groups);
    SplittableRandom random = new SplittableRandom(seed);
    Line[] reps = new Line[Bootstrap.REPLICATES];
    for (int r = 0; r < reps.length; r++) {
      List<List<Sample>> resampled = new ArrayList<>();
      for (List<Sample> g : groups) {
        // Whole runs are drawn, so a run's start-up, pipeline and wall stay together.
        List<Sample> d = new ArrayList<>(g.size());
        for (int k = 0; k < g.size(); k++) {
          d.add(g.get(random.nextInt(g.size())));
        }
        resampled.add(d);
      }
      reps[r] = line(n, resampled);
    }
    return new CostModel(fit, reps, n.length);
  }

  private static Line line(double[] n, List<List<Sample>> groups) {
    List<Sample> all = groups.stream().flatMap(List::stream).toList();
    double startup = Bootstrap.medianOf(all.stream().mapToDouble(Sample::startupSeconds).toArray());
    double[] pipeline = new double[n.length];
    double[] teardown = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      pipeline[i] = Bootstrap.medianOf(groups.get(i).stream().mapToDouble(Sample::pipelineSeconds).toArray());
      teardown[i] = Bootstrap.medianOf(groups.get(i).stream().mapToDouble(Sample::teardownSeconds).toArray());
    }
    double[] pl = nonDecreasing(n, pipeline);
    double[] tl = nonDecreasing(n, teardown);
    return new Line(startup, pl[0] + tl[0], pl[1] + tl[1]);
  }

  /** The least-squares line, or the mean where its slope is negative: time cannot fall as items are added. */
  private static double[] nonDecreasing(double[] x, double[] y) {
    double[] l = leastSquares(x, y);
    return l[1] < 0 ? new double[] {mean(y), 0} : l;
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElse(0);
  }

  /** {intercept, slope} of y on x. */
  static double[] leastSquares(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / x.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    double slope = sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }

  public int sizes() {
    return sizes;
  }

  /** Seconds of fixed cost, before the first element. */
  public Interval startupSeconds() {
    return interval(fit.startup(), Line::startup);
  }

  /** Seconds of fixed cost after the first element (ramp-down, outputs, exit). */
  public Interval teardownSeconds() {
    return interval(fit.after(), Line::after);
  }

  public Interval fixedSeconds() {
    return interval(fit.fixed(), Line::fixed);
  }

  /** Items per second once running: 1 / the slope. Infinite where the slope is not positive (no measurable cost per item). */
  public Interval itemsPerSecond() {
    return interval(rate(fit), CostModel::rate);
  }

  public Interval predictSeconds(double items) {
    return interval(fit.seconds(items), r -> r.seconds(items));
  }

  /** The ratio of this model's rate to another's (a per-item speedup), replicate by replicate. */
  public Interval rateRatio(CostModel baseline) {
    double[] v = new double[replicates.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = rate(replicates[i]) / rate(baseline.replicates[i]);
    }
    return new Interval(rate(fit) / rate(baseline.fit), Bootstrap.percentile(v, 0.025), Bootstrap.percentile(v, 0.975));
  }

  /** This model's predicted time over another's at {@code items} (how many times faster the other is). */
  public Interval timeRatio(CostModel other, double items) {
    double[] v = new double[replicates.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = replicates[i].seconds(items) / other.replicates[i].seconds(items);
    }
    return new Interval(fit.seconds(items) / other.fit.seconds(items), Bootstrap.percentile(v, 0.025), Bootstrap.percentile(v, 0.975));
  }

  /**
   * The size above which {@code a} is faster than {@code b} and below which it is slower: where the two lines
   * cross with {@code a} the steeper-rated one. Empty when one is at least as fast at every size up to
   * {@code limit} (which one, {@link #fasterAt} tells).
   */
  public static java.util.OptionalDouble overtakesAbove(CostModel a, CostModel b, double limit) {
    return crossing(a.fit, b.fit, limit);
  }

  /** The same crossing in every bootstrap replicate (infinite where it does not cross below the limit), for its interval. */
  public static double[] overtakesAboveReplicates(CostModel a, CostModel b, double limit) {
    double[] v = new double[a.replicates.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = crossing(a.replicates[i], b.replicates[i], limit).orElse(Double.POSITIVE_INFINITY);
    }
    return v;
  }

  /** True when {@code a} is the faster of the two at {@code items}. */
  public static boolean fasterAt(CostModel a, CostModel b, double items) {
    return a.fit.seconds(items) < b.fit.seconds(items);
  }

  private static java.util.OptionalDouble crossing(Line a, Line b, double limit) {
    double slopeGap = b.perItem() - a.perItem(); // > 0: a gains on b with every item
    double fixedGap = a.fixed() - b.fixed(); // > 0: a starts behind
    if (!(slopeGap > 0) || !(fixedGap > 0)) {
      return java.util.OptionalDouble.empty();
    }
    double n = fixedGap / slopeGap;
    return n <= limit ? java.util.OptionalDouble.of(n) : java.util.OptionalDouble.empty();
  }

  private static double rate(Line l) {
    return l.perItem() > 0 ? 1 / l.perItem() : Double.POSITIVE_INFINITY;
  }

  private Interval interval(double value, java.util.function.ToDoubleFunction<Line> f) {
    double[] v = new double[replicates.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.applyAsDouble(replicates[i]);
    }
    return new Interval(value, Bootstrap.percentile(v, 0.025), Bootstrap.percentile(v, 0.975));
  }
}
