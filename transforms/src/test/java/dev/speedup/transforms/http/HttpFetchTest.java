package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.Fault;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.airtemp.AirTemperature;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Test;

/** {@link HttpFetch} against the API's stand-in: bodies, retries, failures, redirects, limits and settings. */
public class HttpFetchTest extends StandInFetchTest {
  @Test
  public void fetchesEveryUriWithTheServersBodies() throws Exception {
    startServer(AirTemperatureServer.builder());
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r = uris(range(12)).apply(quick().withMaxInFlight(4));
    PAssert.that(r.output())
        .satisfies(
            responses -> {
              int n = 0;
              for (FetchedResponse response : responses) {
                LocalDate date = AirTemperature.dateOf(response.uri()).orElseThrow();
                assertTrue(Arrays.equals(AirTemperatureDocuments.fullDay(date), response.body()));
                assertEquals(200, response.status());
                assertEquals(1, response.attempts());
                n++;
              }
              assertEquals(12, n);
              return null;
            });
    PAssert.that(r.failures()).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void transientFaultsAreRetriedAndSucceedWithinTheBudget() throws Exception {
    startServer(
        AirTemperatureServer.builder()
            .stallTime(Duration.ofSeconds(20))
            .fault(DAY.plusDays(0), Fault.parse("500*2"))
            .fault(DAY.plusDays(1), Fault.parse("503*1"))
            .fault(DAY.plusDays(2), Fault.parse("408*1"))
            .fault(DAY.plusDays(3), Fault.parse("429:0*3"))
            .fault(DAY.plusDays(4), Fault.parse("reset*1"))
            .fault(DAY.plusDays(5), Fault.parse("truncate*1"))
            .fault(DAY.plusDays(6), Fault.parse("stall*1")));
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r =
        uris(range(8)).apply(quick().withMaxAttempts(4).withMaxInFlight(8).withTimeout(Duration.ofMillis(700)));
    PAssert.that(r.failures()).empty();
    PAssert.that(r.output())
        .satisfies(
            responses -> {
              Map<Integer, Integer> attempts = new HashMap<>();
              for (FetchedResponse response : responses) {
                int day = (int) (AirTemperature.dateOf(response.uri()).orElseThrow().toEpochDay() - DAY.toEpochDay());
                attempts.put(day, response.attempts());
                assertTrue(Arrays.equals(AirTemperatureDocuments.fullDay(DAY.plusDays(day)), response.body()));
              }
              assertEquals(8, attempts.size());
              assertEquals(3, (int) attempts.get(0));
              assertEquals(2, (int) attempts.get(1));
              assertEquals(2, (int) attempts.get(2));
              assertEquals(4, (int) attempts.get(3));
              // Broken connections: at least one more attempt, unless the JDK client's own
              // reconnect of a pooled connection absorbed it; never over the budget.
              for (int day : new int[] {4, 5}) {
                assertThat(attempts.get(day), allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(4)));
              }
              assertEquals(2, (int) attempts.get(6));
              assertEquals(1, (int) attempts.get(7));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void permanentFaultsBecomeFailuresWithStatusAndAttemptsAndNothingIsLost() throws Exception {
    startServer(
        AirTemperatureServer.builder()
            .stallTime(Duration.ofSeconds(20))
            .fault(DAY.plusDays(0), Fault.status(404))
            .fault(DAY.plusDays(1), Fault.status(500))
            .fault(DAY.plusDays(2), Fault.parse("429:0"))
            .fault(DAY.plusDays(3), Fault.of(Fault.Kind.RESET))
            .fault(DAY.plusDays(4), Fault.of(Fault.Kind.TRUNCATE))
            .fault(DAY.plusDays(5), Fault.of(Fault.Kind.STALL)));
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r =
        uris(range(7)).apply(quick().withMaxAttempts(3).withMaxInFlight(8).withTimeout(Duration.ofMillis(400)));
    // A reset and a body cut short end in the client's own words, which differ between JDKs: the message
    // is checked up to them, and for having some.
    String connection = "connection failed before the whole answer arrived: ";
    PAssert.that(r.failures().apply("Messages", MapElements.into(TypeDescriptors.strings()).via(f -> withoutClientsWords(f, connection))))
        .containsInAnyOrder(
            Failure.of(uri(0).toString(), "fetch", FailureKind.HTTP_STATUS, 404, 1, "HTTP 404").toString(),
            Failure.of(uri(1).toString(), "fetch", FailureKind.HTTP_STATUS, 500, 3, "HTTP 500 (after 3 attempts)").toString(),
            Failure.of(uri(2).toString(), "fetch", FailureKind.HTTP_STATUS, 429, 3, "HTTP 429 (after 3 attempts)").toString(),
            Failure.of(uri(3).toString(), "fetch", FailureKind.CONNECTION, null, 3, connection + "...").toString(),
            Failure.of(uri(4).toString(), "fetch", FailureKind.CONNECTION, null, 3, connection + "...").toString(),
            Failure.of(uri(5).toString(), "fetch", FailureKind.TIMEOUT, null, 3,
                "no complete answer within 400ms (after 3 attempts)").toString());
    PAssert.that(r.output().apply(MapElements.into(TypeDescriptors.strings()).via(x -> x.uri().toString())))
        .containsInAnyOrder(uri(6).toString());
    PAssert.thatSingleton(inputsAccountedFor(r)).isEqualTo(7L);
    pipeline.run().waitUntilFinish();
    assertEquals("404 is not retried", 1, server.requestCount(DAY));
    assertEquals("500 is retried up to maxAttempts", 3, server.requestCount(DAY.plusDays(1)));
  }

  /**
   * Bodies that never end (1 MB/s each): every attempt times out, and its connection is closed then, not
   * read on to the body limit. The stand-in counts its open connections and the bytes it got out.
   */
  @Test
  public void aTimedOutAttemptIsCancelledAndItsConnectionClosed() throws Exception {
    AirTemperatureServer.Builder builder = AirTemperatureServer.builder();
    for (int d = 0; d < 4; d++) {
      builder.fault(DAY.plusDays(d), Fault.parse("endless:1024"));
    }
    startServer(builder);
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r =
        uris(range(4)).apply(quick().withMaxAttempts(2).withMaxInFlight(4).withTimeout(Duration.ofMillis(500)));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.kind() + " " + f.attempts())))
        .containsInAnyOrder("TIMEOUT 2", "TIMEOUT 2", "TIMEOUT 2", "TIMEOUT 2");
    pipeline.run().waitUntilFinish();
    assertEquals(8, server.connectionsOpened());
    assertTrue("every abandoned connection is closed, with the JVM still running (open: " + server.openConnections() + ")",
        server.awaitOpenConnectionsAtMost(0, Duration.ofSeconds(20)));
    long sent = server.endlessBytesSent();
    // 8 attempts of 0.5 s at 1 MB/s is about 4 MB; kept open, they would have gone on at 8 MB/s together.
    assertThat(sent, lessThan(12L << 20));
    assertEquals("nothing more is sent once they are closed", sent, server.endlessBytesSent());
  }

  @Test
  public void redirectsAreFollowedOnTheSameHostOnlyUnlessAllowed() throws Exception {
    startServer(AirTemperatureServer.builder()
        .fault(DAY.plusDays(0), Fault.parse("redirect*2"))
        .fault(DAY.plusDays(1), Fault.parse("redirect-away*1"))
        .fault(DAY.plusDays(2), Fault.parse("redirect")));
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r = uris(0, 1, 2).apply(quick().withMaxInFlight(3));
    PAssert.that(r.output().apply(MapElements.into(TypeDescriptors.strings()).via(x -> x.uri() + " " + x.body().length)))
        .containsInAnyOrder(uri(0) + " " + AirTemperatureDocuments.fullDay(DAY).length);
    PAssert.that(r.failures())
        .containsInAnyOrder(
            Failure.of(uri(1).toString(), "fetch", FailureKind.HTTP_STATUS, 302, 1,
                "HTTP 302 from 127.0.0.1 to another host, localhost: not followed (HttpFetch.Get#withRedirectsToOtherHosts allows it)"),
            Failure.of(uri(2).toString(), "fetch", FailureKind.HTTP_STATUS, 302, 1,
                "more than 5 redirects, the last from 127.0.0.1 to " + server.endpoint() + "?date=2020-06-03&hop=6"));
    pipeline.run().waitUntilFinish();
    assertEquals(3, server.requestCount(DAY)); // two redirects, then the document
  }

  @Test
  public void aRedirectToAnotherHostIsFollowedWhenAllowed() throws Exception {
    startServer(AirTemperatureServer.builder().fault(DAY, Fault.parse("redirect-away*1")));
    PCollection<FetchedResponse> out = uris(0).apply(quick().withRedirectsToOtherHosts(true)).output();
    PAssert.that(out.apply(MapElements.into(TypeDescriptors.strings()).via(x -> x.uri() + " " + x.status())))
        .containsInAnyOrder(uri(0) + " 200");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void maxBodyBytesRefusesLargerBodiesWithoutRetrying() throws Exception {
    startServer(AirTemperatureServer.builder());
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r = uris(0).apply(quick().withMaxBodyBytes(1000));
    PAssert.that(r.failures())
        .containsInAnyOrder(
            Failure.of(uri(0).toString(), "fetch", FailureKind.TOO_LARGE, null, 1, "body larger than the limit of 1000 bytes"));
    PAssert.that(r.output()).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void onlyHttpAndHttpsUrisAreFetched() throws Exception {
    startServer(AirTemperatureServer.builder());
    PCollection<URI> bad =
        pipeline.apply(Create.of(URI.create("ftp://127.0.0.1/x"), URI.create("file:///etc/passwd"), URI.create("http:relative"))
            .withCoder(UriCoder.of()));
    WithFailures.Result<PCollection<FetchedResponse>, Failure> r = bad.apply(quick());
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.kind() + " " + f.attempts())))
        .containsInAnyOrder("INVALID_URI 0", "INVALID_URI 0", "INVALID_URI 0");
    PAssert.that(r.output()).empty();
    pipeline.run().waitUntilFinish();
    assertEquals(0, server.requestCount());
  }

  @Test
  public void countersReportRequestsRetriesResponsesAndFailures() throws Exception {
    startServer(AirTemperatureServer.builder().fault(DAY, Fault.parse("500*2")).fault(DAY.plusDays(1), Fault.status(404)));
    uris(range(4)).apply(quick().withShards(3));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(6, counter(result, "requests")); // 3 + 1 + 1 + 1
    assertEquals(2, counter(result, "retries"));
    assertEquals(3, counter(result, "responses"));
    assertEquals(1, counter(result, "failures_HTTP_STATUS"));
    // Bytes as received: three whole days, which the stand-in sends gzip-compressed (about 46 KB of 860 KB).
    assertThat(counter(result, "bytes"), allOf(greaterThan(3L * 20_000), lessThan(3L * 100_000)));
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(HttpFetch.class, name)).build())
            .getCounters()) {
      total += c.getCommitted();
    }
    return total;
  }

  @Test
  public void badSettingsAreRefusedNamingParameterValueAndRange() {
    assertMessage(() -> HttpFetch.get().withMaxInFlight(0), "maxInFlight", "1..10000", "0");
    assertMessage(() -> HttpFetch.get().withMaxAttempts(101), "maxAttempts", "1..100", "101");
    assertMessage(() -> HttpFetch.get().withTimeout(Duration.ZERO), "timeout", "positive", "PT0S");
    assertMessage(() -> HttpFetch.get().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "maxBackoff", "initial", "PT2S");
    assertMessage(() -> HttpFetch.get().withMaxBodyBytes(0), "maxBodyBytes", "1..", "0");
    assertMessage(() -> HttpFetch.get().withRateLimit(-1), "requestsPerSecond", "> 0", "-1");
    assertMessage(() -> HttpFetch.get().withShards(-1), "shards", "0..100000", "-1");
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private static void assertMessage(org.junit.function.ThrowingRunnable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertThat(e.getMessage(), containsString(part));
    }
  }
}
