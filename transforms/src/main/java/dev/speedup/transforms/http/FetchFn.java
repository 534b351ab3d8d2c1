package dev.speedup.transforms.http;

import dev.speedup.transforms.Activity;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Keeps up to {@code maxInFlight} fetches outstanding within a bundle; each body is parsed by the
 * {@link BodyParser} where it arrives. A finished fetch is emitted on the processing thread (Beam's output
 * receivers are not thread-safe) as soon as the DoFn next runs, and whatever is still out when the bundle
 * ends is awaited in {@code @FinishBundle}.
 */
final class FetchFn<T> extends DoFn<URI, T> {
  static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");
  // Named, not anonymous: the coders are set explicitly, and the tags need only differ within this step.
  final TupleTag<T> elements = new TupleTag<>("elements");

  private final HttpFetch.Get spec;
  private final BodyParser<T> parser;
  private final Counter requests = Metrics.counter(HttpFetch.class, "requests");
  private final Counter retries = Metrics.counter(HttpFetch.class, "retries");
  private final Counter responses = Metrics.counter(HttpFetch.class, "responses");
  private final Counter pages = Metrics.counter(HttpFetch.class, "pages");
  private final Counter bytes = Metrics.counter(HttpFetch.class, "bytes");
  private final Distribution inFlightDistribution = Metrics.distribution(HttpFetch.class, "in_flight");
  private transient Map<FailureKind, Counter> failures;
  private transient Map<String, Counter> parserCounters;

  private transient ScheduledExecutorService scheduler;
  private transient SharedClients.Lease clients;
  private transient AsyncFetcher fetcher;
  private transient LinkedBlockingQueue<Done<T>> done;
  private transient List<Done<T>> deferred;
  private transient int inFlight;

  /** A finished fetch, parsed, with the element's place in time, so it can be emitted later. */
  private record Done<T>(AsyncFetcher.Outcome fetched, BodyParser.Parsed<T> parsed, int pages, Instant timestamp, BoundedWindow window) {
    Failure failure() {
      return fetched.succeeded() ? parsed.failure() : fetched.failure();
    }
  }

  FetchFn(HttpFetch.Get spec, BodyParser<T> parser) {
    this.spec = spec;
    this.parser = parser;
  }

  @Setup
  public void setup() {
    failures = new EnumMap<>(FailureKind.class);
    parserCounters = new HashMap<>();
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "http-fetch-retry");
              t.setDaemon(true);
              return t;
            });
    clients = SharedClients.acquire(spec.timeout());
    fetcher =
        new AsyncFetcher(clients, scheduler, spec.timeout(), spec.retryPolicy(), spec.maxBodyBytes(), spec.requestsPerSecond(),
            spec.redirectsToOtherHosts(), spec.headers(), spec.gzip());
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
    for (Done<T> d; (d = done.poll()) != null; ) {
      inFlight--;
      emitNow(d, timestamp, window, out);
    }
    while (inFlight >= spec.maxInFlight()) {
      emitNow(takeOne(), timestamp, window, out);
    }
    inFlight++;
    inFlightDistribution.update(inFlight);
    fetchPages(uri, uri, parser, 1, 0, 0, new HashMap<>(), timestamp, window);
    if (spec.maxInFlight() == 1) {
      // One at a time: wait here, as a blocking loop would.
      emitNow(takeOne(), timestamp, window, out);
    }
  }

  /**
   * Fetches {@code uri}, page {@code page} of {@code original}, parsed as it arrives on the thread that reads
   * it ({@link SharedClients}) and finished on the thread that completes the fetch; a parser
   * that asks for a next page gets it fetched in turn, one page after another. The URI's outcome sums every
   * page's attempts, bytes and counts, and is named by the original URI; a failed page fails the URI.
   */
  private void fetchPages(URI original, URI uri, BodyParser<T> pageParser, int page, int attemptsBefore, long bytesBefore,
      Map<String, Long> counts, Instant timestamp, BoundedWindow window) {
    fetcher.fetch(uri, pageParser instanceof StreamingBodyParser<T> streaming ? streaming : null).thenAccept(outcome -> {
      int attempts = attemptsBefore + outcome.attempts();
      long bytes = bytesBefore + outcome.bytes();
      BodyParser.Parsed<T> parsed;
      boolean ownFailure = false;
      try {
        parsed = parse(outcome, pageParser);
        if (parsed != null) {
          parsed.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
          if (parsed.next() != null && page < spec.maxPages()) {
            fetchPages(original, parsed.next(), parsed.rest(), page + 1, attempts, bytes, counts, timestamp, window);
            return;
          }
          if (parsed.next() != null) {
            ownFailure = true;
            parsed = BodyParser.Parsed.failed(Failure.of(original.toString(), "fetch", FailureKind.TOO_LARGE, outcome.response().status(),
                attempts, "stopped after " + page + " pages (withMaxPages): the server named yet another"), Map.of());
          }
        }
      } catch (RuntimeException e) {
        // Never lose the URI: whatever went wrong here, it is accounted for as a failure.
        ownFailure = true;
        parsed = BodyParser.Parsed.failed(Failure.of(original.toString(), "fetch", FailureKind.MALFORMED_JSON, null, attempts,
            "following the pages failed: " + e), Map.of());
      }
      Failure fetchFailure = outcome.failure() == null ? null : onPage(outcome.failure(), original, page, attempts);
      AsyncFetcher.Outcome total = new AsyncFetcher.Outcome(original, outcome.response(), fetchFailure, attempts, bytes);
      BodyParser.Parsed<T> all = parsed == null ? null
          : new BodyParser.Parsed<>(parsed.elements(),
              parsed.failure() == null || ownFailure ? parsed.failure() : onPage(parsed.failure(), null, page, attempts), counts, null, null);
      done.add(new Done<>(total, all, page, timestamp, window));
      HttpFetch.finished();
    });
  }

  /** A page's failure as the URI's: named by it (unless {@code input} is null), with the page and every attempt. */
  private static Failure onPage(Failure f, URI input, int page, int attempts) {
    String message = page > 1 ? "page " + page + ": " + f.message() : f.message();
    return Failure.of(input == null ? f.input() : input.toString(), f.stage(), f.kind(), f.status(), attempts, message);
  }

  /** The body parsed (or its streaming parse finished) and dropped. */
  private BodyParser.Parsed<T> parse(AsyncFetcher.Outcome outcome, BodyParser<T> parser) {
    if (!outcome.succeeded()) {
      return null;
    }
    try {
      if (outcome.session() != null) {
        @SuppressWarnings("unchecked") // opened by this parser's own open(), so it reads Ts
        StreamingBodyParser.Session<T> session = (StreamingBodyParser.Session<T>) outcome.session();
        return session.finish(outcome.response());
      }
      return parser.parse(outcome.response());
    } catch (RuntimeException e) {
      String uri = outcome.uri().toString();
      return BodyParser.Parsed.failed(
          Failure.of(uri, "parse", FailureKind.MALFORMED_JSON, outcome.response().status(), outcome.attempts(), "the body parser failed: " + e),
          Map.of());
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    while (inFlight > 0) {
      deferred.add(takeOne());
    }
    for (Done<T> d : deferred) {
      count(d);
      if (d.failure() != null) {
        context.output(FAILURES, d.failure(), d.timestamp(), d.window());
      } else {
        for (T element : d.parsed().elements()) {
          context.output(elements, element, d.timestamp(), d.window());
        }
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
    if (clients != null) {
      clients.release(); // the last release stops the clients, whose threads would hold up the JVM's exit
    }
  }

  /** Waits for the next fetch to finish; it is then no longer in flight. */
  private Done<T> takeOne() throws InterruptedException {
    Done<T> d = done.take();
    inFlight--;
    return d;
  }

  /** Emits a finished fetch now when it belongs to the current element's window and time; else later. */
  private void emitNow(Done<T> d, Instant timestamp, BoundedWindow window, MultiOutputReceiver out) {
    if (!d.timestamp().equals(timestamp) || !d.window().equals(window)) {
      deferred.add(d);
      return;
    }
    count(d);
    if (d.failure() != null) {
      out.get(FAILURES).output(d.failure());
    } else {
      for (T element : d.parsed().elements()) {
        out.get(elements).output(element);
      }
    }
    Activity.mark();
  }

  private void count(Done<T> d) {
    AsyncFetcher.Outcome o = d.fetched();
    requests.inc(o.attempts());
    retries.inc(Math.max(0, o.attempts() - d.pages()));
    if (d.pages() > 1) {
      pages.inc(d.pages());
    }
    bytes.inc(o.bytes());
    if (o.succeeded()) {
      responses.inc();
      d.parsed().counts().forEach(
          (name, n) -> parserCounters.computeIfAbsent(name, k -> Metrics.counter(parser.metricsNamespace(), k)).inc(n));
    } else {
      failures.computeIfAbsent(o.failure().kind(), k -> Metrics.counter(HttpFetch.class, "failures_" + k.name())).inc();
    }
  }
}
