package dev.speedup.jobs.compare;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** Every figure checked against a case worked by hand. */
public class ScalingTest {
  private static final double EPS = 1e-9;

  @Test
  public void medianAndSpread() {
    assertEquals(2.0, Scaling.median(List.of(3.0, 1.0, 2.0)), EPS);
    assertEquals(2.5, Scaling.median(List.of(4.0, 1.0, 3.0, 2.0)), EPS);
    assertEquals(7.0, Scaling.median(List.of(7.0)), EPS);
    assertEquals(3.0, Scaling.range(List.of(4.0, 1.0, 3.0, 2.0)), EPS);
    assertThrows(IllegalArgumentException.class, () -> Scaling.median(List.of()));
  }

  @Test
  public void speedupAndEfficiency() {
    // 10 s sequential, 4 s on 4 workers: 2.5x, 62.5% of perfect.
    assertEquals(2.5, Scaling.speedup(10, 4), EPS);
    assertEquals(0.625, Scaling.efficiency(2.5, 4), EPS);
    assertThrows(IllegalArgumentException.class, () -> Scaling.speedup(10, 0));
  }

  @Test
  public void karpFlattSerialFraction() {
    // S = 2.5 on p = 4: (1/2.5 - 1/4) / (1 - 1/4) = (0.4 - 0.25) / 0.75 = 0.2.
    assertEquals(0.2, Scaling.karpFlatt(2.5, 4), EPS);
    // Perfect speedup: no serial part. No speedup at all on 2: all serial.
    assertEquals(0.0, Scaling.karpFlatt(8, 8), EPS);
    assertEquals(1.0, Scaling.karpFlatt(1, 2), EPS);
    assertTrue(Double.isNaN(Scaling.karpFlatt(1, 1)));
  }

  @Test
  public void amdahlsLaw() {
    // f = 0.2 on 4 workers: 1 / (0.2 + 0.8 / 4) = 1 / 0.4 = 2.5.
    assertEquals(2.5, Scaling.amdahl(0.2, 4), EPS);
    assertEquals(1.0, Scaling.amdahl(1, 64), EPS);
    assertEquals(16.0, Scaling.amdahl(0, 16), EPS);
  }

  @Test
  public void amdahlFitRecoversTheSerialFractionOfExactPoints() {
    int[] p = {1, 2, 4, 8};
    double[] s = {1, Scaling.amdahl(0.1, 2), Scaling.amdahl(0.1, 4), Scaling.amdahl(0.1, 8)};
    assertEquals(0.1, Scaling.amdahlFit(p, s), 1e-12);
  }

  @Test
  public void amdahlFitIsTheLeastSquaresLineOnInverseSpeedup() {
    // Points: p = 2, S = 1.6 (x = 0.5, y = 0.625 - 0.5 = 0.125); p = 4, S = 2.0 (x = 0.75, y = 0.5 - 0.25 = 0.25).
    // f = (0.5 * 0.125 + 0.75 * 0.25) / (0.25 + 0.5625) = 0.25 / 0.8125 = 0.307692...
    assertEquals(0.25 / 0.8125, Scaling.amdahlFit(new int[] {2, 4}, new double[] {1.6, 2.0}), 1e-12);
    // Slower than sequential: clamped to 1. Only p = 1: nothing to fit.
    assertEquals(1.0, Scaling.amdahlFit(new int[] {2}, new double[] {0.7}), EPS);
    assertTrue(Double.isNaN(Scaling.amdahlFit(new int[] {1}, new double[] {1})));
  }

  @Test
  public void ioBoundOfTheFetchWorkload() {
    // 60 dates x 50 ms, 2 workers x 1 in flight: 1.5 s; with 64 in flight each: 60 x 0.05 / 128.
    assertEquals(1.5, Scaling.ioBoundSeconds(60, 0.05, 2), EPS);
    assertEquals(3.0 / 128, Scaling.ioBoundSeconds(60, 0.05, 128), EPS);
  }
}
