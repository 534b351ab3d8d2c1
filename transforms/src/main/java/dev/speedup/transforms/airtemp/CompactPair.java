package dev.speedup.transforms.airtemp;

/**
 * Objects of one shape, {@code {"<first>":"<string>","<second>":<number>}}, read in one pass over their bytes
 * where they are written compactly, for arrays of many of them (a day's readings): no space, a string of
 * printable ASCII without escapes (at most {@value #MAX_STRING_BYTES} bytes), a number of at most 15 digits
 * without an exponent, the whole object fed already. Anything else is left to {@link JsonTokens}, token by token,
 * so what is read is what the tokens would give (JsonTokensTest compares them). Not thread-safe: one per reader.
 */
final class CompactPair {
  /** The longest string taken; longer ones are read token by token. */
  static final int MAX_STRING_BYTES = 64;

  /** The strings expected, known by their bytes: the reader sees printable ASCII only. */
  interface Strings {
    /** The string written as {@code b[off..off + len)}. */
    String of(byte[] b, int off, int len);

    /**
     * If the string likely to come next is written at {@code b[off..]}, followed by a quote before {@code end}:
     * its length, and it is what {@link #matched} gives; else -1.
     */
    int matchNext(byte[] b, int off, int end);

    String matched();
  }

  /** {@code {"first":"} and {@code ","second":}, and their lengths. */
  private final BytePattern start;
  private final BytePattern middle;
  private final int startLength;
  private final int middleLength;
  private String string = "";
  private double number;

  CompactPair(String first, String second) {
    this.start = new BytePattern("{\"" + first + "\":\"");
    this.middle = new BytePattern("\",\"" + second + "\":");
    this.startLength = start.length();
    this.middleLength = middle.length();
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
    if (end - i < startLength + middleLength + 3 || !start.at(b, i)) {
      return false;
    }
    i += startLength;
    int from = i;
    int n = strings.matchNext(b, from, end);
    boolean known = n >= 0;
    if (known) {
      i += n;
    } else {
      int stringEnd = Math.min(end, i + MAX_STRING_BYTES);
      while (i < stringEnd && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
        i++;
      }
      if (i == stringEnd || b[i] != '"') {
        return false;
      }
      n = i - from;
    }
    if (end - i < middleLength + 2 || !middle.at(b, i)) {
      return false;
    }
    i += middleLength;
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
    string = known ? strings.matched() : strings.of(b, from, n);
    number = JsonText.decimal(digits, fraction, negative);
    json.valueReadTo(i + 1);
    return true;
  }
}
