package dev.speedup.transforms.airtemp;

/**
 * Objects of one shape, {@code {"<first>":"<string>","<second>":<number>}}, read in one pass over their bytes
 * where they are written compactly, for arrays of many of them (a day's readings): no space, a string of
 * printable ASCII without escapes (at most {@value #MAX_STRING_BYTES} bytes), a number of at most 15 digits
 * without an exponent, the whole object fed already. Anything else is left to {@link JsonTokens}, token by token,
 * so what is read is what the tokens would give (JsonTokensTest compares them).
 *
 * <p>The bytes up to the number, {@code {"first":"<string>","second":}, are learnt for each string met (up to
 * {@value #MAX_LEARNT}) and the one after the last met is tried first: a day lists its stations in the same order
 * minute after minute, so a reading is mostly one comparison of its first bytes, a word at a time, and its number.
 * Not thread-safe: one per reader.
 */
final class CompactPair {
  /** The longest string taken; longer ones are read token by token. */
  static final int MAX_STRING_BYTES = 64;

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
  private String string = "";
  private double number;

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

  /** The string of the object read last. */
  String string() {
    return string;
  }

  /** The number of the object read last, as {@link Double#parseDouble} reads it. */
  double number() {
    return number;
  }

  /**
   * Reads the value {@code json} expects next if it is such an object, its string made by {@code strings}, and
   * moves {@code json} past it; else reads nothing and moves nothing.
   */
  boolean read(JsonTokens json, Strings strings) {
    int i = json.nextValueAt();
    if (i < 0) {
      return false;
    }
    byte[] b = json.bytes();
    int end = json.limit();
    int guess = last + 1 < learntCount ? last + 1 : 0;
    int from = -1;
    int n = 0;
    BytePattern known = learntCount == 0 ? null : learnt[guess];
    if (known != null && end - i >= known.length() + 2 && known.at(b, i)) {
      i += known.length();
    } else {
      known = null;
      if (end - i < start.length() + middle.length() + 3 || !start.at(b, i)) {
        return false;
      }
      i += start.length();
      from = i;
      int stringEnd = Math.min(end, i + MAX_STRING_BYTES);
      while (i < stringEnd && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
        i++;
      }
      if (i == stringEnd || b[i] != '"' || end - i < middle.length() + 2 || !middle.at(b, i)) {
        return false;
      }
      n = i - from;
      i += middle.length();
    }
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    long digits = 0;
    int count = 0;
    int fraction = -1;
    int numberEnd = Math.min(end, i + 17);
    if (i + 1 < numberEnd && b[i] == '0' && b[i + 1] >= '0' && b[i + 1] <= '9') {
      return false; // a leading zero: the tokens say what is wrong
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
      return false;
    }
    if (known != null) {
      last = guess;
      string = learntStrings[guess];
    } else {
      string = strings.of(b, from, n);
      met(string);
    }
    number = JsonText.decimal(digits, fraction, negative);
    json.valueReadTo(i + 1);
    return true;
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
