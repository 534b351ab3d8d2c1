package dev.speedup.transforms.airtemp;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.END_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;
import dev.speedup.transforms.FailureKind;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A document (v1's, or one v2 page: {@link DocumentLayout}) read as its bytes arrive ({@link FedJson}), by the
 * rules of {@link AirTemperatureParser} (see there): its structure followed token by token, each reading into
 * the {@link DayReadings} (one written as the API writes it in one step: {@link CompactPair}). Not
 * thread-safe: one feeder at a time, as an HTTP body's chunks come.
 */
final class DocumentStream extends FedJson {

  /** Where in the document the next token falls. */
  private enum At { START, ROOT, METADATA, DATA, STATIONS, STATION, ITEMS, ITEM, READINGS, READING, END }

  private final DocumentLayout layout;
  /** Where the stations' and the items' arrays sit: v1's {@code metadata} and root, v2's {@code data} for both. */
  private final At stationsIn;
  private final At itemsIn;
  private final DayReadings day;
  private final Map<String, String> names;
  private final AirTemperatureParser.StationIds ids = new AirTemperatureParser.StationIds();
  /** A reading as the API writes it, read in one step; an item's opening (its stamp, up to its readings) too. */
  private final CompactPair compactReading;
  private final CompactOpening itemOpening;
  private At at = At.START;
  private String field;
  /** Which of a reading's fields {@link #field} is: {@link #STATION_ID}, {@link #VALUE} or another (0). */
  private int readingField;
  private int skipping;
  private String stationId;
  private String stationName;
  private int stamp;
  private String readingStation;
  private double readingValue;
  private boolean readingMalformed;
  /** v2's {@code code}, {@code errorMsg} and {@code paginationToken}, as read. */
  private @Nullable String code;
  private @Nullable String errorMsg;
  private @Nullable String pageToken;

  /** A v1 document for {@code date}. */
  DocumentStream(LocalDate date, ValidRange range) {
    this(DocumentLayout.V1, new DayReadings(date, range), new HashMap<>());
  }

  /** A document of {@code layout} read into {@code day} and {@code names} (v2: the day's pages so far). */
  DocumentStream(DocumentLayout layout, DayReadings day, Map<String, String> names) {
    this.layout = layout;
    this.stationsIn = layout == DocumentLayout.V1 ? At.METADATA : At.DATA;
    this.itemsIn = layout == DocumentLayout.V1 ? At.ROOT : At.DATA;
    this.day = day;
    this.names = names;
    this.compactReading = new CompactPair(layout.stationId, "value");
    this.itemOpening = new CompactOpening("timestamp", layout.readings);
  }

  /** The whole body has been fed: the day's rows, or why the document yields none. */
  AirTemperatureParser.Parsed finish() throws AirTemperatureParser.ParseFailure {
    end();
    return day.finish(names);
  }

  /**
   * The whole v2 page has been fed: its {@code paginationToken} (null on the day's last page), or why the
   * page yields nothing; its readings are in {@link #day()}.
   */
  @Nullable String finishPage() throws AirTemperatureParser.ParseFailure {
    end();
    if (code != null && !code.matches("-?0")) {
      throw new AirTemperatureParser.ParseFailure(FailureKind.MALFORMED_JSON,
          "the API answered code " + code + (errorMsg == null || errorMsg.isEmpty() ? "" : ": " + errorMsg));
    }
    return pageToken;
  }

  DayReadings day() {
    return day;
  }

  Map<String, String> names() {
    return names;
  }

  @Override
  boolean whole() {
    return at == At.END;
  }

  @Override
  void drain() throws JsonTokens.Malformed, AirTemperatureParser.ParseFailure {
    JsonToken t;
    while (true) {
      // Items and readings written as the API writes them are read in one pass over their bytes.
      if (at == At.ITEMS && skipping == 0 && itemOpening.read(json)) {
        stamp = day.stamp(itemOpening.string(), 0, itemOpening.length());
        at = At.READINGS;
        continue;
      }
      if (at == At.READINGS && skipping == 0) {
        int n = compactReading.read(json, ids);
        if (n > 0) {
          day.readings(compactReading.strings(), compactReading.numbers(), n);
          continue;
        }
      }
      if ((t = json.next()) == JsonToken.NOT_AVAILABLE || t == null) {
        return;
      }
      // Nearly every token is a reading's: kept on a short path of its own, so the JIT compiles a tight loop
      // with a stable profile (through token() the rare states kept deoptimising it under C2).
      if (skipping == 0 && at == At.READING) {
        if (t == FIELD_NAME) {
          field = json.name();
          readingField = readingField(field);
        } else {
          reading(t);
        }
      } else if (skipping == 0 && at == At.READINGS && t == START_OBJECT) {
        readingStation = null;
        readingValue = Double.NaN;
        readingMalformed = false;
        at = At.READING;
      } else {
        token(t);
      }
    }
  }

  private void token(JsonToken t) throws AirTemperatureParser.ParseFailure {
    if (skipping > 0) {
      if (t.isStructStart()) {
        skipping++;
      } else if (t.isStructEnd()) {
        skipping--;
      }
      return;
    }
    if (t == FIELD_NAME) {
      field = json.name();
      return;
    }
    switch (at) {
      case START -> {
        expect(t, START_OBJECT, "the document");
        at = At.ROOT;
      }
      case ROOT -> {
        if (t == END_OBJECT) {
          at = At.END;
        } else if (layout == DocumentLayout.V1 && "metadata".equals(field) && t == START_OBJECT) {
          at = At.METADATA;
        } else if (layout == DocumentLayout.V1 && "items".equals(field)) {
          expect(t, START_ARRAY, "items");
          at = At.ITEMS;
        } else if (layout == DocumentLayout.V2 && "data".equals(field) && t == START_OBJECT) {
          at = At.DATA;
        } else if (layout == DocumentLayout.V2 && "code".equals(field) && t == VALUE_NUMBER_INT) {
          code = json.text();
        } else if (layout == DocumentLayout.V2 && "errorMsg".equals(field) && t == VALUE_STRING) {
          errorMsg = json.text();
        } else {
          skip(t);
        }
      }
      case DATA -> {
        if (t == END_OBJECT) {
          at = At.ROOT;
        } else if ("stations".equals(field) && t == START_ARRAY) {
          at = At.STATIONS;
        } else if ("readings".equals(field)) {
          expect(t, START_ARRAY, "data.readings");
          at = At.ITEMS;
        } else if ("paginationToken".equals(field) && t == VALUE_STRING) {
          pageToken = json.textLength() == 0 ? null : json.text();
        } else {
          skip(t);
        }
      }
      case METADATA -> {
        if (t == END_OBJECT) {
          at = At.ROOT;
        } else if ("stations".equals(field) && t == START_ARRAY) {
          at = At.STATIONS;
        } else {
          skip(t);
        }
      }
      case STATIONS -> {
        if (t == START_OBJECT) {
          stationId = null;
          stationName = null;
          at = At.STATION;
        } else {
          expect(t, END_ARRAY, layout == DocumentLayout.V1 ? "metadata.stations" : "data.stations");
          at = stationsIn;
        }
      }
      case STATION -> {
        if (t == END_OBJECT) {
          if (stationId != null && stationName != null) {
            DayReadings.name(names, stationId, stationName);
          }
          at = At.STATIONS;
        } else if ("id".equals(field) && t == VALUE_STRING) {
          stationId = json.text();
        } else if ("name".equals(field) && t == VALUE_STRING) {
          stationName = json.text();
        } else {
          skip(t);
        }
      }
      case ITEMS -> {
        if (t == START_OBJECT) {
          stamp = DayStamps.NO_STAMP;
          at = At.ITEM;
        } else {
          expect(t, END_ARRAY, layout.items);
          at = itemsIn;
        }
      }
      case ITEM -> {
        if (t == END_OBJECT) {
          day.endItem(stamp);
          at = At.ITEMS;
        } else if (layout.readings.equals(field) && t == START_ARRAY) {
          at = At.READINGS;
        } else if ("timestamp".equals(field) && t == VALUE_STRING) {
          stamp = day.stamp(json.textCharacters(), 0, json.textLength());
        } else {
          skip(t);
        }
      }
      case READINGS -> {
        if (t == START_OBJECT) {
          readingStation = null;
          readingValue = Double.NaN;
          readingMalformed = false;
          at = At.READING;
        } else {
          expect(t, END_ARRAY, "readings");
          at = At.ITEM;
        }
      }
      case READING -> reading(t);
      case END -> throw new AirTemperatureParser.ParseFailure(
          FailureKind.MALFORMED_JSON, "content after the document's end at byte " + offset());
    }
  }

  private static final int STATION_ID = 1;
  private static final int VALUE = 2;

  /**
   * A reading's field name as {@link #STATION_ID}, {@link #VALUE} or 0. {@link JsonNames} interns a
   * document's names, so they nearly always match by identity, a comparison the launcher's C1
   * compiles inline where {@code equals} is a call; {@code equals} decides when identity does not.
   */
  @SuppressWarnings("StringEquality")
  private int readingField(String name) {
    return name == layout.stationId ? STATION_ID : name == "value" ? VALUE : readingFieldByValue(name);
  }

  private int readingFieldByValue(String name) {
    return layout.stationId.equals(name) ? STATION_ID : "value".equals(name) ? VALUE : 0;
  }

  private void reading(JsonToken t) throws AirTemperatureParser.ParseFailure {
    if (t == END_OBJECT) {
      at = At.READINGS;
      day.endReading(readingStation, readingValue, readingMalformed);
    } else if (readingField == STATION_ID && t == VALUE_STRING) {
      readingStation = ids.of(json.textCharacters(), json.textLength());
    } else if (readingField == VALUE && (t == VALUE_NUMBER_FLOAT || t == VALUE_NUMBER_INT)) {
      readingValue = json.doubleValue();
      readingMalformed = false;
    } else if (readingField == VALUE && t != VALUE_NULL) {
      readingMalformed = true;
      skip(t);
    } else {
      skip(t);
    }
  }

  /** A value not read: an object or array is passed over to its end. */
  private void skip(JsonToken t) {
    if (t.isStructStart()) {
      skipping = 1;
    }
  }

  private void expect(JsonToken actual, JsonToken expected, String where) throws AirTemperatureParser.ParseFailure {
    if (actual != expected) {
      throw new AirTemperatureParser.ParseFailure(
          FailureKind.MALFORMED_JSON, "expected " + expected.asString() + " in " + where + " (at byte " + offset() + ")");
    }
  }
}
