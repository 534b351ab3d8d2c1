package dev.speedup.transforms.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * The HTTP clients every fetch step in this JVM shares: one per core, each delivering its bodies on its own
 * selector thread, where a streaming parser then parses them. So parsing runs on as many threads as there
 * are cores whatever the number of workers, and a body chunk is parsed on the thread that read it, with no
 * hand-off to another thread per chunk. Leased by each step at set-up and released at tear-down; the last
 * release stops the clients ({@link OwnedClient}), so their threads do not hold up the JVM's exit.
 *
 * <p>https goes through a second set, built at the first https request, whose TLS is BoringSSL's
 * ({@link NativeTls}); where that is unavailable, through the first set, with the JDK's TLS.
 */
final class SharedClients {
  private static final Map<Duration, Entry> BY_CONNECT_TIMEOUT = new HashMap<>();

  private static final class Entry {
    final Duration connectTimeout;
    final List<OwnedClient> plain;
    /** Null until the first https request. */
    List<OwnedClient> tls;
    int leases;

    Entry(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      this.plain = build(connectTimeout, null);
    }

    synchronized List<OwnedClient> tls() {
      if (tls == null) {
        SSLContext context = NativeTls.context();
        tls = context == null ? plain : build(connectTimeout, context);
      }
      return tls;
    }

    synchronized void stop() {
      plain.forEach(OwnedClient::stop);
      if (tls != null && tls != plain) {
        tls.forEach(OwnedClient::stop);
      }
    }
  }

  private static List<OwnedClient> build(Duration connectTimeout, SSLContext tls) {
    List<OwnedClient> owned = new ArrayList<>();
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      // Runnable::run: the client's tasks (a body chunk to its subscriber, among them) run on the thread
      // that has them, its selector thread for what it reads.
      owned.add(OwnedClient.build(() -> AsyncFetcher.newClient(connectTimeout, Runnable::run, tls)));
    }
    return owned;
  }

  /** One step's use of the clients for a connect timeout: the client for each request, in turn; released once. */
  static final class Lease implements Function<URI, HttpClient> {
    private final Entry entry;
    private final AtomicInteger next = new AtomicInteger();
    private boolean released;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    @Override
    public HttpClient apply(URI uri) {
      List<OwnedClient> set = "https".equalsIgnoreCase(uri.getScheme()) ? entry.tls() : entry.plain;
      return set.get(Math.floorMod(next.getAndIncrement(), set.size())).client();
    }

    /** Ends this lease; the last one for its timeout stops the clients. */
    void release() {
      synchronized (BY_CONNECT_TIMEOUT) {
        if (released) {
          return;
        }
        released = true;
        if (--entry.leases == 0) {
          BY_CONNECT_TIMEOUT.remove(entry.connectTimeout);
          entry.stop();
        }
      }
    }
  }

  private SharedClients() {}

  /** The clients for {@code connectTimeout}, built (one per core) if no lease holds them. */
  static Lease acquire(Duration connectTimeout) {
    synchronized (BY_CONNECT_TIMEOUT) {
      Entry e = BY_CONNECT_TIMEOUT.computeIfAbsent(connectTimeout, Entry::new);
      e.leases++;
      return new Lease(e);
    }
  }

  /** The selector threads of the clients held now for {@code connectTimeout} (for tests). */
  static List<Thread> selectorThreads(Duration connectTimeout) {
    synchronized (BY_CONNECT_TIMEOUT) {
      Entry e = BY_CONNECT_TIMEOUT.get(connectTimeout);
      List<Thread> threads = new ArrayList<>();
      if (e != null) {
        synchronized (e) {
          e.plain.forEach(o -> threads.addAll(o.selectors()));
          if (e.tls != null && e.tls != e.plain) {
            e.tls.forEach(o -> threads.addAll(o.selectors()));
          }
        }
      }
      return threads;
    }
  }
}
