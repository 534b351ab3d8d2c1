package dev.speedup.jobs.cli;

/** A bad command line: the message names the flag, the value and what is allowed. Exit code 2. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "bad value for --flag: 'value' (allowed: ...)". */
  public static UsageException badValue(String flag, Object value, String allowed) {
    return new UsageException("bad value for --" + flag + ": '" + value + "' (allowed: " + allowed + ")");
  }
}
