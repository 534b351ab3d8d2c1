package dev.speedup.transforms.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.Test;

/** The JVM's shared fetch clients: one per core, kept while any step holds a lease, stopped by the last release. */
public class SharedClientsTest {
  private static void assertAllEnd(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(10).toMillis());
      assertFalse(t.getName() + " still running", t.isAlive());
    }
  }

  @Test
  public void leasesShareOneClientPerCoreAndTheLastReleaseStopsThem() throws Exception {
    Duration timeout = Duration.ofMillis(4321); // a timeout no other test leases
    SharedClients.Lease first = SharedClients.acquire(timeout);
    SharedClients.Lease second = SharedClients.acquire(timeout);
    SharedClients.Lease other = SharedClients.acquire(timeout.plusMillis(1));
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(cores, first.clients().size());
    assertEquals("one set for both leases", first.clients(), second.clients());
    assertEquals("each client its own", cores, new HashSet<>(first.clients()).size());
    assertNotEquals("another timeout, other clients", first.clients(), other.clients());

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
    assertEquals(cores, again.clients().size());
    assertTrue("built anew", again.clients().stream().noneMatch(first.clients()::contains));
    List<Thread> fresh = SharedClients.selectorThreads(timeout);
    again.release();
    assertAllEnd(fresh);
  }
}
