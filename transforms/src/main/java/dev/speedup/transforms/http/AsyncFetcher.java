package dev.speedup.transforms.http;

import dev.speedup.transforms.Durations;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Fetches URIs with the JDK's non-blocking HTTP client: per-attempt timeout, bounded retries with
 * backoff, a body-size limit and an optional rate limit. Waiting (for the network, a backoff or a
 * rate-limit slot) holds no thread, so one worker can keep many requests in flight.
 *
 * <p>Plain Java, no Beam: {@link HttpFetch} wires it into a DoFn.
 */
public final class AsyncFetcher {
  /** What came of one URI: a response or a failure, and what it cost. */
  public record Outcome(
      URI uri, @Nullable FetchedResponse response, @Nullable Failure failure, int attempts, long bytes) {
    public boolean succeeded() {
      return response != null;
    }
  }

  private final HttpClient client;
  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  private final RetryPolicy retry;
  private final long maxBodyBytes;
  private final @Nullable RateLimiter rateLimiter;

  public AsyncFetcher(
      HttpClient client,
      ScheduledExecutorService scheduler,
      Duration timeout,
      RetryPolicy retry,
      long maxBodyBytes,
      @Nullable Double requestsPerSecond) {
    this.client = client;
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.retry = retry;
    this.maxBodyBytes = maxBodyBytes;
    this.rateLimiter = requestsPerSecond == null ? null : new RateLimiter(requestsPerSecond);
  }

  /** A client suited to this fetcher: HTTP/1.1 (no h2c upgrade dance), connect timeout applied. */
  public static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** Why a URI is refused before any request, or empty if it is acceptable. */
  public static Optional<String> invalidReason(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("only http and https URIs are fetched, got scheme '" + uri.getScheme() + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("URI has no host");
    }
    return Optional.empty();
  }

  /** Starts fetching {@code uri}; the future always completes normally, with a response or a failure. */
  public CompletableFuture<Outcome> fetch(URI uri) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Optional<String> invalid = invalidReason(uri);
    if (invalid.isPresent()) {
      outcome.complete(
          new Outcome(uri, null, Failure.of(uri.toString(), "fetch", FailureKind.INVALID_URI, null, 0, invalid.get()), 0, 0));
      return outcome;
    }
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
    } catch (IllegalArgumentException e) {
      outcome.complete(
          new Outcome(uri, null, Failure.of(uri.toString(), "fetch", FailureKind.INVALID_URI, null, 0, e.getMessage()), 0, 0));
      return outcome;
    }
    attemptAfterRateLimit(request, 1, 0, outcome);
    return outcome;
  }

  private void attemptAfterRateLimit(HttpRequest request, int attempt, long bytes, CompletableFuture<Outcome> outcome) {
    long wait = rateLimiter == null ? 0 : rateLimiter.reserve(System.nanoTime());
    if (wait <= 0) {
      attempt(request, attempt, bytes, outcome);
    } else {
      scheduler.schedule(() -> attempt(request, attempt, bytes, outcome), wait, TimeUnit.NANOSECONDS);
    }
  }

  private void attempt(HttpRequest request, int attempt, long bytesSoFar, CompletableFuture<Outcome> outcome) {
    CompletableFuture<HttpResponse<byte[]>> call;
    try {
      call = client.sendAsync(request, LimitedBodySubscriber.handler(maxBodyBytes));
    } catch (RuntimeException e) {
      finish(request.uri(), attempt, bytesSoFar, outcome, FailureKind.CONNECTION, null, "could not send: " + e);
      return;
    }
    // The request timeout covers the wait for headers; this also bounds a body that stalls midway.
    call.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null) {
                  onError(request, attempt, bytesSoFar, outcome, unwrap(error));
                } else {
                  onResponse(request, attempt, bytesSoFar, outcome, response);
                }
              } catch (RuntimeException unexpected) {
                finish(request.uri(), attempt, bytesSoFar, outcome, FailureKind.CONNECTION, null,
                    "unexpected error: " + unexpected);
              }
            });
  }

  private void onResponse(
      HttpRequest request, int attempt, long bytesSoFar, CompletableFuture<Outcome> outcome, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    long bytes = bytesSoFar + response.body().length;
    if (status >= 200 && status < 300) {
      outcome.complete(
          new Outcome(request.uri(), FetchedResponse.of(request.uri(), status, response.body(), attempt), null, attempt, bytes));
      return;
    }
    String message = "HTTP " + status;
    if (RetryPolicy.isRetryableStatus(status) && retry.hasAttemptAfter(attempt)) {
      retryLater(request, attempt, bytes, outcome, response.headers().firstValue("retry-after"));
    } else {
      finish(request.uri(), attempt, bytes, outcome, FailureKind.HTTP_STATUS, status, message);
    }
  }

  private void onError(HttpRequest request, int attempt, long bytes, CompletableFuture<Outcome> outcome, Throwable error) {
    FailureKind kind;
    String message;
    if (error instanceof LimitedBodySubscriber.BodyTooLargeException) {
      finish(request.uri(), attempt, bytes, outcome, FailureKind.TOO_LARGE, null, error.getMessage());
      return;
    } else if (error instanceof HttpTimeoutException || error instanceof TimeoutException) {
      kind = FailureKind.TIMEOUT;
      message = "no complete answer within " + Durations.format(timeout);
    } else if (error instanceof ConnectException) {
      kind = FailureKind.CONNECTION;
      message = "could not connect to " + request.uri().getHost() + ":" + port(request.uri());
    } else if (error instanceof IOException) {
      kind = FailureKind.CONNECTION;
      message = "connection reset or closed before the whole answer arrived";
    } else {
      kind = FailureKind.CONNECTION;
      message = "request failed: " + error.getClass().getSimpleName();
    }
    if (retry.hasAttemptAfter(attempt)) {
      retryLater(request, attempt, bytes, outcome, Optional.empty());
    } else {
      finish(request.uri(), attempt, bytes, outcome, kind, null, message);
    }
  }

  private void retryLater(
      HttpRequest request, int attempt, long bytes, CompletableFuture<Outcome> outcome, Optional<String> retryAfter) {
    Duration wait = retry.backoff(attempt, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
    scheduler.schedule(() -> attemptAfterRateLimit(request, attempt + 1, bytes, outcome), wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static void finish(
      URI uri, int attempts, long bytes, CompletableFuture<Outcome> outcome, FailureKind kind,
      @Nullable Integer status, String message) {
    String text = attempts > 1 ? message + " (after " + attempts + " attempts)" : message;
    outcome.complete(
        new Outcome(uri, null, Failure.of(uri.toString(), "fetch", kind, status, attempts, text), attempts, bytes));
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
      cur = cur.getCause();
    }
    // The JDK client wraps a body subscriber's own failure in an IOException.
    if (cur instanceof IOException && cur.getCause() instanceof LimitedBodySubscriber.BodyTooLargeException big) {
      return big;
    }
    return cur;
  }
}
