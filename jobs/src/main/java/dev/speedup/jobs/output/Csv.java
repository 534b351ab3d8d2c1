package dev.speedup.jobs.output;

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
}
