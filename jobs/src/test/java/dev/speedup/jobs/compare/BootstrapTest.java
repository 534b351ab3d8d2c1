package dev.speedup.jobs.compare;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.jobs.compare.Bootstrap.Interval;
import java.util.List;
import org.junit.Test;

public class BootstrapTest {
  /**
   * Seven runs of 1..7 s. The median of a resample of seven is the 4th smallest draw, so it is at most k when
   * at least 4 of 7 draws are at most k: P = sum_{j=4..7} C(7,j) (k/7)^j (1-k/7)^(7-j). That is 0.0102 for
   * k = 1 and 0.1083 for k = 2, so the 2.5% point is 2; 0.8917 for k = 5 and 0.9898 for k = 6, so the 97.5%
   * point is 6. Each is far enough from its threshold that 2,000 replicates on the fixed seed cannot miss it.
   */
  @Test
  public void medianIntervalOfSevenRunsMatchesTheHandComputedOne() {
    Interval i = Bootstrap.median(List.of(4.0, 1.0, 7.0, 2.0, 6.0, 3.0, 5.0));
    assertEquals(4.0, i.value(), 0);
    assertEquals(2.0, i.low(), 0);
    assertEquals(6.0, i.high(), 0);
  }

  /** Five runs of 1..5: P(median <= 1) = 0.058 > 0.025 and P(median <= 4) = 0.942 < 0.975, so the interval is the whole range. */
  @Test
  public void medianIntervalOfFiveRunsSpansThem() {
    Interval i = Bootstrap.median(List.of(1.0, 2.0, 3.0, 4.0, 5.0));
    assertEquals(new Interval(3, 1, 5), i);
  }

  @Test
  public void theSameRunsGiveTheSameInterval() {
    List<Double> v = List.of(3.1, 2.9, 3.4, 3.0, 5.2, 3.3);
    assertEquals(Bootstrap.median(v), Bootstrap.median(v));
    assertEquals(Bootstrap.ratioOfMedians(v, List.of(1.0, 1.1, 1.2)), Bootstrap.ratioOfMedians(v, List.of(1.0, 1.1, 1.2)));
  }

  @Test
  public void identicalRunsHaveNoSpread() {
    assertEquals(new Interval(2.5, 2.5, 2.5), Bootstrap.median(List.of(2.5, 2.5, 2.5)));
    // 6 s against 3 s every time: exactly 2x.
    assertEquals(new Interval(2, 2, 2), Bootstrap.ratioOfMedians(List.of(6.0, 6.0), List.of(3.0, 3.0, 3.0)));
  }

  @Test
  public void percentileIsTheNearestRank() {
    double[] v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
    assertEquals(1, Bootstrap.percentile(v, 0.025), 0); // ceil(0.25) = rank 1
    assertEquals(10, Bootstrap.percentile(v, 0.975), 0); // ceil(9.75) = rank 10
    assertEquals(5, Bootstrap.percentile(v, 0.5), 0);
  }

  @Test
  public void overlappingIntervalsAreNoMeasurableDifference() {
    Interval a = new Interval(2.05, 1.80, 2.40);
    Interval b = new Interval(2.25, 2.10, 2.65);
    Interval c = new Interval(3.00, 2.70, 3.30);
    assertTrue(Verdict.noMeasurableDifference(a, b));
    assertTrue(Verdict.noMeasurableDifference(b, a));
    assertFalse(Verdict.noMeasurableDifference(a, c));
    assertTrue(Verdict.noMeasurableDifference(b, new Interval(2.65, 2.65, 2.9))); // touching counts as overlapping
  }
}
