package dev.speedup.transforms.airtemp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.http.BodyParser;
import dev.speedup.transforms.http.FetchedResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A day of the v2 API ({@link AirTemperature.Api#V2}) page by page: {@code {code, errorMsg, data:
 * {stations, readings[{timestamp, data[{stationId, value}]}], paginationToken}}}. Each page's readings go
 * into one {@link DayReadings}; a page with a {@code paginationToken} asks for the next (the same URI with
 * {@code paginationToken=T}) and hands the day so far to the parser of that page; the last page yields the
 * day's station-days, the same rows as v1 gives for the same readings. Read with Jackson's streaming
 * parser, as v1 is.
 */
final class V2DocumentParser implements BodyParser<StationDay> {
  private static final JsonFactory JSON = new JsonFactory();
  static final AirTemperatureParser.Shape SHAPE = new AirTemperatureParser.Shape("readings", "data", "stationId");

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
  public Parsed<StationDay> parse(FetchedResponse response) {
    Map<String, Long> counts = DayOutcomes.counts();
    Optional<LocalDate> date = AirTemperature.dateOf(response.uri());
    String input = date.map(LocalDate::toString).orElse(response.uri().toString());
    if (date.isEmpty()) {
      return DayOutcomes.failed(counts, Failure.of(input, "parse", FailureKind.INVALID_URI, response.status(), response.attempts(),
          "the request URI carries no valid date=YYYY-MM-DD"));
    }
    DayReadings readings = day != null ? day : new DayReadings(date.get(), range);
    Map<String, String> stationNames = names != null ? names : new HashMap<>();
    try {
      String token = readPage(response.body(), readings, stationNames);
      if (token != null) {
        return Parsed.nextPage(nextPage(response.uri(), token), new V2DocumentParser(range, readings, stationNames), counts);
      }
      return DayOutcomes.rows(readings.finish(stationNames), counts);
    } catch (AirTemperatureParser.ParseFailure e) {
      return DayOutcomes.failed(counts, Failure.of(input, "parse", e.kind(), response.status(), response.attempts(), e.getMessage()));
    }
  }

  /** The page's readings into {@code day} and its stations into {@code names}; the next page's token, if any. */
  static @Nullable String readPage(byte[] document, DayReadings day, Map<String, String> names) throws AirTemperatureParser.ParseFailure {
    String token = null;
    Integer code = null;
    String errorMsg = null;
    try (JsonParser p = JSON.createParser(document)) {
      AirTemperatureParser.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the document");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("code".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
          code = p.getIntValue();
        } else if ("errorMsg".equals(field) && value == JsonToken.VALUE_STRING) {
          errorMsg = p.getText();
        } else if ("data".equals(field) && value == JsonToken.START_OBJECT) {
          token = readData(p, day, names);
        } else {
          p.skipChildren();
        }
      }
      AirTemperatureParser.expect(p, p.currentToken(), JsonToken.END_OBJECT, "the document's end");
    } catch (JsonProcessingException e) {
      throw AirTemperatureParser.ParseFailure.notJson(e, document.length > 0 ? document[0] & 0xFF : -1, document.length > 1 ? document[1] & 0xFF : -1);
    } catch (IOException e) {
      throw AirTemperatureParser.ParseFailure.unreadable(e);
    }
    if (code != null && code != 0) {
      throw new AirTemperatureParser.ParseFailure(FailureKind.MALFORMED_JSON,
          "the API answered code " + code + (errorMsg == null || errorMsg.isEmpty() ? "" : ": " + errorMsg));
    }
    return token;
  }

  private static @Nullable String readData(JsonParser p, DayReadings day, Map<String, String> names)
      throws IOException, AirTemperatureParser.ParseFailure {
    String token = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("stations".equals(field) && value == JsonToken.START_ARRAY) {
        AirTemperatureParser.readStations(p, names, "data.stations");
      } else if ("readings".equals(field)) {
        AirTemperatureParser.expect(p, value, JsonToken.START_ARRAY, "data.readings");
        AirTemperatureParser.readItems(p, day, SHAPE);
      } else if ("paginationToken".equals(field) && value == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
        token = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return token;
  }

  /** {@code uri} with its {@code paginationToken} (if any) replaced by {@code token}. */
  static URI nextPage(URI uri, String token) {
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    String kept = Stream.of(query.split("&")).filter(q -> !q.isEmpty() && !q.startsWith("paginationToken=")).collect(Collectors.joining("&"));
    String base = uri.toString();
    int q = base.indexOf('?');
    String path = q < 0 ? base : base.substring(0, q);
    return URI.create(path + "?" + (kept.isEmpty() ? "" : kept + "&") + "paginationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  @Override
  public Class<?> metricsNamespace() {
    return AirTemperature.class;
  }
}
