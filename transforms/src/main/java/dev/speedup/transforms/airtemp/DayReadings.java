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
  /** The item's stamp: not (yet) seen, unreadable, another day's, or this day's minute (0..1439). */
  static final int NO_STAMP = -1;
  static final int OTHER_DAY = -2;

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
  private final char[] day;
  private final ValidRange range;
  private final Map<String, Station> stations = new HashMap<>();
  private final Map<ReadingRejection, Long> rejected = new EnumMap<>(ReadingRejection.class);
  private String[] pendingIds = new String[32];
  private double[] pendingValues = new double[32];
  private int pending;
  /**
   * The stations of the last item, by position: the API lists a day's stations in the same order every
   * minute, so a reading's station is found by one identity comparison (the parser hands out one String
   * per station id), not a hash lookup; the map decides when the order changes.
   */
  private String[] orderIds = new String[32];
  private Station[] orderStations = new Station[32];

  DayReadings(LocalDate date, ValidRange range) {
    this.date = date;
    this.day = date.toString().toCharArray();
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

  /** The item ends, stamped as {@link #stamp} classified it. */
  void endItem(int stamp) throws AirTemperatureParser.ParseFailure {
    int n = pending;
    for (int i = 0; i < n; i++) {
      if (stamp == NO_STAMP) {
        reject(ReadingRejection.NO_TIMESTAMP);
      } else if (stamp == OTHER_DAY) {
        reject(ReadingRejection.OTHER_DAY);
      } else if (!station(i, pendingIds[i]).add(stamp, pendingValues[i])) {
        reject(ReadingRejection.DUPLICATE);
      }
    }
    pending = 0;
  }

  /** The station of the item's {@code i}-th reading, looked up by position first (see {@link #orderIds}). */
  private Station station(int i, String id) throws AirTemperatureParser.ParseFailure {
    return i < orderIds.length && orderIds[i] == id ? orderStations[i] : lookUp(i, id); // small: C1 inlines it
  }

  private Station lookUp(int i, String id) throws AirTemperatureParser.ParseFailure {
    Station station = stations.get(id);
    if (station == null) {
      if (stations.size() == MAX_STATIONS) {
        throw tooLarge("readings from more than " + MAX_STATIONS + " stations");
      }
      station = new Station();
      stations.put(id, station);
    }
    if (i >= orderIds.length) {
      orderIds = Arrays.copyOf(orderIds, Math.max(i + 1, 2 * orderIds.length));
      orderStations = Arrays.copyOf(orderStations, orderIds.length);
    }
    orderIds[i] = id;
    orderStations[i] = station;
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

  /** The API's days are Singapore's (UTC+08:00, without daylight saving): the offset its stamps carry. */
  private static final int API_OFFSET_MINUTES = 8 * 60;

  /**
   * An ISO 8601 timestamp ({@code 2020-06-01T13:05:00+08:00}) as the minute of this day it names, or
   * {@link #OTHER_DAY}, or {@link #NO_STAMP} if it is not one. The day asked for is Singapore's, as the API's
   * are: a stamp in another offset ({@code Z}, {@code +0800}, {@code -05}) names the same instant, so it is
   * moved to Singapore's offset first; a stamp without an offset is taken as Singapore's. Seconds and their
   * fraction are optional and do not change the minute.
   */
  int stamp(char[] c, int off, int len) {
    if (len < 16 || c[off + 10] != 'T' || c[off + 13] != ':' || c[off + 4] != '-' || c[off + 7] != '-') {
      return NO_STAMP;
    }
    int hour = twoDigits(c, off + 11);
    int minute = twoDigits(c, off + 14);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return NO_STAMP;
    }
    boolean sameDay = true;
    for (int i = 0; i < 10; i++) {
      char ch = c[off + i];
      if (i != 4 && i != 7 && (ch < '0' || ch > '9')) {
        return NO_STAMP;
      }
      sameDay &= ch == day[i];
    }
    int offset = offsetMinutes(c, off + 16, off + len);
    if (offset == API_OFFSET_MINUTES) {
      return sameDay ? hour * 60 + minute : OTHER_DAY;
    }
    if (offset == NO_OFFSET) {
      return NO_STAMP;
    }
    return otherOffset(c, off, hour * 60 + minute - offset + API_OFFSET_MINUTES);
  }

  private static final int NO_OFFSET = Integer.MIN_VALUE;

  /**
   * What follows a stamp's minutes: optional seconds ({@code :SS}, {@code :SS.fff}), then {@code Z},
   * {@code ±HH:MM}, {@code ±HHMM}, {@code ±HH} or nothing (the API's offset). The offset in minutes east of
   * UTC, or {@link #NO_OFFSET} if the rest is not one of those.
   */
  private static int offsetMinutes(char[] c, int i, int end) {
    if (i < end && c[i] == ':') {
      int seconds = i + 3 <= end ? twoDigits(c, i + 1) : -1;
      if (seconds < 0 || seconds > 60) { // 60: a leap second
        return NO_OFFSET;
      }
      i += 3;
      if (i < end && c[i] == '.') {
        int digits = ++i;
        while (i < end && c[i] >= '0' && c[i] <= '9') {
          i++;
        }
        if (i == digits) {
          return NO_OFFSET;
        }
      }
    }
    if (i == end) {
      return API_OFFSET_MINUTES;
    }
    if (c[i] == 'Z' || c[i] == 'z') {
      return i + 1 == end ? 0 : NO_OFFSET;
    }
    if (c[i] != '+' && c[i] != '-') {
      return NO_OFFSET;
    }
    int sign = c[i] == '-' ? -1 : 1;
    int hours = i + 3 <= end ? twoDigits(c, i + 1) : -1;
    i += 3;
    int minutes = 0;
    if (i < end) {
      if (c[i] == ':') {
        i++;
      }
      minutes = i + 2 == end ? twoDigits(c, i) : -1;
      i += 2;
    }
    if (i != end || hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
      return NO_OFFSET;
    }
    return sign * (hours * 60 + minutes);
  }

  /** A stamp in another offset: its written date moved by whole days as {@code minutes} (Singapore's) fall. */
  private int otherOffset(char[] c, int off, int minutes) {
    LocalDate written;
    try {
      written = LocalDate.parse(java.nio.CharBuffer.wrap(c, off, 10));
    } catch (java.time.DateTimeException e) {
      return NO_STAMP;
    }
    return written.plusDays(Math.floorDiv(minutes, 24 * 60)).equals(date) ? Math.floorMod(minutes, 24 * 60) : OTHER_DAY;
  }

  private static int twoDigits(char[] c, int at) {
    char a = c[at];
    char b = c[at + 1];
    return a >= '0' && a <= '9' && b >= '0' && b <= '9' ? (a - '0') * 10 + (b - '0') : -1;
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
