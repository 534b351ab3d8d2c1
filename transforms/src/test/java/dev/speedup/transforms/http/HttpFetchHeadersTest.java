package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Request headers (an API key): sent to the origin asked, never to another host or port a redirect leads to,
 * never displayed.
 */
public class HttpFetchHeadersTest {
  private static final String KEY = "secret-key-123";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** "path key-header" of every request the loopback server answered. */
  private static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

  private transient HttpServer server;
  /** Another server on the same host: another origin. */
  private transient HttpServer other;

  @Before
  public void start() throws Exception {
    SEEN.clear();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    for (HttpServer s : List.of(server, other)) {
      s.createContext("/", this::answer);
    }
    server.start();
    other.start();
  }

  private void answer(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
    int port = server.getAddress().getPort();
    String path = exchange.getRequestURI().getPath();
    SEEN.add(path + " " + exchange.getRequestHeaders().getFirst("x-api-key"));
    if (path.equals("/away")) {
      // By name another host than 127.0.0.1, though the same server.
      exchange.getResponseHeaders().add("Location", "http://localhost:" + port + "/landed");
      exchange.sendResponseHeaders(302, -1);
    } else if (path.equals("/port")) {
      exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/landed-on-other-port");
      exchange.sendResponseHeaders(302, -1);
    } else if (path.equals("/same")) {
      exchange.getResponseHeaders().add("Location", "/landed-here");
      exchange.sendResponseHeaders(302, -1);
    } else {
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @After
  public void stop() {
    server.stop(0);
    other.stop(0);
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  public void theHeaderGoesToTheHostAskedAndNotToAnotherHostARedirectLeadsTo() {
    HttpFetch.Get fetch = HttpFetch.get().withMaxAttempts(1).withRedirectsToOtherHosts(true).withHeader("x-api-key", KEY);
    WithFailures.Result<PCollection<FetchedResponse>, dev.speedup.transforms.Failure> r =
        pipeline.apply(Create.of(List.of(at("/direct"), at("/away"))).withCoder(UriCoder.of())).apply(fetch);
    // No setCoder: FetchedResponse and Failure carry their default coders.
    PCollection<String> paths = r.output().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.uri().getPath()));
    PAssert.that(paths).containsInAnyOrder("/direct", "/away");
    PAssert.that(r.failures()).empty();
    pipeline.run().waitUntilFinish();
    assertThat(SEEN, org.hamcrest.Matchers.containsInAnyOrder("/direct " + KEY, "/away " + KEY, "/landed null"));
  }

  /** The same host on another port may be another server: it is followed (same host) but gets no key. */
  @Test
  public void theHeaderGoesWithARedirectOnTheSameOriginButNotToAnotherPortOfTheSameHost() {
    HttpFetch.Get fetch = HttpFetch.get().withMaxAttempts(1).withHeader("x-api-key", KEY);
    WithFailures.Result<PCollection<FetchedResponse>, dev.speedup.transforms.Failure> r =
        pipeline.apply(Create.of(List.of(at("/same"), at("/port"))).withCoder(UriCoder.of())).apply(fetch);
    PAssert.that(r.failures()).empty();
    pipeline.run().waitUntilFinish();
    assertThat(SEEN, org.hamcrest.Matchers.containsInAnyOrder(
        "/same " + KEY, "/landed-here " + KEY, "/port " + KEY, "/landed-on-other-port null"));
  }

  @Test
  public void displayDataNamesTheHeaderButNotItsValue() {
    HttpFetch.Get fetch = HttpFetch.get().withMaxInFlight(32).withHeader("x-api-key", KEY);
    DisplayData data = DisplayData.from(fetch);
    assertThat(data.toString(), containsString("x-api-key"));
    assertThat(data.toString(), containsString("maxInFlight=32"));
    assertThat(data.toString(), not(containsString(KEY)));
  }

  @Test
  public void aHeaderThatCouldSplitTheRequestIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> HttpFetch.get().withHeader("x-api-key", "a\r\nHost: evil"));
    assertThrows(IllegalArgumentException.class, () -> HttpFetch.get().withHeader("bad name", "v"));
    assertEquals("the later value wins", HttpFetch.get().withHeader("X-Api-Key", "a").withHeader("x-api-key", "b").headers().size(), 1);
  }
}
