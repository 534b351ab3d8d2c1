package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.FailureKind;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Reads one air-temperature document (the v1 API's shape; {@link DocumentStream} does the reading, as
 * bodies arrive, for v1's documents and v2's pages alike) and aggregates each station's readings over the day.
 *
 * <p>Readings whose {@code station_id} or {@code value} is missing or null are skipped, as the real API
 * has some. A reading that cannot be true is rejected and counted, not averaged ({@link DayReadings}): a
 * value that is not a number or outside the {@link ValidRange}, an item stamped with another day or not at
 * all, a station's second reading for a minute. Only a document that is not well-formed JSON of the
 * expected shape fails (MALFORMED_JSON), and one without a single valid reading fails as EMPTY_DAY.
 */
public final class AirTemperatureParser {

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

    /**
     * A document that is not JSON, where the parser found out. Given its first two bytes (-1 where not yet
     * fed), one that starts as gzip does says so: a server may compress a body no request here asks it to.
     * (A byte 1f alone is taken for gzip's start too: the parser fails on it before a second byte comes, and
     * JSON cannot start with it.)
     */
    static ParseFailure notJson(JsonTokens.Malformed e, int first, int second) {
      if (first == 0x1f && (second == 0x8b || second < 0)) {
        return new ParseFailure(FailureKind.MALFORMED_JSON, "not JSON: the body starts as gzip-compressed data does; the server"
            + " compressed it although the request does not accept compression (it sends no Accept-Encoding)");
      }
      return new ParseFailure(FailureKind.MALFORMED_JSON, "not valid JSON (at byte " + e.at + ": " + e.getMessage() + ")");
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

  /**
   * The day's per-station statistics, ordered by station id, and what was rejected: the document read
   * through {@link DocumentStream}, as a body arriving in one chunk, so there is one reading of v1.
   */
  public static Parsed parse(byte[] document, LocalDate date, ValidRange range) throws ParseFailure {
    DocumentStream stream = new DocumentStream(date, range);
    stream.feed(document, 0, document.length);
    return stream.finish();
  }

  /** Station ids seen in this document, matched without allocating a String per reading. */
  static final class StationIds implements CompactPair.Strings {
    private static final int MAX = 256;
    private final String[] ids = new String[MAX];
    private final char[][] chars = new char[MAX][];
    private int size;
    private int last = -1;

    /**
     * The id of the current string token. A day lists its stations in the same order minute after minute,
     * so the search starts after the last one found and usually ends at its first comparison.
     */
    String of(char[] c, int len) {
      for (int step = 0, k = last + 1; step < size; step++, k++) {
        if (k >= size) {
          k = 0;
        }
        char[] id = chars[k];
        if (id.length == len && sameChars(id, c)) {
          last = k;
          return ids[k];
        }
      }
      String id = new String(c, 0, len);
      if (size < MAX) {
        ids[size] = id;
        chars[size] = id.toCharArray();
        last = size++;
      }
      return id;
    }

    /** The id written as {@code b[off..off + len)}, printable ASCII without escapes, as {@link #of(char[], int)} finds it. */
    @Override
    public String of(byte[] b, int off, int len) {
      char[] c = new char[len];
      for (int i = 0; i < len; i++) {
        c[i] = (char) b[off + i];
      }
      return of(c, len);
    }

    /**
     * Whether {@code id} is the chars from 0: a plain loop, as ids are a few chars long, and
     * {@code Arrays.equals} on ranges is two calls deep under the launcher's C1.
     */
    private static boolean sameChars(char[] id, char[] c) {
      for (int i = 0; i < id.length; i++) {
        if (id[i] != c[i]) {
          return false;
        }
      }
      return true;
    }
  }
}
