package dev.speedup.transforms.airtemp;

/**
 * The opening of an object of one shape, {@code {"<first>":"<string>","<second>":[}, read in one pass over its
 * bytes where it is written compactly (a day's item: its timestamp, then its readings' array): no space, a
 * string of printable ASCII without escapes (at most {@value CompactPair#MAX_STRING_BYTES} bytes), all of it fed
 * already. Anything else is left to {@link JsonTokens}, token by token (JsonTokensTest compares them). Not
 * thread-safe: one per reader.
 */
final class CompactOpening {
  /** {@code {"first":"} and {@code ","second":[}. */
  private final BytePattern start;
  private final BytePattern middle;
  private final char[] string = new char[CompactPair.MAX_STRING_BYTES];
  private int length;

  CompactOpening(String first, String second) {
    this.start = new BytePattern("{\"" + first + "\":\"");
    this.middle = new BytePattern("\",\"" + second + "\":[");
  }

  /** The string of the opening read last, in {@code [0, length())}; valid until the next read. */
  char[] string() {
    return string;
  }

  int length() {
    return length;
  }

  /**
   * Reads the value {@code json} expects next if it opens as such an object, and leaves {@code json} inside the
   * object's array, its first value next; else reads nothing and moves nothing.
   */
  boolean read(JsonTokens json) {
    int i = json.nextValueAt();
    if (i < 0) {
      return false;
    }
    byte[] b = json.bytes();
    int end = json.limit();
    if (end - i < start.length() + 1 + middle.length() || !start.at(b, i)) {
      return false;
    }
    i += start.length();
    int from = i;
    i = CompactPair.plainStringEnd(b, i, end);
    if (i < 0 || end - i < middle.length() || !middle.at(b, i)) {
      return false;
    }
    if (!json.objectAndArrayOpenedTo(i + middle.length())) {
      return false;
    }
    length = i - from;
    for (int k = 0; k < length; k++) {
      string[k] = (char) b[from + k];
    }
    return true;
  }
}
