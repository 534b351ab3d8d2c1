package dev.speedup.jobs.compare;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.jobs.compare.Bootstrap.Interval;
import dev.speedup.jobs.compare.CostModel.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.Test;

public class CostModelTest {
  /**
   * Runs of a job with {@code startup} s before the first item, {@code teardown} s after the last, {@code rate}
   * items/s; each noise value is added to one run's pipeline and, by a quarter, to its start-up.
   */
  private static List<Sample> runs(double startup, double teardown, double rate, long[] sizes, double[] noise) {
    List<Sample> out = new ArrayList<>();
    for (long n : sizes) {
      for (double e : noise) {
        double s = startup + e / 4;
        double p = n / rate + e;
        out.add(new Sample(n, s + p + teardown, s, p));
      }
    }
    return out;
  }

  @Test
  public void recoversStartupTeardownAndRateFromRunsAtTwoSizes() {
    CostModel m = CostModel.fit(runs(2.0, 0.5, 50, new long[] {100, 400}, new double[] {-0.1, 0, 0.1}), 1);
    assertEquals(2.0, m.startupSeconds().value(), 1e-9);
    assertEquals(0.5, m.teardownSeconds().value(), 1e-9);
    assertEquals(50, m.itemsPerSecond().value(), 1e-9);
    assertEquals(2.5 + 5856 / 50.0, m.predictSeconds(5856).value(), 1e-9);
    Interval rate = m.itemsPerSecond();
    assertTrue("the interval holds the true rate: " + rate, rate.low() <= 50 && 50 <= rate.high());
    assertTrue("noise widens it: " + rate, rate.high() - rate.low() > 0.5);
    Interval p = m.predictSeconds(5856);
    assertTrue("the prediction's interval widens away from the data: " + p + " vs " + m.predictSeconds(400),
        p.high() - p.low() > m.predictSeconds(400).high() - m.predictSeconds(400).low());
  }

  @Test
  public void moreThanTwoSizesAreFittedByLeastSquares() {
    // Pipelines 0.25 s + 0.02 s an item off by +0.2, -0.3, +0.1 at 100, 200, 400 items: residuals that sum to
    // zero and to zero weighted by the sizes, so the least-squares line is exactly 0.25 + 0.02 n.
    // Start-up 1 s and teardown 0.5 s in every run: the fixed cost is 1 + 0.5 + 0.25.
    List<Sample> rs = List.of(new Sample(100, 3.95, 1, 2.45), new Sample(200, 5.45, 1, 3.95), new Sample(400, 9.85, 1, 8.35));
    CostModel m = CostModel.fit(rs, 7);
    assertEquals(1.75, m.fixedSeconds().value(), 1e-9);
    assertEquals(50, m.itemsPerSecond().value(), 1e-9);
    assertEquals(1.0, m.startupSeconds().value(), 1e-9);
    assertEquals(0.75, m.teardownSeconds().value(), 1e-9);
  }

  @Test
  public void startupNoiseStaysOutOfTheRate() {
    // Start-up swings by a second from run to run (as a JVM's does); the pipeline is exactly n/50.
    List<Sample> rs = new ArrayList<>();
    double[] swing = {0, 1.0, 0.3};
    for (long n : new long[] {100, 400}) {
      for (double e : swing) {
        rs.add(new Sample(n, 2 + e + n / 50.0 + 0.5, 2 + e, n / 50.0));
      }
    }
    CostModel m = CostModel.fit(rs, 3);
    assertEquals(new Interval(50, 50, 50), m.itemsPerSecond());
    assertEquals(2.3, m.startupSeconds().value(), 1e-9);
    assertEquals(0.5, m.teardownSeconds().value(), 1e-9);
  }

  @Test
  public void aTeardownThatGrowsWithTheItemsCountsPerItem() {
    // 0.4 s + 0.5 ms an item of outputs written after the last element, on a pipeline of n/100.
    List<Sample> rs = new ArrayList<>();
    for (long n : new long[] {100, 400}) {
      rs.add(new Sample(n, 2 + n / 100.0 + 0.4 + 0.0005 * n, 2, n / 100.0));
    }
    CostModel m = CostModel.fit(rs, 5);
    assertEquals(1 / (0.01 + 0.0005), m.itemsPerSecond().value(), 1e-6);
    assertEquals(0.4, m.teardownSeconds().value(), 1e-9);
    assertEquals(2 + 6 + 0.4 + 0.3, m.predictSeconds(600).value(), 1e-9);
  }

  @Test
  public void oneSizeIsNotEnough() {
    assertThrows(IllegalArgumentException.class, () -> CostModel.fit(List.of(new Sample(100, 3, 1, 1), new Sample(100, 3.2, 1, 1)), 1));
  }

  @Test
  public void aConfigurationThatStartsSlowerButRunsFasterOvertakesWhereTheLinesCross() {
    double[] quiet = {0};
    long[] sizes = {100, 400};
    CostModel threads = CostModel.fit(runs(2.5, 0.5, 100, sizes, quiet), 1); // 3 s + n/100
    CostModel flink = CostModel.fit(runs(6.0, 1.0, 200, sizes, quiet), 1); // 7 s + n/200
    // 3 + n/100 = 7 + n/200  =>  n/200 = 4  =>  n = 800.
    OptionalDouble n = CostModel.overtakesAbove(flink, threads, Analysis.NEVER_BELOW);
    assertEquals(800, n.getAsDouble(), 1e-6);
    assertFalse("threads never overtakes flink from below", CostModel.overtakesAbove(threads, flink, Analysis.NEVER_BELOW).isPresent());
    assertTrue(CostModel.fasterAt(threads, flink, 799));
    assertTrue(CostModel.fasterAt(flink, threads, 801));
  }

  @Test
  public void slowerAtEverySizeNeverOvertakes() {
    long[] sizes = {100, 400};
    CostModel threads = CostModel.fit(runs(2.5, 0.5, 100, sizes, new double[] {0}), 1);
    CostModel flink = CostModel.fit(runs(6.0, 1.0, 90, sizes, new double[] {0}), 1); // starts later and runs slower
    assertFalse(CostModel.overtakesAbove(flink, threads, Analysis.NEVER_BELOW).isPresent());
    assertFalse(CostModel.overtakesAbove(threads, flink, Analysis.NEVER_BELOW).isPresent());
    assertTrue(CostModel.fasterAt(threads, flink, Analysis.NEVER_BELOW));
  }

  @Test
  public void aCrossingBeyondTenMillionItemsIsNever() {
    long[] sizes = {100, 400};
    CostModel a = CostModel.fit(runs(2.0, 0, 100, sizes, new double[] {0}), 1); // 2 s + n/100
    CostModel b = CostModel.fit(runs(1000.0, 0, 100.001, sizes, new double[] {0}), 1); // crosses near 1e10
    assertFalse(CostModel.overtakesAbove(b, a, Analysis.NEVER_BELOW).isPresent());
  }

  @Test
  public void rateRatioIsThePerItemSpeedup() {
    long[] sizes = {100, 400};
    CostModel seq = CostModel.fit(runs(2.0, 0.5, 50, sizes, new double[] {-0.05, 0.05}), 1);
    CostModel two = CostModel.fit(runs(2.2, 0.5, 90, sizes, new double[] {-0.05, 0.05}), 2);
    Interval s = two.rateRatio(seq);
    assertEquals(1.8, s.value(), 1e-9);
    assertTrue(s.toString(), s.low() < 1.8 && 1.8 < s.high());
    // Whole-process at 400 items: (2.5 + 8) / (2.7 + 4.444) s.
    assertEquals((2.5 + 8) / (2.7 + 400 / 90.0), 1 / two.timeRatio(seq, 400).value(), 1e-9);
  }
}
