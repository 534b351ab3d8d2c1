package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.transforms.airtemp.AirTemperature;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Stopping a client ends its selector thread (which would otherwise hold up the JVM's exit by up to 300 ms),
 * and no other client's; a fetch pipeline stops the clients it made once it is done.
 */
public class OwnedClientTest {
  private static final LocalDate DAY = LocalDate.of(2020, 6, 1);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private transient AirTemperatureServer server;

  @Before
  public void startServer() throws Exception {
    server = AirTemperatureServer.builder().maxRequests(100).lifetime(Duration.ofMinutes(2)).start();
  }

  @After
  public void stopServer() {
    server.close();
  }

  private int statusOf(OwnedClient owned) throws Exception {
    HttpRequest get = HttpRequest.newBuilder(AirTemperature.uriFor(server.endpoint(), DAY)).build();
    return owned.client().send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void assertEnds(Thread t) throws InterruptedException {
    t.join(Duration.ofSeconds(10).toMillis());
    assertFalse(t.getName() + " still running", t.isAlive());
  }

  @Test
  public void stoppingEndsThisClientsSelectorThreadAndNoOther() throws Exception {
    OwnedClient one = OwnedClient.build(() -> AsyncFetcher.newClient(Duration.ofSeconds(5)));
    OwnedClient other = OwnedClient.build(() -> AsyncFetcher.newClient(Duration.ofSeconds(5)));
    assertEquals(1, one.selectors().size());
    assertEquals(1, other.selectors().size());
    assertTrue(one.selectors().get(0).isAlive());
    assertFalse("each its own", one.selectors().get(0) == other.selectors().get(0));
    assertEquals(200, statusOf(one));

    one.stop();
    assertEnds(one.selectors().get(0));
    assertTrue(other.selectors().get(0).isAlive());
    assertEquals("the other client still fetches", 200, statusOf(other));
    other.stop();
    assertEnds(other.selectors().get(0));
  }

  @Test
  public void aFetchPipelineLeavesNoSelectorThreadRunning() throws Exception {
    Set<Thread> before = new HashSet<>(OwnedClient.liveThreads());
    List<URI> uris = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      uris.add(AirTemperature.uriFor(server.endpoint(), DAY.plusDays(d)));
    }
    PAssert.thatSingleton(
            pipeline.apply(Create.of(uris).withCoder(UriCoder.of())).apply(HttpFetch.get().withMaxInFlight(3)).output().apply(Count.globally()))
        .isEqualTo(6L);
    pipeline.run().waitUntilFinish();

    List<Thread> started = new ArrayList<>();
    for (Thread t : OwnedClient.liveThreads()) {
      if (!before.contains(t) && OwnedClient.isSelector(t)) {
        started.add(t);
      }
    }
    for (Thread t : started) {
      t.join(Duration.ofSeconds(10).toMillis());
    }
    assertThat(started.stream().filter(Thread::isAlive).toList(), empty());
  }
}
