package dev.speedup.transforms.http;

import com.google.auto.value.AutoValue;
import dev.speedup.transforms.Activity;
import dev.speedup.transforms.Checks;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.SpreadInGroups;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * HTTP GET as a Beam transform: {@code PCollection<URI>} in; {@link FetchedResponse}s (2xx) and
 * {@link Failure}s out, one of the two for every input.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<FetchedResponse>, Failure> fetched =
 *     uris.apply(HttpFetch.get().withMaxInFlight(64).withTimeout(Duration.ofSeconds(5)));
 * }</pre>
 *
 * <p>{@code maxInFlight} is per worker (per DoFn instance): 1 fetches one URI at a time and waits for it,
 * like a blocking loop; more keeps that many requests outstanding on the JDK's non-blocking client, like
 * asyncio. In-flight requests never outlive their bundle, so bundle sizes bound the concurrency, and the
 * DirectRunner hands over the elements of a {@code Create.of(list)} in bundles of a handful. Set
 * {@link Get#withShards} to about the number of workers: each shard then reaches its worker as one bundle,
 * however the input was bundled ({@link SpreadInGroups}; on a bounded input with default windowing), or
 * feed it from a fan-out (one element expanded in one call). Counters (namespace {@code HttpFetch}):
 * {@code requests} (attempts), {@code retries}, {@code responses}, {@code bytes},
 * {@code failures_<KIND>}; distribution {@code in_flight} (its max is the peak per worker).
 */
public final class HttpFetch {
  private HttpFetch() {}

  /**
   * Defaults: 1 in flight, 10 s per attempt, {@link RetryPolicy#defaults()} (5 attempts, 100 ms..5 s
   * backoff, Retry-After up to 30 s), 64 MiB bodies, redirects followed on the same host only, no rate limit.
   */
  public static Get get() {
    return new AutoValue_HttpFetch_Get.Builder()
        .setMaxInFlight(1)
        .setTimeout(Duration.ofSeconds(10))
        .setRetryPolicy(RetryPolicy.defaults())
        .setRedirectsToOtherHosts(false)
        .setMaxBodyBytes(64L << 20)
        .setShards(0)
        .build();
  }

  /** See {@link HttpFetch}. */
  @AutoValue
  public abstract static class Get
      extends PTransform<PCollection<URI>, WithFailures.Result<PCollection<FetchedResponse>, Failure>> {
    abstract int maxInFlight();

    abstract Duration timeout();

    abstract RetryPolicy retryPolicy();

    abstract boolean redirectsToOtherHosts();

    abstract long maxBodyBytes();

    abstract @Nullable Double requestsPerSecond();

    abstract int shards();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setMaxInFlight(int n);

      abstract Builder setTimeout(Duration d);

      abstract Builder setRetryPolicy(RetryPolicy p);

      abstract Builder setRedirectsToOtherHosts(boolean b);

      abstract Builder setMaxBodyBytes(long n);

      abstract Builder setRequestsPerSecond(@Nullable Double r);

      abstract Builder setShards(int n);

      abstract Get build();
    }

    /** Requests outstanding at once per worker: 1 (blocking, one at a time) to 10000. */
    public Get withMaxInFlight(int maxInFlight) {
      return toBuilder().setMaxInFlight(Checks.inRange("maxInFlight", maxInFlight, 1, 10_000)).build();
    }

    /** The limit on one attempt, from sending to the last byte of the body. */
    public Get withTimeout(Duration timeout) {
      return toBuilder().setTimeout(Checks.positive("timeout", timeout)).build();
    }

    /** What is retried, how often and after how long ({@link RetryPolicy}, which checks its own settings). */
    public Get withRetryPolicy(RetryPolicy policy) {
      return toBuilder().setRetryPolicy(java.util.Objects.requireNonNull(policy, "policy")).build();
    }

    /** Attempts per URI, the first included: 1 (no retry) to 100. */
    public Get withMaxAttempts(int maxAttempts) {
      return withRetryPolicy(retryPolicy().withMaxAttempts(maxAttempts));
    }

    /** Backoff before the first retry, doubling each retry up to {@code max}, with jitter. */
    public Get withBackoff(Duration initial, Duration max) {
      return withRetryPolicy(retryPolicy().withBackoff(initial, max));
    }

    /** The longest {@code Retry-After} honoured; a longer one is cut to this. */
    public Get withMaxRetryAfter(Duration maxRetryAfter) {
      return withRetryPolicy(retryPolicy().withMaxRetryAfter(maxRetryAfter));
    }

    /**
     * Whether a redirect to another host is followed (default false: it fails the URI, naming that host,
     * so a compromised or confused server cannot send the fetcher elsewhere). Same-host redirects are
     * followed, up to {@value AsyncFetcher#MAX_REDIRECTS}.
     */
    public Get withRedirectsToOtherHosts(boolean follow) {
      return toBuilder().setRedirectsToOtherHosts(follow).build();
    }

    /** Bodies larger than this fail as TOO_LARGE (1 byte to 1 GiB). */
    public Get withMaxBodyBytes(long maxBodyBytes) {
      return toBuilder().setMaxBodyBytes(Checks.inRange("maxBodyBytes", maxBodyBytes, 1L, 1L << 30)).build();
    }

    /** Starts at most this many attempts a second per worker (retries included). */
    public Get withRateLimit(double requestsPerSecond) {
      if (!(requestsPerSecond > 0) || requestsPerSecond > 1e6) {
        throw new IllegalArgumentException("requestsPerSecond must be > 0 and <= 1000000, got " + requestsPerSecond);
      }
      return toBuilder().setRequestsPerSecond(requestsPerSecond).build();
    }

    /**
     * Spreads the URIs over this many groups before fetching, each group fetched by one worker as one
     * bundle, with up to {@code maxInFlight} of its requests out at once ({@link SpreadInGroups}); 0 (the
     * default) keeps the input's own bundles, which may be small. Use about the number of workers.
     */
    public Get withShards(int shards) {
      return toBuilder().setShards(Checks.inRange("shards", shards, 0, 100_000)).build();
    }

    @Override
    public WithFailures.Result<PCollection<FetchedResponse>, Failure> expand(PCollection<URI> uris) {
      PCollection<URI> input =
          shards() > 0 ? uris.apply("Spread", SpreadInGroups.of(shards())) : uris;
      PCollectionTuple out =
          input.apply(
              "Fetch",
              ParDo.of(new FetchFn(this)).withOutputTags(FetchFn.RESPONSES, TupleTagList.of(FetchFn.FAILURES)));
      out.get(FetchFn.RESPONSES).setCoder(FetchedResponse.FetchedResponseCoder.of());
      out.get(FetchFn.FAILURES).setCoder(Failure.FailureCoder.of());
      return WithFailures.Result.of(out, FetchFn.RESPONSES, FetchFn.FAILURES);
    }
  }

  /**
   * Keeps up to {@code maxInFlight} fetches outstanding within a bundle. A finished fetch is emitted on
   * the processing thread (Beam's output receivers are not thread-safe) as soon as the DoFn next runs,
   * and whatever is still out when the bundle ends is awaited in {@code @FinishBundle}.
   */
  static final class FetchFn extends DoFn<URI, FetchedResponse> {
    static final TupleTag<FetchedResponse> RESPONSES = new TupleTag<>() {};
    static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

    private final Get spec;
    private final Counter requests = Metrics.counter(HttpFetch.class, "requests");
    private final Counter retries = Metrics.counter(HttpFetch.class, "retries");
    private final Counter responses = Metrics.counter(HttpFetch.class, "responses");
    private final Counter bytes = Metrics.counter(HttpFetch.class, "bytes");
    private final Distribution inFlightDistribution = Metrics.distribution(HttpFetch.class, "in_flight");
    private transient Map<FailureKind, Counter> failures;

    private transient ScheduledExecutorService scheduler;
    private transient AsyncFetcher fetcher;
    private transient LinkedBlockingQueue<Done> done;
    private transient List<Done> deferred;
    private transient int inFlight;

    /** A finished fetch with the element's place in time, so it can be emitted later. */
    private record Done(AsyncFetcher.Outcome outcome, Instant timestamp, BoundedWindow window) {}

    FetchFn(Get spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      failures = new EnumMap<>(FailureKind.class);
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "http-fetch-retry");
                t.setDaemon(true);
                return t;
              });
      HttpClient client = AsyncFetcher.newClient(spec.timeout());
      fetcher =
          new AsyncFetcher(client, scheduler, spec.timeout(), spec.retryPolicy(), spec.maxBodyBytes(), spec.requestsPerSecond(),
              spec.redirectsToOtherHosts());
    }

    @StartBundle
    public void startBundle() {
      done = new LinkedBlockingQueue<>();
      deferred = new ArrayList<>();
      inFlight = 0;
    }

    @ProcessElement
    public void process(@Element URI uri, @Timestamp Instant timestamp, BoundedWindow window, MultiOutputReceiver out)
        throws InterruptedException {
      Activity.mark();
      for (Done d; (d = done.poll()) != null; ) {
        inFlight--;
        emitNow(d, timestamp, window, out);
      }
      while (inFlight >= spec.maxInFlight()) {
        emitNow(takeOne(), timestamp, window, out);
      }
      inFlight++;
      inFlightDistribution.update(inFlight);
      fetcher.fetch(uri).thenAccept(outcome -> done.add(new Done(outcome, timestamp, window)));
      if (spec.maxInFlight() == 1) {
        // One at a time: wait here, as a blocking loop would.
        emitNow(takeOne(), timestamp, window, out);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws InterruptedException {
      while (inFlight > 0) {
        deferred.add(takeOne());
      }
      for (Done d : deferred) {
        count(d.outcome());
        if (d.outcome().succeeded()) {
          context.output(RESPONSES, d.outcome().response(), d.timestamp(), d.window());
        } else {
          context.output(FAILURES, d.outcome().failure(), d.timestamp(), d.window());
        }
      }
      deferred.clear();
      Activity.mark();
    }

    @Teardown
    public void teardown() {
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
    }

    /** Waits for the next fetch to finish; it is then no longer in flight. */
    private Done takeOne() throws InterruptedException {
      Done d = done.take();
      inFlight--;
      return d;
    }

    /** Emits a finished fetch now when it belongs to the current element's window and time; else later. */
    private void emitNow(Done d, Instant timestamp, BoundedWindow window, MultiOutputReceiver out) {
      if (!d.timestamp().equals(timestamp) || !d.window().equals(window)) {
        deferred.add(d);
        return;
      }
      count(d.outcome());
      if (d.outcome().succeeded()) {
        out.get(RESPONSES).output(d.outcome().response());
      } else {
        out.get(FAILURES).output(d.outcome().failure());
      }
      Activity.mark();
    }

    private void count(AsyncFetcher.Outcome o) {
      requests.inc(o.attempts());
      retries.inc(Math.max(0, o.attempts() - 1));
      bytes.inc(o.bytes());
      if (o.succeeded()) {
        responses.inc();
      } else {
        failures.computeIfAbsent(o.failure().kind(), k -> Metrics.counter(HttpFetch.class, "failures_" + k.name())).inc();
      }
    }
  }
}
