package dev.speedup.transforms.http;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An {@link HttpClient} with a way to stop it once its owner is done with it.
 *
 * <p>JDK 17's client cannot be closed (JDK 21 adds {@code close()}). Its selector thread ends only after
 * the client has been garbage collected, and until then waits in native code, where the JVM, as it exits,
 * waits up to 300 ms for threads to leave. Interrupting the selector thread ends it at once. That thread is
 * the one started while the client was built, under the name the JDK gives it; only such threads are
 * stopped, so another client in the same JVM is never touched. Public for other clients a job keeps (a
 * Flink cluster's REST probe), which would hold up the exit the same way.
 */
public final class OwnedClient {
  private static final Object BUILDING = new Object();

  private final HttpClient client;
  private final List<Thread> selectors;

  private OwnedClient(HttpClient client, List<Thread> selectors) {
    this.client = client;
    this.selectors = selectors;
  }

  /** Builds a client, noting the selector thread it starts. */
  public static OwnedClient build(Supplier<HttpClient> builder) {
    synchronized (BUILDING) {
      Set<Thread> before = new HashSet<>(liveThreads());
      HttpClient client = builder.get();
      List<Thread> selectors = new ArrayList<>();
      for (Thread t : liveThreads()) {
        if (!before.contains(t) && isSelector(t)) {
          selectors.add(t);
        }
      }
      return new OwnedClient(client, selectors);
    }
  }

  public HttpClient client() {
    return client;
  }

  /** The client's selector threads (one, as the JDK builds it today). */
  List<Thread> selectors() {
    return List.copyOf(selectors);
  }

  /**
   * Stops the client: requests still in flight fail. The client must not be used again: with its selector
   * thread gone, a request sent after this waits for ever, its timeout included.
   */
  public void stop() {
    selectors.forEach(Thread::interrupt);
  }

  static boolean isSelector(Thread t) {
    return t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager");
  }

  static List<Thread> liveThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n;
    while ((n = root.enumerate(threads, true)) == threads.length) {
      threads = new Thread[threads.length * 2];
    }
    return Arrays.asList(threads).subList(0, n);
  }
}
