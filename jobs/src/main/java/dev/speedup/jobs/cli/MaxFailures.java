package dev.speedup.jobs.cli;

import java.util.Locale;

/**
 * How many failed inputs a run tolerates before it exits {@link ExitCode#SOME_FAILED}: a count
 * ({@code 0}, {@code 25}) or a share of the inputs ({@code 5%}, {@code 0.5%}).
 */
public record MaxFailures(long count, double percent) {
  private static final String ALLOWED = "a count such as 0 or 25, or a share of the inputs such as 5% (0..100%)";

  /** Parses a flag's value; a bad one is a usage error naming the flag. */
  public static MaxFailures parse(String flag, String value) {
    String v = value == null ? "" : value.trim();
    try {
      if (v.endsWith("%")) {
        double p = Double.parseDouble(v.substring(0, v.length() - 1).trim());
        if (!(p >= 0 && p <= 100)) {
          throw new NumberFormatException();
        }
        return new MaxFailures(-1, p);
      }
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return new MaxFailures(n, -1);
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, value, ALLOWED);
    }
  }

  /** True when {@code failed} of {@code inputs} is within what is tolerated. */
  public boolean tolerates(long failed, long inputs) {
    if (count >= 0) {
      return failed <= count;
    }
    return failed * 100.0 <= percent * inputs;
  }

  /** The exit code of a run that finished with its counts reconciled. */
  public int exitCode(long failed, long inputs) {
    return tolerates(failed, inputs) ? ExitCode.OK : ExitCode.SOME_FAILED;
  }

  @Override
  public String toString() {
    return count >= 0 ? Long.toString(count) : String.format(Locale.ROOT, "%s%%", stripZeros(percent));
  }

  private static String stripZeros(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
