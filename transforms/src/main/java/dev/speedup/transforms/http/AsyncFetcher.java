package dev.speedup.transforms.http;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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
      URI uri, @Nullable FetchedResponse response, @Nullable Failure failure, int attempts, long bytes,
      StreamingBodyParser.@Nullable Session<?> session) {
    /** An outcome whose body, if any, is in {@code response}. */
    public Outcome(URI uri, @Nullable FetchedResponse response, @Nullable Failure failure, int attempts, long bytes) {
      this(uri, response, failure, attempts, bytes, null);
    }

    public boolean succeeded() {
      return response != null;
    }
  }

  private final Function<URI, HttpClient> clients;
  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  private final RetryPolicy retry;
  private final long maxBodyBytes;
  private final @Nullable RateLimiter rateLimiter;
  private final Redirects redirects;
  private final Map<String, String> headers;
  /** Whether requests ask for gzip-compressed bodies, which 2xx bodies so encoded are decoded from. */
  private final boolean gzip;

  /** Redirects followed for one attempt before it fails. */
  public static final int MAX_REDIRECTS = Redirects.MAX;

  /** One URI's fetch: the URI asked for, where its outcome goes, and the parser its 2xx body streams to, if any. */
  private record Job(URI original, CompletableFuture<Outcome> outcome, @Nullable StreamingBodyParser<?> streaming) {}

  /** A fetcher sending each attempt by the client {@code clients} gives for its URI. */
  public AsyncFetcher(
      Function<URI, HttpClient> clients,
      ScheduledExecutorService scheduler,
      Duration timeout,
      RetryPolicy retry,
      long maxBodyBytes,
      @Nullable Double requestsPerSecond,
      boolean redirectsToOtherHosts,
      Map<String, String> headers,
      boolean gzip) {
    this.clients = clients;
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.retry = retry;
    this.maxBodyBytes = maxBodyBytes;
    this.rateLimiter = requestsPerSecond == null ? null : new RateLimiter(requestsPerSecond);
    this.headers = Map.copyOf(headers);
    this.redirects = new Redirects(redirectsToOtherHosts, this.headers);
    this.gzip = gzip;
  }

  /**
   * A client suited to this fetcher: HTTP/1.1 (no h2c upgrade dance), connect timeout applied, redirects
   * not followed by the client (this fetcher follows them itself, by its own rule on hosts).
   */
  public static HttpClient newClient(Duration connectTimeout) {
    return newClient(connectTimeout, null);
  }

  /**
   * As {@link #newClient(Duration)}, its asynchronous work (delivering bodies, and so a streaming parser's
   * work) on {@code executor} when given, instead of the client's own pool, which grows a thread per exchange.
   */
  public static HttpClient newClient(Duration connectTimeout, java.util.concurrent.@Nullable Executor executor) {
    return newClient(connectTimeout, executor, null);
  }

  /** As {@link #newClient(Duration, java.util.concurrent.Executor)}, with {@code tls} for https when given. */
  static HttpClient newClient(
      Duration connectTimeout, java.util.concurrent.@Nullable Executor executor, javax.net.ssl.@Nullable SSLContext tls) {
    HttpClient.Builder b = HttpClient.newBuilder();
    if (executor != null) {
      b.executor(executor);
    }
    if (tls != null) {
      b.sslContext(tls);
    }
    return b
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
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
    return fetch(uri, null);
  }

  /**
   * As {@link #fetch(URI)}; with {@code streaming}, a 2xx body is fed to a session of it as it arrives (one
   * per attempt) instead of being collected: the outcome's response then has an empty body, and its
   * {@link Outcome#session()} is the session to finish.
   */
  public CompletableFuture<Outcome> fetch(URI uri, @Nullable StreamingBodyParser<?> streaming) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Optional<String> invalid = invalidReason(uri);
    if (invalid.isPresent()) {
      outcome.complete(
          new Outcome(uri, null, Failure.of(uri.toString(), "fetch", FailureKind.INVALID_URI, null, 0, invalid.get()), 0, 0));
      return outcome;
    }
    HttpRequest request;
    try {
      request = request(uri);
    } catch (IllegalArgumentException e) {
      outcome.complete(
          new Outcome(uri, null, Failure.of(uri.toString(), "fetch", FailureKind.INVALID_URI, null, 0, e.getMessage()), 0, 0));
      return outcome;
    }
    attemptAfterRateLimit(new Job(uri, outcome, streaming), request, 1, 0);
    return outcome;
  }

  private void attemptAfterRateLimit(Job job, HttpRequest request, int attempt, long bytes) {
    long wait = rateLimiter == null ? 0 : rateLimiter.reserve(System.nanoTime());
    if (wait <= 0) {
      attempt(job, request, attempt, 0, bytes);
    } else {
      scheduler.schedule(() -> attempt(job, request, attempt, 0, bytes), wait, TimeUnit.NANOSECONDS);
    }
  }

  private void attempt(Job job, HttpRequest request, int attempt, int hops, long bytesSoFar) {
    AtomicReference<LimitedBodySubscriber> body = new AtomicReference<>();
    // Whichever comes first settles the attempt: its body's end, or the client's answer (a failure, a timeout).
    AtomicBoolean settled = new AtomicBoolean();
    CompletableFuture<HttpResponse<byte[]>> call;
    try {
      HttpClient client = clients.apply(request.uri());
      call = client.sendAsync(request, info -> {
        boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
        // Other answers' bodies are not read for anything: left as sent, an encoded one cannot hide their status.
        LimitedBodySubscriber subscriber = ok && job.streaming() != null
            ? LimitedBodySubscriber.streaming(maxBodyBytes, info, job.streaming().open(job.original()), gzip)
            : LimitedBodySubscriber.of(maxBodyBytes, info, gzip && ok);
        body.set(subscriber);
        // Settled where the body ends, on the thread that read it (its connection already back in the pool),
        // before the client hands its own answer on to CompletableFuture's default executor, which on two
        // cores starts a thread for it.
        subscriber.ended().thenAccept(bytes -> {
          if (settled.compareAndSet(false, true)) {
            respond(job, request, attempt, hops, bytesSoFar, info.statusCode(), info.headers(), bytes, subscriber);
          }
        });
        return subscriber;
      });
    } catch (RuntimeException e) {
      finish(job, attempt, bytesSoFar, FailureKind.CONNECTION, null, "could not send: " + e);
      return;
    }
    // The request timeout covers the wait for headers; this also bounds a body that stalls midway.
    call.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (response, error) -> {
              if (!settled.compareAndSet(false, true)) {
                return;
              }
              if (error != null) {
                try {
                  abandon(call, body.get());
                  onError(job, request, attempt, bytesSoFar, unwrap(error));
                } catch (RuntimeException unexpected) {
                  finish(job, attempt, bytesSoFar, FailureKind.CONNECTION, null, "unexpected error: " + unexpected);
                }
              } else {
                respond(job, request, attempt, hops, bytesSoFar, response.statusCode(), response.headers(), response.body(), body.get());
              }
            });
  }

  /** {@link #onResponse}, and whatever goes wrong in it a failure of the URI, never lost. */
  private void respond(Job job, HttpRequest request, int attempt, int hops, long bytesSoFar, int status, HttpHeaders headers,
      byte[] bytes, LimitedBodySubscriber body) {
    try {
      onResponse(job, request, attempt, hops, bytesSoFar, status, headers, bytes, body);
    } catch (RuntimeException unexpected) {
      finish(job, attempt, bytesSoFar, FailureKind.CONNECTION, null, "unexpected error: " + unexpected);
    }
  }

  /**
   * Ends an attempt given up on (timed out, failed): its body is cancelled, which makes the client close
   * the connection, so nothing more is downloaded for it.
   */
  private static void abandon(CompletableFuture<?> call, @Nullable LimitedBodySubscriber body) {
    if (body != null) {
      body.cancel();
    }
    call.cancel(true);
  }

  private void onResponse(Job job, HttpRequest request, int attempt, int hops, long bytesSoFar, int status, HttpHeaders headers,
      byte[] responseBody, LimitedBodySubscriber body) {
    long bytes = bytesSoFar + body.size();
    if (status >= 200 && status < 300) {
      job.outcome().complete(new Outcome(
          job.original(), FetchedResponse.of(job.original(), status, responseBody, attempt), null, attempt, bytes, body.session()));
      return;
    }
    Optional<String> location = headers.firstValue("location");
    if (Redirects.isRedirect(status) && location.isPresent()) {
      redirect(job, request, attempt, hops, bytes, status, location.get());
      return;
    }
    String message = "HTTP " + status + (hops > 0 ? " from " + request.uri().getHost() + " (after " + hops + " redirects)" : "");
    if (RetryPolicy.isRetryableStatus(status) && retry.hasAttemptAfter(attempt)) {
      retryLater(job, attempt, bytes, headers.firstValue("retry-after"));
    } else {
      finish(job, attempt, bytes, FailureKind.HTTP_STATUS, status, message);
    }
  }

  private void redirect(Job job, HttpRequest request, int attempt, int hops, long bytes, int status, String location) {
    Redirects.Step step = redirects.follow(request, status, location, hops);
    if (step.next() == null) {
      finish(job, attempt, bytes, FailureKind.HTTP_STATUS, status, step.refusal());
    } else {
      attempt(job, step.next(), attempt, hops + 1, bytes);
    }
  }

  private void onError(Job job, HttpRequest request, int attempt, long bytes, Throwable error) {
    if (RetryPolicy.isRetryableError(error) && retry.hasAttemptAfter(attempt)) {
      retryLater(job, attempt, bytes, Optional.empty());
    } else {
      FetchError e = FetchError.of(error, request.uri(), timeout);
      finish(job, attempt, bytes, e.kind(), null, e.message());
    }
  }

  /** The next attempt starts again from the URI asked for, after the policy's wait. */
  private void retryLater(Job job, int attempt, long bytes, Optional<String> retryAfter) {
    Duration wait = retry.backoff(attempt, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
    HttpRequest first = request(job.original());
    scheduler.schedule(() -> attemptAfterRateLimit(job, first, attempt + 1, bytes), wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  private HttpRequest request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (gzip) {
      b.header("Accept-Encoding", "gzip"); // the caller's own Accept-Encoding, if any, replaces it
    }
    headers.forEach(b::setHeader);
    return b.GET().build();
  }

  private static void finish(Job job, int attempts, long bytes, FailureKind kind, @Nullable Integer status, String message) {
    String text = attempts > 1 ? message + " (after " + attempts + " attempts)" : message;
    URI uri = job.original();
    job.outcome().complete(
        new Outcome(uri, null, Failure.of(uri.toString(), "fetch", kind, status, attempts, text), attempts, bytes));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
      cur = cur.getCause();
    }
    // The JDK client wraps a body subscriber's own failure in an IOException.
    if (cur instanceof IOException && (cur.getCause() instanceof LimitedBodySubscriber.BodyTooLargeException
        || cur.getCause() instanceof GzipBody.DamagedException)) {
      return cur.getCause();
    }
    return cur;
  }
}
