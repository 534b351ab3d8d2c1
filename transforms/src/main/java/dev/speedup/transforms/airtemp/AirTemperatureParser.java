package dev.speedup.transforms.airtemp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.speedup.transforms.FailureKind;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one air-temperature document (the v1 API's shape) with Jackson's streaming parser, never
 * building a tree of the ~830 KB document, and aggregates each station's readings over the day.
 *
 * <p>Readings whose {@code station_id} or {@code value} is missing or null are skipped, as the real API
 * has some. A reading that cannot be true is rejected and counted, not averaged ({@link DayReadings}): a
 * value that is not a number or outside the {@link ValidRange}, an item stamped with another day or not at
 * all, a station's second reading for a minute. Only a document that is not well-formed JSON of the
 * expected shape fails (MALFORMED_JSON), and one without a single valid reading fails as EMPTY_DAY.
 */
public final class AirTemperatureParser {
  private static final JsonFactory JSON = new JsonFactory();

  /** A document that yields no rows, with the kind and a stable message. */
  public static final class ParseFailure extends Exception {
    private final FailureKind kind;

    ParseFailure(FailureKind kind, String message) {
      super(message);
      this.kind = kind;
    }

    public FailureKind kind() {
      return kind;
    }
  }

  /** A day's rows and what was rejected on the way, by reason. */
  public record Parsed(List<StationDay> rows, Map<ReadingRejection, Long> rejected) {
    public long rejected(ReadingRejection reason) {
      return rejected.getOrDefault(reason, 0L);
    }

    public long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private AirTemperatureParser() {}

  /** The day's per-station statistics, ordered by station id, with readings outside -40..60 deg C rejected. */
  public static Parsed parse(byte[] document, LocalDate date) throws ParseFailure {
    return parse(document, date, ValidRange.AIR_TEMPERATURE);
  }

  /** The day's per-station statistics, ordered by station id, and what was rejected. */
  public static Parsed parse(byte[] document, LocalDate date, ValidRange range) throws ParseFailure {
    Map<String, String> names = new HashMap<>();
    DayReadings day = new DayReadings(date, range);
    try (JsonParser p = JSON.createParser(document)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "the document");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
          readMetadata(p, names);
        } else if ("items".equals(field)) {
          expect(p, value, JsonToken.START_ARRAY, "items");
          readItems(p, day, V1);
        } else {
          p.skipChildren();
        }
      }
      expect(p, p.currentToken(), JsonToken.END_OBJECT, "the document's end");
      if (p.nextToken() != null) {
        throw new ParseFailure(FailureKind.MALFORMED_JSON, "content after the document's end at byte " + offset(p));
      }
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
      throw new ParseFailure(FailureKind.MALFORMED_JSON, "not valid JSON (at byte " + at + ")");
    } catch (IOException e) {
      throw new ParseFailure(FailureKind.MALFORMED_JSON, "unreadable document: " + e.getClass().getSimpleName());
    }
    if (day.isEmpty()) {
      throw new ParseFailure(FailureKind.EMPTY_DAY, "the document has no valid readings for " + date
          + (day.rejected().isEmpty() ? "" : " (rejected: " + day.rejected() + ")"));
    }
    return new Parsed(day.rows(names), day.rejected());
  }

  private static void readMetadata(JsonParser p, Map<String, String> names) throws IOException, ParseFailure {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("stations".equals(field) && value == JsonToken.START_ARRAY) {
        readStations(p, names, "metadata.stations");
      } else {
        p.skipChildren();
      }
    }
  }

  /** A {@code stations} array's ids and names, the parser on its START_ARRAY. */
  static void readStations(JsonParser p, Map<String, String> names, String where) throws IOException, ParseFailure {
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String id = null;
      String name = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        if ("id".equals(f) && v == JsonToken.VALUE_STRING) {
          id = p.getText();
        } else if ("name".equals(f) && v == JsonToken.VALUE_STRING) {
          name = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (id != null && name != null) {
        names.put(id, name);
      }
    }
    expect(p, p.currentToken(), JsonToken.END_ARRAY, where);
  }

  /** The field names of one API version's items: v1 {@code items[{readings[{station_id}]}]}. */
  record Shape(String items, String readings, String stationId) {}

  static final Shape V1 = new Shape("items", "readings", "station_id");

  /** An items array into the day, the parser on its START_ARRAY. */
  static void readItems(JsonParser p, DayReadings day, Shape shape) throws IOException, ParseFailure {
    StationIds ids = new StationIds();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      int stamp = DayReadings.NO_STAMP;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (shape.readings().equals(field) && value == JsonToken.START_ARRAY) {
          readReadings(p, day, ids, shape);
        } else if ("timestamp".equals(field) && value == JsonToken.VALUE_STRING) {
          stamp = day.stamp(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        } else {
          p.skipChildren();
        }
      }
      day.endItem(stamp);
    }
    expect(p, t, JsonToken.END_ARRAY, shape.items());
  }

  private static void readReadings(JsonParser p, DayReadings day, StationIds ids, Shape shape) throws IOException, ParseFailure {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      String station = null;
      double value = Double.NaN;
      boolean malformed = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (shape.stationId().equals(field) && v == JsonToken.VALUE_STRING) {
          station = ids.of(p);
        } else if ("value".equals(field) && (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT)) {
          value = decimal(p);
          malformed = false;
        } else if ("value".equals(field) && v != JsonToken.VALUE_NULL) {
          malformed = true;
          p.skipChildren();
        } else {
          p.skipChildren();
        }
      }
      if (station == null) {
        continue; // the real API has some readings without a station or a value: skipped, as it means
      }
      if (malformed) {
        day.reject(ReadingRejection.MALFORMED_VALUE);
      } else if (!Double.isNaN(value)) {
        day.reading(station, value);
      }
    }
    expect(p, t, JsonToken.END_ARRAY, shape.readings());
  }

  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  /**
   * The current number token as a double. Plain decimals of up to 15 digits (all the API sends) are
   * read directly: {@code digits / 10^k} is one correctly rounded division of two exact doubles, so it
   * equals {@link Double#parseDouble}'s result, without its cost. Anything else goes to Jackson.
   */
  static double decimal(JsonParser p) throws IOException {
    char[] c = p.getTextCharacters();
    int i = p.getTextOffset();
    int end = i + p.getTextLength();
    boolean negative = i < end && c[i] == '-';
    if (negative) {
      i++;
    }
    long digits = 0;
    int count = 0;
    int fraction = -1;
    for (; i < end; i++) {
      char ch = c[i];
      if (ch >= '0' && ch <= '9') {
        digits = digits * 10 + (ch - '0');
        if (++count > 15) {
          return p.getDoubleValue();
        }
        if (fraction >= 0) {
          fraction++;
        }
      } else if (ch == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return p.getDoubleValue(); // exponent or anything unusual
      }
    }
    if (count == 0) {
      return p.getDoubleValue();
    }
    double v = fraction > 0 ? digits / POW10[fraction] : (double) digits;
    return negative ? -v : v;
  }

  /** Station ids seen in this document, matched without allocating a String per reading. */
  private static final class StationIds {
    private final java.util.List<String> known = new ArrayList<>(20);

    String of(JsonParser p) throws IOException {
      char[] c = p.getTextCharacters();
      int off = p.getTextOffset();
      int len = p.getTextLength();
      for (int k = 0, n = known.size(); k < n; k++) {
        String id = known.get(k);
        if (id.length() == len && regionEquals(id, c, off, len)) {
          return id;
        }
      }
      String id = new String(c, off, len);
      if (known.size() < 256) {
        known.add(id);
      }
      return id;
    }

    private static boolean regionEquals(String id, char[] c, int off, int len) {
      for (int i = 0; i < len; i++) {
        if (id.charAt(i) != c[off + i]) {
          return false;
        }
      }
      return true;
    }
  }

  static void expect(JsonParser p, JsonToken actual, JsonToken expected, String where) throws ParseFailure {
    if (actual != expected) {
      throw new ParseFailure(
          FailureKind.MALFORMED_JSON, "expected " + expected.asString() + " in " + where + " (at byte " + offset(p) + ")");
    }
  }

  private static long offset(JsonParser p) {
    return p.currentLocation().getByteOffset();
  }
}
