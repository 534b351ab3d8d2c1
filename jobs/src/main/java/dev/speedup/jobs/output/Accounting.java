package dev.speedup.jobs.output;

import java.util.Map;

/**
 * The head of every {@code summary.json}: what came in and where each input ended. Every input ends in
 * exactly one output or one failure, so {@code inputs = succeeded + failed} must hold.
 */
public record Accounting(String command, long inputs, long succeeded, long failed, Map<String, Long> failedByKind) {
  public boolean reconciled() {
    return inputs == succeeded + failed;
  }

  /** " (KIND n, ...)" for a one-line summary, or "" when nothing failed. */
  public String kindsInBrackets() {
    return failedByKind.isEmpty() ? "" : " (" + failedByKind.toString().replaceAll("[{}]", "").replace("=", " ") + ")";
  }

  /** The loud line printed when the counts do not add up. */
  public String mismatch() {
    return command + ": COUNTS DO NOT RECONCILE: " + inputs + " inputs != " + succeeded + " succeeded + " + failed + " failed";
  }
}
