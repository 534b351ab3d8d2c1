package dev.speedup.transforms.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP clients every fetch step in this JVM shares: one per core, each delivering its bodies on its own
 * selector thread, where a streaming parser then parses them. So parsing runs on as many threads as there
 * are cores whatever the number of workers, and a body chunk is parsed on the thread that read it, with no
 * hand-off to another thread per chunk. Leased by each step at set-up and released at tear-down; the last
 * release stops the clients ({@link OwnedClient}), so their threads do not hold up the JVM's exit.
 */
final class SharedClients {
  private static final Map<Duration, Entry> BY_CONNECT_TIMEOUT = new HashMap<>();

  private static final class Entry {
    final List<OwnedClient> owned;
    int leases;

    Entry(List<OwnedClient> owned) {
      this.owned = owned;
    }
  }

  /** One step's use of the clients for {@code connectTimeout}; released once. */
  static final class Lease {
    private final Duration connectTimeout;
    private final List<HttpClient> clients;
    private boolean released;

    private Lease(Duration connectTimeout, List<HttpClient> clients) {
      this.connectTimeout = connectTimeout;
      this.clients = clients;
    }

    List<HttpClient> clients() {
      return clients;
    }

    /** Ends this lease; the last one for its timeout stops the clients. */
    void release() {
      synchronized (BY_CONNECT_TIMEOUT) {
        if (released) {
          return;
        }
        released = true;
        Entry e = BY_CONNECT_TIMEOUT.get(connectTimeout);
        if (--e.leases == 0) {
          BY_CONNECT_TIMEOUT.remove(connectTimeout);
          e.owned.forEach(OwnedClient::stop);
        }
      }
    }
  }

  private SharedClients() {}

  /** The clients for {@code connectTimeout}, built (one per core) if no lease holds them. */
  static Lease acquire(Duration connectTimeout) {
    synchronized (BY_CONNECT_TIMEOUT) {
      Entry e = BY_CONNECT_TIMEOUT.computeIfAbsent(connectTimeout, t -> {
        List<OwnedClient> owned = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
          // Runnable::run: the client's tasks (a body chunk to its subscriber, among them) run on the thread
          // that has them, its selector thread for what it reads.
          owned.add(OwnedClient.build(() -> AsyncFetcher.newClient(t, Runnable::run)));
        }
        return new Entry(owned);
      });
      e.leases++;
      return new Lease(connectTimeout, e.owned.stream().map(OwnedClient::client).toList());
    }
  }

  /** The selector threads of the clients held now for {@code connectTimeout} (for tests). */
  static List<Thread> selectorThreads(Duration connectTimeout) {
    synchronized (BY_CONNECT_TIMEOUT) {
      Entry e = BY_CONNECT_TIMEOUT.get(connectTimeout);
      List<Thread> threads = new ArrayList<>();
      if (e != null) {
        e.owned.forEach(o -> threads.addAll(o.selectors()));
      }
      return threads;
    }
  }
}
