package dev.speedup.transforms.airtemp;

import java.time.LocalDate;

/**
 * The API's timestamps read as minutes of one day: which minute of the day asked for a stamp names, whether
 * it names another day, or whether it is not a timestamp at all. Reads the parser's characters in place, so
 * a day's 1,440 stamps make no strings.
 */
final class DayStamps {
  /** What {@link #minuteOf} gives for a stamp that is not one; this day's minutes are 0..1439. */
  static final int NO_STAMP = -1;
  /** What {@link #minuteOf} gives for a stamp of another day. */
  static final int OTHER_DAY = -2;

  private final LocalDate date;
  private final char[] day;

  DayStamps(LocalDate date) {
    this.date = date;
    this.day = date.toString().toCharArray();
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
  int minuteOf(char[] c, int off, int len) {
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
}
