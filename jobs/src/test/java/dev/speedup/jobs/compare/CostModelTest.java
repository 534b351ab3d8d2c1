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
  /** Runs of a job with {@code startup} s before the first item, {@code teardown} s after the last, {@code rate} items/s, and noise. */
  private static List<Sample> runs(double startup, double teardown, double rate, long[] sizes, double[] noise) {
    List<Sample> out = new ArrayList<>();
    for (long n : sizes) {
      for (double e : noise) {
        out.add(new Sample(n, startup + n / rate + teardown + e, startup + e / 4));
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
    // Medians 3, 5, 9 s at 100, 200, 400: the least-squares line is 1 s + 0.02 s an item.
    List<Sample> rs = List.of(new Sample(100, 3, 1), new Sample(200, 5, 1), new Sample(400, 9, 1));
    CostModel m = CostModel.fit(rs, 7);
    assertEquals(1.0, m.fixedSeconds().value(), 1e-9);
    assertEquals(50, m.itemsPerSecond().value(), 1e-9);
    assertEquals(1.0, m.startupSeconds().value(), 1e-9);
    assertEquals(0.0, m.teardownSeconds().value(), 1e-9);
  }

  @Test
  public void oneSizeIsNotEnough() {
    assertThrows(IllegalArgumentException.class, () -> CostModel.fit(List.of(new Sample(100, 3, 1), new Sample(100, 3.2, 1)), 1));
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
