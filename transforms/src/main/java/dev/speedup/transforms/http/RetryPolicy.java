package dev.speedup.transforms.http;

import dev.speedup.transforms.Checks;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Bounded retries with exponential backoff and jitter.
 *
 * <p>Retried: connection failures, timeouts, 408, 429 and 5xx. Not retried: other statuses, bodies over
 * the size limit. A {@code Retry-After} header (seconds or an HTTP date) replaces the computed backoff,
 * capped at {@link #maxRetryAfter()} so a hostile or confused server cannot park a worker.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter)
    implements Serializable {

  public RetryPolicy {
    Checks.inRange("maxAttempts", maxAttempts, 1, 100);
    Checks.nonNegative("initialBackoff", initialBackoff);
    Checks.nonNegative("maxBackoff", maxBackoff);
    Checks.nonNegative("maxRetryAfter", maxRetryAfter);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff (" + maxBackoff + ") must be at least initialBackoff (" + initialBackoff + ")");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, initialBackoff, maxBackoff, maxRetryAfter);
  }

  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, initial, max, maxRetryAfter);
  }

  public RetryPolicy withMaxRetryAfter(Duration cap) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, cap);
  }

  /** Whether an answer with this status is worth another attempt. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  }

  /**
   * Whether an attempt that ended in {@code error} is worth another: all but a body over the size limit and a
   * server certificate refused (not trusted, or not for the host), which no retry changes.
   */
  public static boolean isRetryableError(Throwable error) {
    return !(error instanceof LimitedBodySubscriber.BodyTooLargeException) && !FetchError.certificateRefused(error);
  }

  /** Whether attempt number {@code attempt} (1-based) may be followed by another. */
  public boolean hasAttemptAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The wait before the attempt after {@code attempt} (1-based): {@code Retry-After} when the server
   * gave one (capped), otherwise {@code initialBackoff * 2^(attempt-1)} capped at {@code maxBackoff},
   * with "equal jitter" (a uniformly random half of it) so that many clients do not retry in step.
   */
  public Duration backoff(int attempt, Optional<String> retryAfter, DoubleSupplier random) {
    Optional<Duration> asked = retryAfter.flatMap(RetryPolicy::parseRetryAfter);
    if (asked.isPresent()) {
      Duration wait = asked.get();
      return wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait;
    }
    long base = initialBackoff.toNanos();
    int shift = Math.min(attempt - 1, 30);
    long exp = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    long capped = Math.min(exp, maxBackoff.toNanos());
    long half = capped / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (capped - half)));
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; anything else is ignored. */
  static Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
