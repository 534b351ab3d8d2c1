package dev.speedup.jobs.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The checks a FlinkRunner job makes of its cluster before it starts, against a stand-in for Flink's REST API
 * (a real HTTP server on 127.0.0.1), and that the REST client's thread ends with the run.
 */
public class FlinkTargetTest {
  private static final int MAX_REQUESTS = 50;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String config = "{\"flink-version\":\"1.19.1\"}";

  @Before
  public void startRestStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String body = requests.incrementAndGet() > MAX_REQUESTS ? "{}"
          : path.equals("/config") ? config
          : path.equals("/jobs/overview") ? "{\"jobs\":[{\"name\":\"wanted\",\"state\":\"RUNNING\",\"tasks\":{\"total\":4,\"finished\":1}}]}"
          : "{}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(path.equals("/config") || path.equals("/jobs/overview") ? 200 : 404, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @After
  public void stopRestStandIn() {
    server.stop(0);
  }

  private FlinkPipelineOptions options(String master) {
    FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster(master);
    return o;
  }

  private String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private static Set<Thread> selectorThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  /** The selector threads started since {@code before} that are still running after up to 10 s each. */
  private static Set<Thread> stillRunning(Set<Thread> before) throws InterruptedException {
    Set<Thread> left = new HashSet<>();
    for (Thread t : selectorThreads()) {
      if (!before.contains(t)) {
        t.join(10_000);
        if (t.isAlive()) {
          left.add(t);
        }
      }
    }
    return left;
  }

  @Test
  public void aRunningClusterIsAcceptedItsJobsProgressReadAndItsClientStoppedAtClose() throws Exception {
    Set<Thread> before = selectorThreads();
    FlinkTarget target = FlinkTarget.prepare(options(address()), List.of());
    assertTrue(target.isCluster());
    assertEquals(Optional.of("cluster job running: 1/4 tasks finished"), target.progress("wanted"));
    assertEquals(Optional.of("cluster job: submitting"), target.progress("another"));
    assertFalse("the REST client runs a selector thread while the target is open", selectorThreads().equals(before));

    target.close();

    assertEquals("selector threads left running after close", Set.of(), stillRunning(before));
    assertEquals(Optional.empty(), target.progress("wanted"));
  }

  @Test
  public void aServerThatIsNotFlinkIsRefusedNamingWhatItAnsweredAndLeavesNoThread() throws Exception {
    config = "{\"something\":\"else\"}";
    Set<Thread> before = selectorThreads();
    FlinkTarget.RunnerUnavailableException e =
        assertThrows(FlinkTarget.RunnerUnavailableException.class, () -> FlinkTarget.prepare(options(address()), List.of()));
    assertThat(e.getMessage(), containsString("HTTP 200 from /config, not a Flink REST API"));
    assertThat(e.getMessage(), containsString(address()));
    assertEquals(Set.of(), stillRunning(before));
  }

  @Test
  public void noServerAtTheAddressIsRefusedAsConnectionRefused() throws Exception {
    int unused;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      unused = s.getLocalPort();
    }
    Set<Thread> before = selectorThreads();
    FlinkTarget.RunnerUnavailableException e = assertThrows(
        FlinkTarget.RunnerUnavailableException.class, () -> FlinkTarget.prepare(options("127.0.0.1:" + unused), List.of()));
    assertThat(e.getMessage(), containsString("connection refused"));
    assertEquals(Set.of(), stillRunning(before));
  }

  @Test
  public void embeddedFlinkNeedsNoClusterAndGetsOneSlotPerCore() {
    FlinkPipelineOptions o = options("[local]");
    FlinkTarget target = FlinkTarget.prepare(o, List.of());
    assertFalse(target.isCluster());
    assertEquals(Optional.empty(), target.progress("any"));
    assertEquals(Integer.valueOf(Runtime.getRuntime().availableProcessors()), o.getParallelism());
    target.close();
  }

  @Test
  public void aMasterThatIsNoAddressIsAUsageErrorNamingTheFlag() {
    UsageException e = assertThrows(UsageException.class, () -> FlinkTarget.prepare(options("[nowhere]"), List.of()));
    assertThat(e.getMessage(), containsString("flinkMaster"));
    assertThat(e.getMessage(), containsString("[nowhere]"));
  }
}
