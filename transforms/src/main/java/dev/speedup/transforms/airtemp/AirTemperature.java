package dev.speedup.transforms.airtemp;

import com.google.auto.value.AutoValue;
import dev.speedup.transforms.Activity;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.http.BodyParser;
import dev.speedup.transforms.http.FetchedResponse;
import dev.speedup.transforms.http.HttpFetch;
import dev.speedup.transforms.http.UriCoder;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Singapore's air-temperature API (data.gov.sg v1) as Beam transforms.
 *
 * <ul>
 *   <li>{@link #dailyStats()}: {@code PCollection<LocalDate>} in, one {@link StationDay} per station and
 *       date out, failures (named by date) beside; fetches with {@link HttpFetch} and parses.
 *   <li>{@link #parse()}: already fetched documents in, the same rows and failures out.
 * </ul>
 *
 * <p>Counters (namespace {@code AirTemperature}): {@code documents}, {@code days_with_readings},
 * {@code station_days}, {@code failures_<KIND>}, {@code readings_rejected} and
 * {@code readings_rejected_<REASON>} ({@link ReadingRejection}: readings not averaged, in days that were).
 */
public final class AirTemperature {
  /** The real API. Never contacted by this project's tests. */
  public static final URI DATA_GOV_SG = URI.create("https://api.data.gov.sg/v1/environment/air-temperature");

  private AirTemperature() {}

  /** Fetch and aggregate; defaults to the real API and {@link HttpFetch#get()}'s settings. */
  public static DailyStats dailyStats() {
    return new AutoValue_AirTemperature_DailyStats(DATA_GOV_SG, HttpFetch.get(), ValidRange.AIR_TEMPERATURE);
  }

  /** Aggregate documents already fetched (their URIs must carry {@code date=YYYY-MM-DD}). */
  public static Parse parse() {
    return new AutoValue_AirTemperature_Parse(ValidRange.AIR_TEMPERATURE);
  }

  /** {@code endpoint?date=YYYY-MM-DD}. */
  public static URI uriFor(URI endpoint, LocalDate date) {
    String base = endpoint.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + "date=" + date);
  }

  /** The {@code date} query parameter of a request URI, if present and valid. */
  public static Optional<LocalDate> dateOf(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("date=")) {
        try {
          return Optional.of(LocalDate.parse(URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8)));
        } catch (DateTimeParseException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** See {@link AirTemperature#dailyStats()}. */
  @AutoValue
  public abstract static class DailyStats
      extends PTransform<PCollection<LocalDate>, WithFailures.Result<PCollection<StationDay>, Failure>> {
    abstract URI endpoint();

    abstract HttpFetch.Get fetch();

    abstract ValidRange validRange();

    /** The API's endpoint, e.g. the fixture server's; http or https only. */
    public DailyStats withEndpoint(URI endpoint) {
      String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("endpoint must be an http or https URI, got " + endpoint);
      }
      return new AutoValue_AirTemperature_DailyStats(endpoint, fetch(), validRange());
    }

    /** How to fetch: in flight, timeout, retries, rate limit (see {@link HttpFetch.Get}). */
    public DailyStats withFetch(HttpFetch.Get fetch) {
      return new AutoValue_AirTemperature_DailyStats(endpoint(), fetch, validRange());
    }

    /** The readings taken as possible; others are rejected and counted (see {@link Parse#withValidRange}). */
    public DailyStats withValidRange(ValidRange range) {
      return new AutoValue_AirTemperature_DailyStats(endpoint(), fetch(), java.util.Objects.requireNonNull(range, "range"));
    }

    @Override
    public WithFailures.Result<PCollection<StationDay>, Failure> expand(PCollection<LocalDate> dates) {
      URI endpoint = endpoint();
      PCollection<URI> uris =
          dates
              .apply("ToUri", MapElements.into(TypeDescriptor.of(URI.class)).via((LocalDate d) -> uriFor(endpoint, d)))
              .setCoder(UriCoder.of());
      // Parsed where each body arrives: only station-days leave the fetch, so memory follows what is in
      // flight, not the number of dates.
      WithFailures.Result<PCollection<StationDay>, Failure> parsed =
          uris.apply("FetchAndParse", fetch().parsedWith(new DocumentParser(validRange()), StationDay.StationDayCoder.of()));
      PCollection<Failure> failures =
          parsed
              .failures()
              .apply(
                  "NameByDate",
                  MapElements.into(TypeDescriptor.of(Failure.class))
                      .via((Failure f) -> f.withInput(dateOf(URI.create(f.input())).map(LocalDate::toString).orElse(f.input()))))
              .setCoder(Failure.FailureCoder.of());
      return WithFailures.Result.of(parsed.output(), failures);
    }
  }

  /** See {@link AirTemperature#parse()}. */
  @AutoValue
  public abstract static class Parse
      extends PTransform<PCollection<FetchedResponse>, WithFailures.Result<PCollection<StationDay>, Failure>> {
    abstract ValidRange validRange();

    /**
     * The readings taken as physically possible (default -40..60 deg C); a value outside it, or not
     * finite, is rejected and counted ({@code readings_rejected_OUT_OF_RANGE}) instead of averaged.
     */
    public Parse withValidRange(ValidRange range) {
      return new AutoValue_AirTemperature_Parse(java.util.Objects.requireNonNull(range, "range"));
    }

    @Override
    public WithFailures.Result<PCollection<StationDay>, Failure> expand(PCollection<FetchedResponse> responses) {
      PCollectionTuple out =
          responses.apply(
              "ParseDocument",
              ParDo.of(new ParseFn(validRange())).withOutputTags(ParseFn.ROWS, TupleTagList.of(ParseFn.FAILURES)));
      out.get(ParseFn.ROWS).setCoder(StationDay.StationDayCoder.of());
      out.get(ParseFn.FAILURES).setCoder(Failure.FailureCoder.of());
      return WithFailures.Result.of(out, ParseFn.ROWS, ParseFn.FAILURES);
    }
  }

  static final class ParseFn extends DoFn<FetchedResponse, StationDay> {
    static final TupleTag<StationDay> ROWS = new TupleTag<>() {};
    static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

    private final DocumentParser parser;
    private transient Map<String, Counter> counters;

    ParseFn(ValidRange range) {
      this.parser = new DocumentParser(range);
    }

    @Setup
    public void setup() {
      counters = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element FetchedResponse response, MultiOutputReceiver out) {
      BodyParser.Parsed<StationDay> parsed = parser.parse(response);
      parsed.counts().forEach((name, n) -> counters.computeIfAbsent(name, k -> Metrics.counter(AirTemperature.class, k)).inc(n));
      if (parsed.failure() != null) {
        out.get(FAILURES).output(parsed.failure());
      } else {
        for (StationDay row : parsed.elements()) {
          out.get(ROWS).output(row);
        }
      }
      Activity.mark();
    }
  }
}
