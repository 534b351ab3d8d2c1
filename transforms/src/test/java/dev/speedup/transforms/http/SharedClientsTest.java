package dev.speedup.transforms.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** The JVM's shared fetch clients: one per core, kept while any step holds a lease, stopped by the last release. */
public class SharedClientsTest {
  private static void assertAllEnd(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(10).toMillis());
      assertFalse(t.getName() + " still running", t.isAlive());
    }
  }

  private static final URI PLAIN = URI.create("http://127.0.0.1:9/x");
  private static final URI TLS = URI.create("https://127.0.0.1:9/x");

  /** The clients a lease hands out for {@code uri}, over enough turns to see each of them. */
  private static Set<HttpClient> clients(SharedClients.Lease lease, URI uri) {
    Set<HttpClient> seen = new HashSet<>();
    for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
      seen.add(lease.apply(uri));
    }
    return seen;
  }

  @Test
  public void leasesShareOneClientPerCoreAndTheLastReleaseStopsThem() throws Exception {
    Duration timeout = Duration.ofMillis(4321); // a timeout no other test leases
    SharedClients.Lease first = SharedClients.acquire(timeout);
    SharedClients.Lease second = SharedClients.acquire(timeout);
    SharedClients.Lease other = SharedClients.acquire(timeout.plusMillis(1));
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals("one client a core, each used in turn", cores, clients(first, PLAIN).size());
    assertEquals("one set for both leases", clients(first, PLAIN), clients(second, PLAIN));
    assertNotEquals("another timeout, other clients", clients(first, PLAIN), clients(other, PLAIN));

    List<Thread> held = SharedClients.selectorThreads(timeout);
    assertEquals("one selector thread a client", cores, held.size());
    first.release();
    first.release(); // a second release of the same lease changes nothing
    for (Thread t : held) {
      assertTrue("still leased: " + t.getName(), t.isAlive());
    }
    List<Thread> otherThreads = SharedClients.selectorThreads(timeout.plusMillis(1));
    second.release();
    assertAllEnd(held);
    for (Thread t : otherThreads) {
      assertTrue("the other timeout's clients are still leased: " + t.getName(), t.isAlive());
    }
    other.release();
    assertAllEnd(otherThreads);

    SharedClients.Lease again = SharedClients.acquire(timeout);
    Set<HttpClient> before = clients(first, PLAIN);
    assertEquals(cores, clients(again, PLAIN).size());
    assertTrue("built anew", clients(again, PLAIN).stream().noneMatch(before::contains));
    List<Thread> fresh = SharedClients.selectorThreads(timeout);
    again.release();
    assertAllEnd(fresh);
  }

  @Test
  public void httpsGoesThroughASecondSetWithBoringSslBuiltAtItsFirstUseAndStoppedWithTheFirst() throws Exception {
    Duration timeout = Duration.ofMillis(4322);
    SharedClients.Lease lease = SharedClients.acquire(timeout);
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals("no https set until an https request", cores, SharedClients.selectorThreads(timeout).size());
    Set<HttpClient> plain = clients(lease, PLAIN);
    Set<HttpClient> tls = clients(lease, TLS);
    assertEquals(cores, tls.size());
    assertTrue("https clients apart from http's", tls.stream().noneMatch(plain::contains));
    assertEquals(tls, clients(lease, URI.create("HTTPS://127.0.0.1:9/y")));
    for (HttpClient c : tls) {
      assertEquals("Conscrypt", c.sslContext().getProvider().getName());
    }
    for (HttpClient c : plain) {
      assertEquals("the JDK's TLS where no https is sent", "SunJSSE", c.sslContext().getProvider().getName());
    }
    List<Thread> threads = SharedClients.selectorThreads(timeout);
    assertEquals(2 * cores, threads.size());
    lease.release();
    assertAllEnd(threads);
  }
}
