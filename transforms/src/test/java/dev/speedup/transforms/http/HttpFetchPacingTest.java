package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.Fault;
import dev.speedup.transforms.Failure;
import java.time.Duration;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Test;

/**
 * How {@link HttpFetch} paces its requests against the API's stand-in: requests in flight, the rate limit,
 * backoff and {@code Retry-After}.
 */
public class HttpFetchPacingTest extends StandInFetchTest {

  private int peakInFlightWith(int maxInFlight, Duration latency) throws Exception {
    startServer(AirTemperatureServer.builder().latency(latency));
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(1);
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r =
        urisInOneBundle(24).apply(quick().withMaxInFlight(maxInFlight));
    PAssert.thatSingleton(r.output().apply(Count.globally())).isEqualTo(24L);
    pipeline.run().waitUntilFinish();
    return server.peakInFlight();
  }


  @Test
  public void maxInFlightBoundsConcurrentRequests() throws Exception {
    // One worker with 24 URIs in one bundle: 8 at once, never more. (CI saw 5 and 4 here while the
    // URIs came from Create.of(list), i.e. in small bundles; see urisInOneBundle.)
    assertEquals(8, peakInFlightWith(8, Duration.ofSeconds(1)));
  }


  @Test
  public void withShardsAShardKeepsMaxInFlightOutHoweverTheInputWasBundled() throws Exception {
    // A plain Create.of(list), which the DirectRunner hands over in bundles of a handful; through
    // Reshuffle one shard still came in those pieces (peaks of 4 and 6 in two of three runs).
    startServer(AirTemperatureServer.builder().latency(Duration.ofSeconds(1)));
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(1);
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r = uris(range(24)).apply(quick().withMaxInFlight(8).withShards(1));
    PAssert.thatSingleton(r.output().apply(Count.globally())).isEqualTo(24L);
    pipeline.run().waitUntilFinish();
    assertEquals(8, server.peakInFlight());
  }


  @Test
  public void maxInFlightOfOneFetchesOneAtATime() throws Exception {
    assertEquals(1, peakInFlightWith(1, Duration.ofMillis(300)));
  }


  @Test
  public void rateLimitSpacesRequestStarts() throws Exception {
    startServer(AirTemperatureServer.builder());
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(1);
    uris(range(6)).apply(quick().withMaxInFlight(6).withRateLimit(10));
    long started = System.nanoTime();
    pipeline.run().waitUntilFinish();
    // Six starts at 10 a second cannot all happen in less than five intervals (a lower bound only).
    assertThat(Duration.ofNanos(System.nanoTime() - started), greaterThanOrEqualTo(Duration.ofMillis(500)));
    assertEquals(6, server.requestCount());
  }


  @Test
  public void retryAfterIsHonoured() throws Exception {
    startServer(AirTemperatureServer.builder().fault(DAY, Fault.parse("429:1*1")));
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r = uris(0).apply(quick());
    PAssert.that(r.output().apply(MapElements.into(TypeDescriptors.integers()).via(FetchedResponse::attempts)))
        .containsInAnyOrder(2);
    long started = System.nanoTime();
    pipeline.run().waitUntilFinish();
    // The backoff alone would be at most 20 ms; Retry-After: 1 makes the wait at least a second.
    assertThat(Duration.ofNanos(System.nanoTime() - started), greaterThanOrEqualTo(Duration.ofSeconds(1)));
  }


  @Test
  public void backoffSetsTheWaitBeforeARetry() throws Exception {
    startServer(AirTemperatureServer.builder().fault(DAY, Fault.parse("500*1")));
    uris(0).apply(HttpFetch.get().withBackoff(Duration.ofMillis(800), Duration.ofMillis(800)));
    long started = System.nanoTime();
    pipeline.run().waitUntilFinish();
    // Equal jitter waits at least half the backoff: 400 ms (a lower bound only).
    assertThat(Duration.ofNanos(System.nanoTime() - started), greaterThanOrEqualTo(Duration.ofMillis(400)));
    assertEquals(2, server.requestCount(DAY));
  }


  @Test
  public void maxRetryAfterCapsWhatTheServerAsks() throws Exception {
    startServer(AirTemperatureServer.builder().fault(DAY, Fault.parse("429:600*1")));
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r =
        uris(0).apply(quick().withMaxRetryAfter(Duration.ofMillis(50)));
    PAssert.that(r.output().apply(MapElements.into(TypeDescriptors.integers()).via(FetchedResponse::attempts)))
        .containsInAnyOrder(2);
    long started = System.nanoTime();
    pipeline.run().waitUntilFinish();
    // The server asked for 10 minutes; the cap makes it 50 ms. A generous upper bound, far from both.
    assertThat(Duration.ofNanos(System.nanoTime() - started), lessThan(Duration.ofMinutes(2)));
  }
}
