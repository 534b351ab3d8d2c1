package dev.speedup.transforms.airtemp;

import java.io.Serializable;

/**
 * The readings taken as physically possible, in deg C; others (and non-finite ones) are rejected and
 * counted. The default, -40..60, is wider than any air temperature measured at a weather station, and
 * far wider than Singapore's.
 */
public record ValidRange(double minC, double maxC) implements Serializable {
  public static final ValidRange AIR_TEMPERATURE = new ValidRange(-40, 60);

  public ValidRange {
    if (!Double.isFinite(minC) || !Double.isFinite(maxC) || !(minC < maxC)) {
      throw new IllegalArgumentException("a valid range MIN..MAX needs two finite numbers with MIN < MAX, got " + minC + ".." + maxC);
    }
  }

  /** {@code MIN..MAX}, e.g. {@code -40..60}. */
  public static ValidRange parse(String text) {
    int dots = text.indexOf("..");
    if (dots < 0) {
      throw new IllegalArgumentException("expected MIN..MAX in deg C, e.g. -40..60, got '" + text + "'");
    }
    try {
      return new ValidRange(Double.parseDouble(text.substring(0, dots).trim()), Double.parseDouble(text.substring(dots + 2).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected MIN..MAX in deg C, e.g. -40..60, got '" + text + "'");
    }
  }

  public boolean admits(double v) {
    return v >= minC && v <= maxC; // false for NaN and the infinities
  }

  @Override
  public String toString() {
    return minC + ".." + maxC;
  }
}
