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

  /**
   * A setting made by the code that owns it (a transform's builder, a value type's parser), with its
   * {@code IllegalArgumentException} turned into a usage error naming the flag, the value and the reason.
   */
  public static <T> T fromSetting(String flag, Object value, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad value for --" + flag + ": '" + value + "' (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A flag's value as a path. The JVM names files in the locale's character set: under the C locale a
   * non-ASCII path cannot be named at all.
   */
  public static java.nio.file.Path path(String flag, String value) {
    try {
      return java.nio.file.Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw badValue(flag, value, "a path the JVM can name in its file-name encoding, " + System.getProperty("sun.jnu.encoding")
          + " (from the locale); run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8, as bin/speedup does");
    }
  }

  /** {@link #fromSetting(String, Object, java.util.function.Supplier)} applied to {@code arg}. */
  public static <A, T> T fromSetting(String flag, Object value, java.util.function.Function<A, T> make, A arg) {
    return fromSetting(flag, value, () -> make.apply(arg));
  }
}
