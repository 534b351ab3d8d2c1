import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP clients alone, for bench/http-clients.sh: the JDK's (what HttpFetch uses) or Jetty 12's, fetching
 * DATES documents from API with IN_FLIGHT requests at a time and reading every body chunk by chunk, one
 * chunk asked for at a time as HttpFetch does, but parsing nothing. Prints one line:
 * "CLIENT bodies=N failed=N bytes=N seconds=S cpuSeconds=S", timed from the first request to the last
 * body's end (process CPU over the same span).
 *
 * <p>Usage: java -cp JETTY_CLIENT_CLASSPATH:. HttpClientBench jdk|jetty API DATES IN_FLIGHT
 */
public final class HttpClientBench {
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicInteger FAILED = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    String client = args[0];
    String api = args[1];
    int dates = Integer.parseInt(args[2]);
    int inFlight = Integer.parseInt(args[3]);
    Semaphore slots = new Semaphore(inFlight);
    CountDownLatch done = new CountDownLatch(dates);
    long t0 = System.nanoTime();
    long c0 = processCpuNanos();
    switch (client) {
      case "jdk" -> {
        // As AsyncFetcher builds it: HTTP/1.1, the client's work on one thread per core.
        java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors()))
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
        for (int i = 0; i < dates; i++) {
          slots.acquire();
          HttpRequest request = HttpRequest.newBuilder(URI.create(api + "?date=" + date(i))).build();
          c.sendAsync(request, info -> info.statusCode() == 200 ? new Counting() : HttpResponse.BodySubscribers.replacing(null))
              .whenComplete((response, error) -> finish(error == null && response.statusCode() == 200, slots, done));
        }
      }
      case "jetty" -> {
        org.eclipse.jetty.client.HttpClient c = new org.eclipse.jetty.client.HttpClient();
        c.setMaxConnectionsPerDestination(inFlight);
        c.setFollowRedirects(false);
        c.start();
        for (int i = 0; i < dates; i++) {
          slots.acquire();
          c.newRequest(api + "?date=" + date(i))
              .onResponseContent((response, chunk) -> BYTES.addAndGet(chunk.remaining()))
              .send(result -> finish(result.isSucceeded() && result.getResponse().getStatus() == 200, slots, done));
        }
      }
      default -> throw new IllegalArgumentException("client must be jdk or jetty, not " + client);
    }
    done.await();
    System.out.printf("%s bodies=%d failed=%d bytes=%d seconds=%.3f cpuSeconds=%.2f%n", client, dates - FAILED.get(), FAILED.get(),
        BYTES.get(), (System.nanoTime() - t0) / 1e9, (processCpuNanos() - c0) / 1e9);
    System.exit(0);
  }

  private static LocalDate date(int i) {
    return LocalDate.of(2020, 6, 1).plusDays(i);
  }

  private static void finish(boolean ok, Semaphore slots, CountDownLatch done) {
    if (!ok) {
      FAILED.incrementAndGet();
    }
    slots.release();
    done.countDown();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** A body read one chunk at a time, as LimitedBodySubscriber asks for it, and counted. */
  private static final class Counting implements HttpResponse.BodySubscriber<Void> {
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<Void> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> chunks) {
      for (ByteBuffer chunk : chunks) {
        BYTES.addAndGet(chunk.remaining());
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(null);
    }
  }
}
