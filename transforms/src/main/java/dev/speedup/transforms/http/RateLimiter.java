package dev.speedup.transforms.http;

/**
 * Spaces request starts at least {@code 1/permitsPerSecond} apart. Non-blocking: a caller reserves a
 * start time and is told how long to wait, so waiting requests hold no thread.
 */
final class RateLimiter {
  private final long intervalNanos;
  private long nextFree;

  RateLimiter(double permitsPerSecond) {
    if (!(permitsPerSecond > 0)) {
      throw new IllegalArgumentException("permitsPerSecond must be > 0, got " + permitsPerSecond);
    }
    this.intervalNanos = (long) (1e9 / permitsPerSecond);
    this.nextFree = Long.MIN_VALUE;
  }

  /** Reserves the next start slot at or after {@code nowNanos}; returns the wait in nanoseconds. */
  synchronized long reserve(long nowNanos) {
    long start = nextFree == Long.MIN_VALUE ? nowNanos : Math.max(nowNanos, nextFree);
    nextFree = start + intervalNanos;
    return start - nowNanos;
  }
}
