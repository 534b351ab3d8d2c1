package dev.speedup.transforms.airtemp;

import com.google.auto.value.AutoValue;
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
import java.util.Optional;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Singapore's air-temperature API (data.gov.sg, {@link Api#V1} or {@link Api#V2}) as Beam transforms.
 *
 * <ul>
 *   <li>{@link #dailyStats()}: {@code PCollection<LocalDate>} in, one {@link StationDay} per station and
 *       date out, failures (named by date) beside; fetches with {@link HttpFetch} and parses (v2: every
 *       page of a date, merged into that date's rows).
 *   <li>{@link #parse()}: already fetched documents in, the same rows and failures out.
 * </ul>
 *
 * <p>Counters (namespace {@code AirTemperature}): {@code documents}, {@code days_with_readings},
 * {@code station_days}, {@code failures_<KIND>}, {@code readings_rejected} and
 * {@code readings_rejected_<REASON>} ({@link ReadingRejection}: readings not averaged, in days that were).
 */
public final class AirTemperature {
  /** The real v1 API. Never contacted by this project's tests. */
  public static final URI DATA_GOV_SG = URI.create("https://api.data.gov.sg/v1/environment/air-temperature");

  /** The real v2 API, as data.gov.sg serves it today. Never contacted by this project's tests. */
  public static final URI DATA_GOV_SG_V2 = URI.create("https://api-open.data.gov.sg/v2/real-time/api/air-temperature");

  /** The header the v2 API takes its optional key in. */
  public static final String API_KEY_HEADER = "x-api-key";

  /** The API's versions: the document shape, and whether a day comes in pages. */
  public enum Api {
    /** {@code {metadata: {stations}, items[{timestamp, readings[{station_id, value}]}]}}, a day in one document. */
    V1(DATA_GOV_SG),
    /**
     * {@code {code, errorMsg, data: {stations, readings[{timestamp, data[{stationId, value}]}],
     * paginationToken}}}, a day in pages; rate-limited (429) without a key.
     */
    V2(DATA_GOV_SG_V2);

    private final URI endpoint;

    Api(URI endpoint) {
      this.endpoint = endpoint;
    }

    /** data.gov.sg's endpoint for this version. */
    public URI dataGovSg() {
      return endpoint;
    }

    /** {@code v1} or {@code v2}, any case. */
    public static Api parse(String text) {
      for (Api api : values()) {
        if (api.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
          return api;
        }
      }
      throw new IllegalArgumentException("the API version is v1 or v2, got '" + text + "'");
    }

    /** Whether {@code uri} is data.gov.sg's own endpoint for this version (same host). */
    public boolean isDataGovSg(URI uri) {
      return uri.getHost() != null && uri.getHost().equalsIgnoreCase(endpoint.getHost());
    }

    BodyParser<StationDay> parser(ValidRange range) {
      return this == V1 ? new DocumentParser(range) : new V2DocumentParser(range);
    }
  }

  private AirTemperature() {}

  /**
   * Optional: does now, on the calling thread, the one-time work the first day in this JVM would otherwise
   * wait for (the HTTP client's, {@link HttpFetch#preload}, and the JSON parser's classes). For a launcher
   * with a core to spare while it starts the pipeline.
   */
  public static void preload() throws java.io.IOException, java.security.NoSuchAlgorithmException {
    HttpFetch.preload();
    try {
      AirTemperatureParser.parse("{\"items\":[{\"readings\":[]}]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII), java.time.LocalDate.EPOCH);
    } catch (AirTemperatureParser.ParseFailure expected) {
      // a day without readings: the classes are loaded, which is all this is for
    }
  }

  /** Fetch and aggregate; defaults to the real v1 API and {@link HttpFetch#get()}'s settings. */
  public static DailyStats dailyStats() {
    return new AutoValue_AirTemperature_DailyStats(Api.V1, DATA_GOV_SG, HttpFetch.get(), ValidRange.AIR_TEMPERATURE, null);
  }

  /** Aggregate documents already fetched (their URIs must carry {@code date=YYYY-MM-DD}). */
  public static Parse parse() {
    return new AutoValue_AirTemperature_Parse(ValidRange.AIR_TEMPERATURE);
  }

  /**
   * {@code endpoint?date=YYYY-MM-DD}, after the endpoint's own query parameters. A {@code date} among them is
   * replaced, and a fragment (a URL copied from a browser may end in {@code #...}; it is never sent) dropped:
   * appended after either, the date would have been lost.
   */
  public static URI uriFor(URI endpoint, LocalDate date) {
    return withParameter(endpoint, "date", date.toString());
  }

  /**
   * {@code uri} with query parameter {@code name} set to {@code encodedValue}, last, in place of any it had;
   * without a fragment (never sent).
   */
  static URI withParameter(URI uri, String name, String encodedValue) {
    StringBuilder out = new StringBuilder(uri.getScheme()).append("://").append(uri.getRawAuthority())
        .append(uri.getRawPath() == null ? "" : uri.getRawPath()).append('?');
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (!pair.isEmpty() && !pair.startsWith(name + "=")) {
          out.append(pair).append('&');
        }
      }
    }
    return URI.create(out.append(name).append('=').append(encodedValue).toString());
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
    abstract Api api();

    abstract URI endpoint();

    abstract HttpFetch.Get fetch();

    abstract ValidRange validRange();

    // Not printed anywhere: PTransform's toString is the name, and display data says only whether it is set.
    abstract @Nullable String apiKey();

    /**
     * The API version the endpoint speaks (default {@link Api#V1}). While the endpoint is still a
     * data.gov.sg default it follows the version; one set with {@link #withEndpoint} is kept.
     */
    public DailyStats withApi(Api api) {
      java.util.Objects.requireNonNull(api, "api");
      URI endpoint = endpoint().equals(api().dataGovSg()) ? api.dataGovSg() : endpoint();
      return new AutoValue_AirTemperature_DailyStats(api, endpoint, fetch(), validRange(), apiKey());
    }

    /** The API's endpoint, e.g. the fixture server's; http or https only. */
    public DailyStats withEndpoint(URI endpoint) {
      String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("endpoint must be an http or https URI, got " + endpoint);
      }
      return new AutoValue_AirTemperature_DailyStats(api(), endpoint, fetch(), validRange(), apiKey());
    }

    /** How to fetch: in flight, timeout, retries, rate limit (see {@link HttpFetch.Get}). */
    public DailyStats withFetch(HttpFetch.Get fetch) {
      return new AutoValue_AirTemperature_DailyStats(api(), endpoint(), fetch, validRange(), apiKey());
    }

    /** The readings taken as possible; others are rejected and counted (see {@link Parse#withValidRange}). */
    public DailyStats withValidRange(ValidRange range) {
      return new AutoValue_AirTemperature_DailyStats(api(), endpoint(), fetch(), java.util.Objects.requireNonNull(range, "range"), apiKey());
    }

    /**
     * Sends {@code key} as {@value #API_KEY_HEADER} with every request (v2's higher rate limit), whatever
     * {@link #withFetch} is set to. Kept out of display data and logs.
     */
    public DailyStats withApiKey(String key) {
      if (key == null || key.isBlank() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("an API key is non-empty printable ASCII without spaces");
      }
      return new AutoValue_AirTemperature_DailyStats(api(), endpoint(), fetch(), validRange(), key);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("api", api().name()).withLabel("API version"))
          .add(DisplayData.item("endpoint", endpoint().toString()).withLabel("Endpoint"))
          .add(DisplayData.item("validRange", validRange().toString()).withLabel("Readings kept"))
          .add(DisplayData.item("apiKey", apiKey() == null ? "none" : "set").withLabel("API key"))
          .include("fetch", fetch());
    }

    @Override
    public WithFailures.Result<PCollection<StationDay>, Failure> expand(PCollection<LocalDate> dates) {
      URI endpoint = endpoint();
      HttpFetch.Get fetch = apiKey() == null ? fetch() : fetch().withHeader(API_KEY_HEADER, apiKey());
      PCollection<URI> uris =
          dates
              .apply("ToUri", MapElements.into(TypeDescriptor.of(URI.class)).via((LocalDate d) -> uriFor(endpoint, d)))
              .setCoder(UriCoder.of());
      // Parsed where each body arrives: only station-days leave the fetch, so memory follows what is in
      // flight, not the number of dates.
      WithFailures.Result<PCollection<StationDay>, Failure> parsed =
          uris.apply("FetchAndParse", fetch.parsedWith(api().parser(validRange()), StationDay.StationDayCoder.of()));
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
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("validRange", validRange().toString()).withLabel("Readings kept"));
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
}
