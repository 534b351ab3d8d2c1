package dev.speedup.transforms.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class RateLimiterTest {
  @Test
  public void spacesStartsByTheInterval() {
    RateLimiter limiter = new RateLimiter(10); // one start every 100 ms
    long t = 1_000_000_000L;
    assertEquals(0, limiter.reserve(t));
    assertEquals(100_000_000L, limiter.reserve(t));
    assertEquals(200_000_000L, limiter.reserve(t));
    // Later callers wait only for what remains of their slot.
    assertEquals(150_000_000L, limiter.reserve(t + 150_000_000L));
    // After a quiet spell no credit is banked beyond "now".
    assertEquals(0, limiter.reserve(t + 10_000_000_000L));
    assertEquals(100_000_000L, limiter.reserve(t + 10_000_000_000L));
  }

  @Test
  public void refusesNonPositiveRates() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN));
  }
}
