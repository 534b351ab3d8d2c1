package dev.speedup.jobs.output;

import static org.junit.Assert.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.Test;

public class CsvTest {
  private static void assertAsFormatter(double v, int places) {
    assertEquals("value " + v + " (bits " + Long.toHexString(Double.doubleToRawLongBits(v)) + "), " + places + " places",
        String.format(Locale.ROOT, "%." + places + "f", v), Csv.decimal(v, places));
  }

  @Test
  public void decimalsAreTheFormattersOnEdgeCases() {
    double[] edges = {
      0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.005, 2.675, -0.04, -0.05, -0.049999, -1.25, 26.849999999999998, 26.85,
      0.045, 9.995, 99.95, 1e-10, -1e-10, 1e10, 1.5e300, -1.5e300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
      Math.nextUp(0.05), Math.nextDown(0.05), Math.nextDown(0.25), Math.nextUp(-0.05),
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
    };
    for (double v : edges) {
      for (int places = 0; places <= 4; places++) {
        assertAsFormatter(v, places);
      }
    }
  }

  @Test
  public void decimalsAreTheFormattersOnRandomValues() {
    Random random = new Random(17);
    for (int i = 0; i < 200_000; i++) {
      double v = switch (i % 4) {
        // readings and means as the stand-in and the API give them: a few decimals, and sums divided
        case 0 -> Math.round((random.nextDouble() * 100 - 50) * 1000) / 1000.0;
        case 1 -> (random.nextInt(100_000) - 50_000) / 10.0 / (1 + random.nextInt(1440));
        case 2 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 15);
        default -> Double.longBitsToDouble(random.nextLong());
      };
      assertAsFormatter(v, 1 + i % 3);
    }
  }
}
