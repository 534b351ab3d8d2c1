package dev.speedup.transforms.http;

import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.transforms.airtemp.AirTemperature;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

public class AsyncFetcherTest {
  /**
   * An answer is settled on the thread that read its body, as a client built for it ({@link SharedClients}'
   * kind) reads it: not after the JDK client's own hand-off of the exchange, which on two cores starts a thread
   * for every response, and elsewhere queues it on the common pool.
   */
  @Test
  public void anAnswerIsSettledOnTheThreadThatReadItsBody() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (AirTemperatureServer server = AirTemperatureServer.builder().maxRequests(100).lifetime(Duration.ofMinutes(1)).start()) {
      HttpClient client = AsyncFetcher.newClient(Duration.ofSeconds(5), Runnable::run);
      AsyncFetcher fetcher = new AsyncFetcher(uri -> client, scheduler, Duration.ofSeconds(10), RetryPolicy.defaults(), 64L << 20,
          null, false, Map.of(), true);
      List<CompletableFuture<String>> settledOn = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        settledOn.add(fetcher.fetch(AirTemperature.uriFor(server.endpoint(), LocalDate.of(2020, 6, 1).plusDays(i)))
            .thenApply(outcome -> (outcome.succeeded() ? "ok " : "failed ") + Thread.currentThread().getName()));
      }
      for (CompletableFuture<String> f : settledOn) {
        String settled = f.get(30, TimeUnit.SECONDS);
        assertTrue(settled, settled.startsWith("ok HttpClient-") && settled.endsWith("-SelectorManager"));
      }
    } finally {
      scheduler.shutdownNow();
    }
  }
}
