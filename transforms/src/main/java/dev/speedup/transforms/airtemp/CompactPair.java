package dev.speedup.transforms.airtemp;

/**
 * Objects of one shape, {@code {"<first>":"<string>","<second>":<number>}}, read in one pass over their bytes
 * where they are written compactly, for arrays of many of them (a day's readings): no space, a string of
 * printable ASCII without escapes (at most {@value #MAX_STRING_BYTES} bytes), a number of at most 15 digits
 * without an exponent, the whole object fed already. Anything else is left to {@link JsonTokens}, token by token,
 * so what is read is what the tokens would give (JsonTokensTest compares them).
 *
 * <p>The bytes up to the number, {@code {"first":"<string>","second":}, are learnt for each string met (up to
 * {@value #MAX_LEARNT}) and the one after the last met is tried first, then the others: a day lists its stations in
 * the same order minute after minute, so a reading is mostly one comparison of its first bytes, a word at a time,
 * and its number. The objects that follow one another in the bytes fed are read in one call. Not thread-safe: one
 * per reader.
 */
final class CompactPair {
  /** The longest string taken; longer ones are read token by token. */
  static final int MAX_STRING_BYTES = 64;

  /** The most objects one {@link #read} takes. */
  static final int RUN = 64;

  /** The most strings whose objects' first bytes are learnt. */
  private static final int MAX_LEARNT = 64;

  /** A string's bytes, printable ASCII, as a String: one String per string met, for the reader's own tables. */
  @FunctionalInterface
  interface Strings {
    String of(byte[] b, int off, int len);
  }

  private final String first;
  private final String second;
  /** {@code {"first":"} and {@code ","second":}. */
  private final BytePattern start;
  private final BytePattern middle;
  private final BytePattern[] learnt = new BytePattern[MAX_LEARNT];
  private final String[] learntStrings = new String[MAX_LEARNT];
  private int learntCount;
  private int last = -1;
  private final String[] strings = new String[RUN];
  private final double[] numbers = new double[RUN];

  CompactPair(String first, String second) {
    this.first = first;
    this.second = second;
    this.start = new BytePattern(opening(""));
    this.middle = new BytePattern("\",\"" + second + "\":");
  }

  /** The bytes before the string, with {@code string} after them: {@code {"first":"string}. */
  private String opening(String string) {
    return "{\"" + first + "\":\"" + string;
  }

  /** The strings of the objects the last {@link #read} took, in order; valid until the next read. */
  String[] strings() {
    return strings;
  }

  /** Their numbers, as {@link Double#parseDouble} reads them. */
  double[] numbers() {
    return numbers;
  }

  /**
   * Reads the values {@code json} expects next while they are such objects, one after another in an array (at
   * most {@link #RUN}), their strings made by {@code strings}, and moves {@code json} past them; returns how many
   * were read. In one call, not one a value: under the launcher's C1 each call is a call, and a day has some
   * twenty thousand readings.
   */
  int read(JsonTokens json, Strings strings) {
    int i = json.nextValueAt();
    if (i < 0) {
      return 0;
    }
    byte[] b = json.bytes();
    int end = json.limit();
    int n = 0;
    int readTo = i;
    while (n < RUN) {
      int k = learntAt(b, i, end);
      int from = -1;
      int length = 0;
      if (k >= 0) {
        i += learnt[k].length();
      } else {
        if (end - i < start.length() + middle.length() + 3 || !start.at(b, i)) {
          break;
        }
        i += start.length();
        from = i;
        i = plainStringEnd(b, i, end);
        if (i < 0 || end - i < middle.length() + 2 || !middle.at(b, i)) {
          break;
        }
        length = i - from;
        i += middle.length();
      }
      boolean negative = b[i] == '-';
      if (negative) {
        i++;
      }
      double number;
      int tens;
      int units;
      int tenths;
      if (end - i >= 5 && b[i + 2] == '.' && b[i + 4] == '}' && (tens = b[i] - '0') >= 1 && tens <= 9
          && (units = b[i + 1] - '0') >= 0 && units <= 9 && (tenths = b[i + 3] - '0') >= 0 && tenths <= 9) {
        // Nearly every reading's form ("27.6"), read without the loop below.
        number = JsonText.decimal(tens * 100 + units * 10 + tenths, 1, negative);
        i += 4;
      } else {
        long digits = 0;
        int count = 0;
        int fraction = -1;
        int numberEnd = Math.min(end, i + 17);
        if (i + 1 < numberEnd && b[i] == '0' && b[i + 1] >= '0' && b[i + 1] <= '9') {
          break; // a leading zero: the tokens say what is wrong
        }
        for (; i < numberEnd; i++) {
          int c = b[i];
          if (c >= '0' && c <= '9') {
            digits = digits * 10 + (c - '0');
            count++;
            if (fraction >= 0) {
              fraction++;
            }
          } else if (c == '.' && fraction < 0 && count > 0) {
            fraction = 0;
          } else {
            break;
          }
        }
        if (i == numberEnd || b[i] != '}' || count == 0 || count > 15 || fraction == 0) {
          break;
        }
        number = JsonText.decimal(digits, fraction, negative);
      }
      if (k >= 0) {
        last = k;
        this.strings[n] = learntStrings[k];
      } else {
        String s = strings.of(b, from, length);
        met(s);
        this.strings[n] = s;
      }
      numbers[n++] = number;
      readTo = ++i;
      // The next element, if it is an object already here; anything else is the tokens' to read.
      if (end - i < 2 || b[i] != ',' || b[i + 1] != '{') {
        break;
      }
      i++;
    }
    if (n > 0) {
      json.valueReadTo(readTo);
    }
    return n;
  }

  /**
   * Where the string whose characters start at {@code b[from]} ends (its closing quote), if it is plain: printable
   * ASCII without escapes, at most {@link #MAX_STRING_BYTES} bytes, all of it before {@code end}; else -1.
   */
  static int plainStringEnd(byte[] b, int from, int end) {
    int i = from;
    int stop = Math.min(end, from + MAX_STRING_BYTES);
    while (i < stop && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
      i++;
    }
    return i < stop && b[i] == '"' ? i : -1;
  }

  /**
   * Which learnt string's object starts at {@code b[i]}, trying the one after the last met first (a day's
   * stations come in the same order), then the others (a station missing from a minute); -1 if none.
   */
  private int learntAt(byte[] b, int i, int end) {
    int count = learntCount;
    for (int step = 0, k = last + 1; step < count; step++, k++) {
      if (k >= count) {
        k = 0;
      }
      BytePattern known = learnt[k];
      if (end - i >= known.length() + 2 && known.at(b, i)) {
        return k;
      }
      if (step == 0 && (end - i < start.length() || !start.at(b, i))) {
        return -1; // not even the opening: not such an object, or not all here
      }
    }
    return -1;
  }

  /** A string was read the long way: it is the last met, and its object's first bytes are learnt if there is room. */
  private void met(String s) {
    for (int k = 0; k < learntCount; k++) {
      if (learntStrings[k].equals(s)) {
        last = k;
        return;
      }
    }
    if (learntCount < MAX_LEARNT) {
      learnt[learntCount] = new BytePattern(opening(s) + "\",\"" + second + "\":");
      learntStrings[learntCount] = s;
      last = learntCount++;
    }
  }
}
