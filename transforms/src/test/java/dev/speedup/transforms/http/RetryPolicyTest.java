package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.Test;

public class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));

  @Test
  public void retriesTimeoutsThrottlingAndServerErrorsOnly() {
    for (int s : new int[] {408, 429, 500, 502, 503, 504, 599}) {
      assertTrue("status " + s, RetryPolicy.isRetryableStatus(s));
    }
    for (int s : new int[] {200, 301, 400, 401, 403, 404, 410, 422}) {
      assertFalse("status " + s, RetryPolicy.isRetryableStatus(s));
    }
  }

  @Test
  public void attemptsAreBounded() {
    assertTrue(policy.hasAttemptAfter(4));
    assertFalse(policy.hasAttemptAfter(5));
  }

  @Test
  public void backoffDoublesUpToTheCapWithEqualJitter() {
    // random = 1: the full computed wait; random = 0: half of it.
    assertEquals(Duration.ofMillis(100), policy.backoff(1, Optional.empty(), () -> 1.0));
    assertEquals(Duration.ofMillis(200), policy.backoff(2, Optional.empty(), () -> 1.0));
    assertEquals(Duration.ofMillis(400), policy.backoff(3, Optional.empty(), () -> 1.0));
    assertEquals(Duration.ofSeconds(1), policy.backoff(5, Optional.empty(), () -> 1.0));
    assertEquals(Duration.ofSeconds(1), policy.backoff(60, Optional.empty(), () -> 1.0));
    assertEquals(Duration.ofMillis(50), policy.backoff(1, Optional.empty(), () -> 0.0));
    assertEquals(Duration.ofMillis(500), policy.backoff(9, Optional.empty(), () -> 0.0));
  }

  @Test
  public void retryAfterReplacesTheBackoffAndIsCapped() {
    assertEquals(Duration.ofSeconds(3), policy.backoff(1, Optional.of("3"), () -> 1.0));
    assertEquals(Duration.ofSeconds(10), policy.backoff(1, Optional.of("3600"), () -> 1.0));
    String inAWhile = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(2));
    assertEquals(Duration.ofSeconds(10), policy.backoff(1, Optional.of(inAWhile), () -> 1.0));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(2));
    assertEquals(Duration.ZERO, policy.backoff(1, Optional.of(past), () -> 1.0));
    // Garbage is ignored: the computed backoff applies.
    assertEquals(Duration.ofMillis(100), policy.backoff(1, Optional.of("soon"), () -> 1.0));
  }

  @Test
  public void badSettingsAreRefusedNamingTheParameter() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    assertThat(e.getMessage(), allOf(containsString("maxAttempts"), containsString("1..100"), containsString("0")));
    e = assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO));
    assertThat(e.getMessage(), containsString("maxBackoff"));
  }
}
