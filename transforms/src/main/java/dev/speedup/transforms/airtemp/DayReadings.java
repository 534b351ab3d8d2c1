package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.FailureKind;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One day's readings as the parser finds them, item by item: each item's readings are held until the
 * item ends (its timestamp may come after them), then kept or rejected as a whole by the day and minute it
 * is stamped with. A reading is kept only if its value is in the {@link ValidRange}, its item is stamped
 * with the day asked for, and its station has no reading yet for that minute.
 */
final class DayReadings {
  private static final class Station {
    final long[] minutes = new long[(24 * 60 + 63) / 64];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    int count;

    Station copy() {
      Station c = new Station();
      System.arraycopy(minutes, 0, c.minutes, 0, minutes.length);
      c.min = min;
      c.max = max;
      c.sum = sum;
      c.count = count;
      return c;
    }

    /** False if this station already has a reading for {@code minute}. */
    boolean add(int minute, double v) {
      long bit = 1L << (minute & 63);
      if ((minutes[minute >> 6] & bit) != 0) {
        return false;
      }
      minutes[minute >> 6] |= bit;
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
      sum += v;
      count++;
      return true;
    }
  }

  /**
   * Stations a day may have (the API has about 15): a document with more fails as TOO_LARGE. Each takes a
   * few hundred bytes while its day is read, and many days are read at once, so a server cannot make the
   * job hold more than this many per day in flight.
   */
  static final int MAX_STATIONS = 1_000;

  /** Readings an item may hold until it ends (its stamp may come last): one per station, and room for repeats. */
  static final int MAX_ITEM_READINGS = 4 * MAX_STATIONS;

  private final LocalDate date;
  private final DayStamps stamps;
  private final ValidRange range;
  private final Map<String, Station> stations = new HashMap<>();
  private final Map<ReadingRejection, Long> rejected = new EnumMap<>(ReadingRejection.class);
  private String[] pendingIds = new String[32];
  private double[] pendingValues = new double[32];
  private int pending;
  /**
   * The first {@link #MAX_ORDERED} stations in the order met, and which was found last: the API lists a day's
   * stations in the same order every minute, so a reading's station is nearly always the one after the last,
   * found by one identity comparison (the parser hands out one String per station id); one missing from a
   * minute costs a scan of these; the map decides for the rest.
   */
  private static final int MAX_ORDERED = 64;
  private final String[] orderIds = new String[MAX_ORDERED];
  private final Station[] orderStations = new Station[MAX_ORDERED];
  private int ordered;
  private int lastFound = -1;

  DayReadings(LocalDate date, ValidRange range) {
    this.date = date;
    this.stamps = new DayStamps(date);
    this.range = range;
  }

  /**
   * The day so far, to read one more page into: an attempt at that page cut off midway (and retried) must
   * leave the day as it was. Between items, so nothing is pending.
   */
  DayReadings copy() {
    DayReadings c = new DayReadings(date, range);
    stations.forEach((id, station) -> c.stations.put(id, station.copy()));
    c.rejected.putAll(rejected);
    return c;
  }

  void reject(ReadingRejection why) {
    rejected.merge(why, 1L, Long::sum);
  }

  /** A reading of the item being read; its value already a number. */
  void reading(String station, double value) throws AirTemperatureParser.ParseFailure {
    if (!range.admits(value)) {
      reject(ReadingRejection.OUT_OF_RANGE);
      return;
    }
    int n = pending;
    if (n == MAX_ITEM_READINGS) {
      throw tooLarge("an item with more than " + MAX_ITEM_READINGS + " readings");
    }
    if (n == pendingValues.length) {
      pendingIds = Arrays.copyOf(pendingIds, n * 2);
      pendingValues = Arrays.copyOf(pendingValues, n * 2);
    }
    pendingIds[n] = station;
    pendingValues[n] = value;
    pending = n + 1;
  }

  /**
   * Readings of the item being read, station {@code ids[k]}'s value {@code values[k]} for each k below {@code n},
   * each as {@link #reading} takes it: one call for many, the loop kept here.
   */
  void readings(String[] ids, double[] values, int n) throws AirTemperatureParser.ParseFailure {
    int p = pending;
    if (p + n > pendingValues.length) {
      int size = Math.max(p + n, Math.min(2 * pendingValues.length, MAX_ITEM_READINGS));
      pendingIds = Arrays.copyOf(pendingIds, size);
      pendingValues = Arrays.copyOf(pendingValues, size);
    }
    for (int k = 0; k < n; k++) {
      double v = values[k];
      if (!range.admits(v)) {
        reject(ReadingRejection.OUT_OF_RANGE);
        continue;
      }
      if (p == MAX_ITEM_READINGS) {
        pending = p;
        throw tooLarge("an item with more than " + MAX_ITEM_READINGS + " readings");
      }
      pendingIds[p] = ids[k];
      pendingValues[p] = v;
      p++;
    }
    pending = p;
  }

  /**
   * A reading's object has ended: a reading without a station is skipped (the real API has some, and they
   * mean nothing), a malformed value is rejected, a missing or null one ignored.
   */
  void endReading(@Nullable String station, double value, boolean malformed) throws AirTemperatureParser.ParseFailure {
    if (station == null) {
      return;
    }
    if (malformed) {
      reject(ReadingRejection.MALFORMED_VALUE);
    } else if (!Double.isNaN(value)) {
      reading(station, value);
    }
  }

  /** The item's timestamp as {@link DayStamps#minuteOf} classifies it for this day. */
  int stamp(char[] c, int off, int len) {
    return stamps.minuteOf(c, off, len);
  }

  /** The item ends, stamped as {@link #stamp} classified it. */
  void endItem(int stamp) throws AirTemperatureParser.ParseFailure {
    int n = pending;
    for (int i = 0; i < n; i++) {
      if (stamp == DayStamps.NO_STAMP) {
        reject(ReadingRejection.NO_TIMESTAMP);
      } else if (stamp == DayStamps.OTHER_DAY) {
        reject(ReadingRejection.OTHER_DAY);
      } else if (!station(pendingIds[i]).add(stamp, pendingValues[i])) {
        reject(ReadingRejection.DUPLICATE);
      }
    }
    pending = 0;
  }

  /** The station of {@code id}: the one after the last found, if that is it (see {@link #orderIds}). */
  private Station station(String id) throws AirTemperatureParser.ParseFailure {
    int k = lastFound + 1 < ordered ? lastFound + 1 : 0;
    if (orderIds[k] == id) { // small: C1 inlines it
      lastFound = k;
      return orderStations[k];
    }
    return find(id);
  }

  private Station find(String id) throws AirTemperatureParser.ParseFailure {
    for (int k = 0; k < ordered; k++) {
      if (orderIds[k] == id) {
        lastFound = k;
        return orderStations[k];
      }
    }
    Station station = stations.get(id);
    if (station == null) {
      if (stations.size() == MAX_STATIONS) {
        throw tooLarge("readings from more than " + MAX_STATIONS + " stations");
      }
      station = new Station();
      stations.put(id, station);
    }
    if (ordered < MAX_ORDERED) {
      orderIds[ordered] = id;
      orderStations[ordered] = station;
      lastFound = ordered++;
    }
    return station;
  }

  /** A station's id and name from the document's list into {@code names}, within {@link #MAX_STATIONS}. */
  static void name(Map<String, String> names, String id, String name) throws AirTemperatureParser.ParseFailure {
    if (names.size() == MAX_STATIONS && !names.containsKey(id)) {
      throw tooLarge("a list of more than " + MAX_STATIONS + " stations");
    }
    names.put(id, name);
  }

  private static AirTemperatureParser.ParseFailure tooLarge(String what) {
    return new AirTemperatureParser.ParseFailure(FailureKind.TOO_LARGE,
        "the document has " + what + "; a day may have at most " + MAX_STATIONS + " stations");
  }

  /** The day's rows and rejections; a day without a single valid reading fails as EMPTY_DAY. */
  AirTemperatureParser.Parsed finish(Map<String, String> names) throws AirTemperatureParser.ParseFailure {
    if (stations.isEmpty()) {
      throw new AirTemperatureParser.ParseFailure(FailureKind.EMPTY_DAY,
          "the document has no valid readings for " + date + (rejected.isEmpty() ? "" : " (rejected: " + rejected + ")"));
    }
    return new AirTemperatureParser.Parsed(rows(names), rejected);
  }

  /** Per-station statistics, ordered by station id. */
  List<StationDay> rows(Map<String, String> names) {
    List<StationDay> days = new ArrayList<>(stations.size());
    for (Map.Entry<String, Station> e : stations.entrySet()) {
      Station s = e.getValue();
      days.add(StationDay.of(date, e.getKey(), names.getOrDefault(e.getKey(), ""), s.count, s.min, s.sum / s.count, s.max));
    }
    days.sort(Comparator.comparing(StationDay::stationId));
    return days;
  }
}
