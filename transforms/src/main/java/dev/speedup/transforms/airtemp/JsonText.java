package dev.speedup.transforms.airtemp;

import java.util.Arrays;

/**
 * The current token's text for {@link JsonTokens}: a name, a string or a number decoded into chars, and a
 * number's value. Plain decimals of up to 15 digits (all the API sends) are valued as they are copied:
 * {@code digits / 10^k} is one correctly rounded division of two exact doubles, so it equals
 * {@link Double#parseDouble}'s result, without its cost; any other number is parsed from its text.
 */
final class JsonText {
  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  private char[] chars = new char[64];
  private int length;
  private double number;
  private boolean exactNumber;

  /** The text's characters, from 0 to {@link #length}. */
  char[] chars() {
    return chars;
  }

  int length() {
    return length;
  }

  String string() {
    return new String(chars, 0, length);
  }

  /** The number's value, as {@link Double#parseDouble} reads its text. */
  double doubleValue() {
    return exactNumber ? number : Double.parseDouble(string());
  }

  /** The array to decode into, with room for {@code n} chars (those before kept). */
  char[] room(int n) {
    if (n > chars.length) {
      chars = Arrays.copyOf(chars, Math.max(n, 2 * chars.length));
    }
    return chars;
  }

  void setLength(int n) {
    length = n;
  }

  /** The text is {@code n} bytes of printable ASCII from {@code from}. */
  void ascii(byte[] b, int from, int n) {
    char[] t = room(n);
    for (int k = 0; k < n; k++) {
      t[k] = (char) b[from + k];
    }
    length = n;
  }

  /** The text is a well-formed JSON number of {@code n} bytes from {@code start}, and it is valued. */
  void number(byte[] b, int start, int n) {
    char[] t = room(n);
    long digits = 0;
    int count = 0;
    int fraction = -1;
    boolean exponent = false;
    for (int k = 0; k < n; k++) {
      int c = b[start + k];
      t[k] = (char) c;
      if (c >= '0' && c <= '9') {
        digits = digits * 10 + (c - '0');
        count++;
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.') {
        fraction = 0;
      } else if (c != '-') {
        exponent = true;
      }
    }
    length = n;
    if (exponent || count > 15) {
      exactNumber = false;
    } else {
      number = decimal(digits, fraction, b[start] == '-');
      exactNumber = true;
    }
  }

  /** {@code digits} (at most 15 of them) with {@code fraction} after the point (-1 or 0: none), negated or not. */
  static double decimal(long digits, int fraction, boolean negative) {
    double v = fraction > 0 ? digits / POW10[fraction] : (double) digits;
    return negative ? -v : v;
  }
}
