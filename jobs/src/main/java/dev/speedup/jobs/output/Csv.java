package dev.speedup.jobs.output;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** RFC 4180 fields for the CSV outputs. */
public final class Csv {
  private Csv() {}

  /** The value as is, or quoted (quotes doubled) when it holds a comma, quote or line break. */
  public static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /**
   * {@code v} with {@code places} decimals: the same text as {@code String.format(Locale.ROOT, "%.Nf", v)}, which
   * rounds half up the shortest decimal that reads back as {@code v} (Double.toString's digits) and keeps the
   * sign of a negative value that rounds to zero. The Formatter parses its pattern and looks up the locale's
   * symbols on every call, a cost paid once per output row.
   */
  public static String decimal(double v, int places) {
    if (!Double.isFinite(v)) {
      return String.format(Locale.ROOT, "%." + places + "f", v);
    }
    String s = new BigDecimal(Double.toString(v)).setScale(places, RoundingMode.HALF_UP).toPlainString();
    return Double.doubleToRawLongBits(v) < 0 && s.charAt(0) != '-' ? "-" + s : s;
  }
}
