package dev.speedup.transforms.http;

import com.google.auto.value.AutoValue;
import dev.speedup.transforms.Checks;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.SpreadInGroups;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

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
 * {@code requests} (attempts), {@code retries}, {@code responses} (one per URI), {@code pages} (of paged
 * URIs, see {@link BodyParser.Parsed#nextPage}), {@code bytes},
 * {@code failures_<KIND>}; distribution {@code in_flight} (its max is the peak per worker).
 */
public final class HttpFetch {
  private HttpFetch() {}

  private static final java.util.concurrent.atomic.AtomicLong FINISHED = new java.util.concurrent.atomic.AtomicLong();

  /**
   * URIs this JVM's workers have finished (every page fetched and parsed, or failed), counted as each one
   * ends: a progress line can move per URI, where Beam's counters move as bundles commit (and a shard is one
   * bundle).
   */
  public static long urisFinishedInThisJvm() {
    return FINISHED.get();
  }

  static void finished() {
    FINISHED.incrementAndGet();
  }

  /**
   * Optional: does now, on the calling thread, the one-time work the first fetch in this JVM would otherwise
   * wait for (the default TLS context, which every HTTP client loads, with the JDK's trusted certificates).
   * For a launcher with a core to spare while it starts the pipeline.
   */
  public static void preload() throws java.security.NoSuchAlgorithmException {
    javax.net.ssl.SSLContext.getDefault();
  }

  /**
   * Defaults: 1 in flight, 10 s per attempt, {@link RetryPolicy#defaults()} (5 attempts, 100 ms..5 s
   * backoff, Retry-After up to 30 s), 64 MiB bodies, redirects followed on the same host only, no rate limit,
   * gzip-compressed bodies asked for.
   */
  public static Get get() {
    return new AutoValue_HttpFetch_Get.Builder()
        .setMaxInFlight(1)
        .setTimeout(Duration.ofSeconds(10))
        .setRetryPolicy(RetryPolicy.defaults())
        .setRedirectsToOtherHosts(false)
        .setMaxBodyBytes(64L << 20)
        .setShards(0)
        .setHeaders(Map.of())
        .setMaxPages(1000)
        .setGzip(true)
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

    abstract Map<String, String> headers();

    abstract int maxPages();

    /** Whether requests ask for gzip-compressed bodies ({@link #withGzip}). */
    public abstract boolean gzip();

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

      abstract Builder setHeaders(Map<String, String> h);

      abstract Builder setMaxPages(int n);

      abstract Builder setGzip(boolean b);

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

    /**
     * Whether requests ask for gzip-compressed bodies ({@code Accept-Encoding: gzip}, as browsers, curl
     * {@code --compressed} and aiohttp do; default true). A JSON API's bodies shrink about tenfold; a 2xx body
     * the server declares gzip-encoded is decoded as it arrives, its CRC-32 checked, and the body limit
     * applies to its decoded bytes too. Off, a compressed body the server sends anyway fails to parse.
     */
    public Get withGzip(boolean gzip) {
      return toBuilder().setGzip(gzip).build();
    }

    /** Bodies larger than this fail as TOO_LARGE (1 byte to 1 GiB), compressed or decoded. */
    public Get withMaxBodyBytes(long maxBodyBytes) {
      return toBuilder().setMaxBodyBytes(Checks.inRange("maxBodyBytes", maxBodyBytes, 1L, 1L << 30)).build();
    }

    /**
     * The most pages followed for one URI of a paged resource ({@link BodyParser.Parsed#nextPage}), 1 to
     * 100000 (default 1000): past it the URI fails as TOO_LARGE, so a server that always names another page
     * cannot hold a fetch.
     */
    public Get withMaxPages(int maxPages) {
      return toBuilder().setMaxPages(Checks.inRange("maxPages", maxPages, 1, 100_000)).build();
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

    /**
     * Sends this header with every request (an API key, say); a second call with the same name replaces
     * the value. Not sent on to another host a redirect leads to, and never in a failure's message.
     */
    public Get withHeader(String name, String value) {
      java.util.Objects.requireNonNull(value, "value");
      if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("a header name is a token of letters, digits and !#$%&'*+.^_`|~-, got '" + name + "'");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a header value cannot contain a line break");
      }
      java.util.TreeMap<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(headers());
      h.put(name, value);
      return toBuilder().setHeaders(Map.copyOf(h)).build();
    }

    /**
     * Fetches and parses in one step: each body is handed to {@code parser} as soon as it has arrived, and
     * only the parser's elements (with {@code coder}) and failures leave it. Memory then follows what is in
     * flight, not how many URIs there are. A paged resource is followed by the parser: it returns
     * {@link BodyParser.Parsed#nextPage} with the next page's URI and a parser that carries what it read,
     * and the pages are fetched one after another (retried each as a URI is) and count as one URI.
     */
    public <T> Parsed<T> parsedWith(BodyParser<T> parser, Coder<T> coder) {
      return new Parsed<>(this, parser, coder);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("maxInFlight", maxInFlight()).withLabel("Requests in flight per worker"))
          .add(DisplayData.item("timeout", timeout().toString()).withLabel("Limit on one attempt"))
          .add(DisplayData.item("maxAttempts", retryPolicy().maxAttempts()).withLabel("Attempts per URI"))
          .add(DisplayData.item("maxBodyBytes", maxBodyBytes()).withLabel("Largest body accepted"))
          .add(DisplayData.item("redirectsToOtherHosts", redirectsToOtherHosts()))
          .add(DisplayData.item("shards", shards()).withLabel("Groups the URIs are spread over (0 = input's bundles)"))
          .add(DisplayData.item("maxPages", maxPages()).withLabel("Pages followed per URI"))
          .add(DisplayData.item("gzip", gzip()).withLabel("Asks for gzip-compressed bodies"))
          .addIfNotNull(DisplayData.item("rateLimit", requestsPerSecond()).withLabel("Request starts per second per worker"))
          // Names only: a header's value may be a secret.
          .addIfNotDefault(DisplayData.item("headers", String.join(",", new java.util.TreeSet<>(headers().keySet()))), "");
    }

    @Override
    public WithFailures.Result<PCollection<FetchedResponse>, Failure> expand(PCollection<URI> uris) {
      return fetch(uris, this, UNPARSED, FetchedResponse.FetchedResponseCoder.of());
    }
  }

  /** See {@link Get#parsedWith}. */
  public static final class Parsed<T> extends PTransform<PCollection<URI>, WithFailures.Result<PCollection<T>, Failure>> {
    private final Get spec;
    private final BodyParser<T> parser;
    private final Coder<T> coder;

    Parsed(Get spec, BodyParser<T> parser, Coder<T> coder) {
      this.spec = spec;
      this.parser = java.util.Objects.requireNonNull(parser, "parser");
      this.coder = java.util.Objects.requireNonNull(coder, "coder");
    }

    @Override
    public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<URI> uris) {
      return fetch(uris, spec, parser, coder);
    }
  }

  /** The response itself as the one element. */
  private static final BodyParser<FetchedResponse> UNPARSED = new BodyParser<>() {
    @Override
    public BodyParser.Parsed<FetchedResponse> parse(FetchedResponse response) {
      return BodyParser.Parsed.of(List.of(response), Map.of());
    }

    @Override
    public Class<?> metricsNamespace() {
      return HttpFetch.class;
    }
  };

  private static <T> WithFailures.Result<PCollection<T>, Failure> fetch(
      PCollection<URI> uris, Get spec, BodyParser<T> parser, Coder<T> coder) {
    PCollection<URI> input = spec.shards() > 0 ? uris.apply("Spread", SpreadInGroups.of(spec.shards())) : uris;
    FetchFn<T> fn = new FetchFn<>(spec, parser);
    PCollectionTuple out = input.apply("Fetch", ParDo.of(fn).withOutputTags(fn.elements, TupleTagList.of(FetchFn.FAILURES)));
    out.get(fn.elements).setCoder(coder);
    out.get(FetchFn.FAILURES).setCoder(Failure.FailureCoder.of());
    return WithFailures.Result.of(out, fn.elements, FetchFn.FAILURES);
  }
}
