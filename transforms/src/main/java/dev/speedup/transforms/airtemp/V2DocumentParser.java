package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.http.FetchedResponse;
import dev.speedup.transforms.http.StreamingBodyParser;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A day of the v2 API ({@link AirTemperature.Api#V2}) page by page: {@code {code, errorMsg, data:
 * {stations, readings[{timestamp, data[{stationId, value}]}], paginationToken}}}. Each page's readings go
 * into one {@link DayReadings}; a page with a {@code paginationToken} asks for the next (the same URI with
 * {@code paginationToken=T}) and hands the day so far to the parser of that page; the last page yields the
 * day's station-days, the same rows as v1 gives for the same readings. Each page is read as it arrives
 * ({@link DocumentStream}), as v1's document is, so a page is never held whole.
 */
final class V2DocumentParser implements StreamingBodyParser<StationDay> {
  private final ValidRange range;
  // The day read so far, on the parsers of the second and later pages only; never serialized (the first
  // page's parser, the one a pipeline carries, has none).
  private final transient @Nullable DayReadings day;
  private final transient @Nullable Map<String, String> names;

  V2DocumentParser(ValidRange range) {
    this(range, null, null);
  }

  private V2DocumentParser(ValidRange range, @Nullable DayReadings day, @Nullable Map<String, String> names) {
    this.range = range;
    this.day = day;
    this.names = names;
  }

  @Override
  public Session<StationDay> open(URI uri) {
    Optional<LocalDate> date = AirTemperature.dateOf(uri);
    if (date.isEmpty()) {
      return new DocumentParser.DaySession(null, null, DocumentParser.WHOLE_DAY); // fails for want of a date
    }
    // Each attempt reads into its own copy of the day so far: an attempt cut off midway and retried must not
    // count its page's readings twice.
    DayReadings readings = day != null ? day.copy() : new DayReadings(date.get(), range);
    Map<String, String> stationNames = names != null ? new HashMap<>(names) : new HashMap<>();
    return new DocumentParser.DaySession(date.get(), new DocumentStream(DocumentLayout.V2, readings, stationNames), this::outcome);
  }

  private Parsed<StationDay> outcome(DocumentStream stream, FetchedResponse response, Map<String, Long> counts)
      throws AirTemperatureParser.ParseFailure {
    String token = stream.finishPage();
    if (token != null) {
      return Parsed.nextPage(nextPage(response.uri(), token), new V2DocumentParser(range, stream.day(), stream.names()), counts);
    }
    return DayOutcomes.rows(stream.day().finish(stream.names()), counts);
  }

  /** {@code uri} with its {@code paginationToken} (if any) replaced by {@code token}. */
  static URI nextPage(URI uri, String token) {
    return AirTemperature.withParameter(uri, "paginationToken", URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  @Override
  public Class<?> metricsNamespace() {
    return AirTemperature.class;
  }
}
