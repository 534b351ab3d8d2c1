package dev.speedup.transforms.airtemp;

import com.fasterxml.jackson.core.JsonToken;

/**
 * A push tokenizer for JSON (RFC 8259, UTF-8) fed a body's bytes as they arrive: {@link #feed} appends bytes,
 * {@link #next} gives the next whole token or {@link JsonToken#NOT_AVAILABLE} until more come, {@link #end} says
 * none will. A token cut by the end of what was fed is read again, whole, once the rest comes, so where the
 * bytes were cut changes neither the tokens nor the byte a failure names.
 *
 * <p>Why not Jackson's non-blocking parser, which this replaced: the fetch job's launcher runs HotSpot's C1
 * alone, which inlines little, and Jackson's many small per-byte methods there made parsing most of a fetch
 * run's CPU (docs/benchmarks.md). This class keeps each token's bytes in one loop of one method. Several
 * roots in a row are read as Jackson reads them (one after another); nesting is limited to {@link #MAX_DEPTH}
 * as Jackson's defaults limit it. Strings must be well-formed UTF-8 (RFC 3629).
 */
final class JsonTokens {

  /** A body that is not JSON, or has a token over {@link #MAX_TOKEN_BYTES}: what was found and where. */
  static final class Malformed extends Exception {
    final long at;
    final boolean tooLarge;

    Malformed(String reason, long at, boolean tooLarge) {
      super(reason);
      this.at = at;
      this.tooLarge = tooLarge;
    }
  }

  /** The deepest nesting of objects and arrays taken (Jackson's default limit). */
  static final int MAX_DEPTH = 1000;

  /**
   * The longest name, string, number or run of space taken: the bytes of a token are held until it ends, so
   * this bounds the memory of a document in flight. The API's longest token is a few dozen bytes.
   */
  static final int MAX_TOKEN_BYTES = 64 * 1024;

  private static final int ROOT = 0; // a root value, or the end of input
  private static final int VALUE = 1; // a value (after a colon or a comma in an array)
  private static final int VALUE_OR_END_ARRAY = 2; // right after '['
  private static final int NAME = 3; // after a comma in an object
  private static final int NAME_OR_END_OBJECT = 4; // right after '{'
  private static final int COLON = 5; // after a name
  private static final int COMMA_OR_END = 6; // after a value in an object or array

  private static final byte[] NONE = new byte[0];

  private byte[] buf = NONE;
  private int pos;
  private int limit;
  /** The body offset of {@code buf[0]}. */
  private long base;
  private boolean ended;
  /** Where the token being read starts in {@code buf}, and where reading it stops: its end, or the limit. */
  private int tokenStart;
  private int stop;
  /** The body offset where the space being skipped began, or -1. */
  private long space = -1;
  private int state = ROOT;
  /** Whether each open container is an object; the innermost at {@code depth - 1}. */
  private final boolean[] objects = new boolean[MAX_DEPTH];
  private int depth;

  /** The current token's text (a name, a string or a number), decoded. */
  private final JsonText text = new JsonText();
  /** Whether the last number read has neither a fraction nor an exponent. */
  private boolean integer;
  private final JsonNames names = new JsonNames();

  /** Appends {@code len} bytes; the array may be reused once this returns. */
  void feed(byte[] bytes, int off, int len) {
    int kept = limit - pos;
    if (kept + len > buf.length) {
      byte[] grown = new byte[Math.max(kept + len, Math.min(2 * buf.length, kept + len + 16 * 1024))];
      System.arraycopy(buf, pos, grown, 0, kept);
      buf = grown;
    } else if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, kept);
    }
    base += pos;
    pos = 0;
    limit = kept;
    System.arraycopy(bytes, off, buf, limit, len);
    limit += len;
  }

  /** No more bytes will come: a token held back for its end is read as it is. */
  void end() {
    ended = true;
  }

  /** Gives back the buffer, once the body is done with. */
  void release() {
    buf = NONE;
    base += pos;
    pos = 0;
    limit = 0;
  }

  /** Where the next token starts, or the byte a failure names, as an offset in the body. */
  long offset() {
    return base + pos;
  }

  /** The bytes fed and not yet read as tokens: a token held back for its end, and anything after it. */
  int pending() {
    return limit - pos;
  }

  /**
   * The next token: {@link JsonToken#NOT_AVAILABLE} when the bytes fed end inside it (or before it), null
   * at the end of input after a whole number of roots.
   */
  JsonToken next() throws Malformed {
    byte[] b = buf;
    while (true) {
      int i = pos;
      if (i < limit && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
        long from = space >= 0 ? space : base + i;
        while (i < limit && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
          i++;
        }
        if (base + i - from > MAX_TOKEN_BYTES) {
          throw new Malformed("space", from, true);
        }
        space = i == limit ? from : -1;
        pos = i;
      } else if (i < limit) {
        space = -1; // a run of space that reached the end of the bytes fed ended with them
      }
      if (i == limit) {
        if (!ended) {
          return JsonToken.NOT_AVAILABLE;
        }
        if (state != ROOT) {
          throw new Malformed("the document ends inside " + (depth > 0 && objects[depth - 1] ? "an object" : "an array"), offset(), false);
        }
        return null;
      }
      int c = b[i];
      switch (state) {
        case COMMA_OR_END -> {
          boolean object = objects[depth - 1];
          if (c == ',') {
            pos = i + 1;
            state = object ? NAME : VALUE;
            continue;
          }
          if (c == (object ? '}' : ']')) {
            return close(i, object);
          }
          throw malformed(object ? "expected ',' or '}'" : "expected ',' or ']'", i);
        }
        case NAME, NAME_OR_END_OBJECT -> {
          if (c == '}' && state == NAME_OR_END_OBJECT) {
            return close(i, true);
          }
          if (c != '"') {
            throw malformed(state == NAME ? "expected a name" : "expected a name or '}'", i);
          }
          boolean firstInObject = state == NAME_OR_END_OBJECT;
          int after = names.match(b, i + 1, limit, firstInObject, depth);
          if (after < 0) {
            begin(i);
            after = string(i);
            if (after < 0) {
              return JsonToken.NOT_AVAILABLE;
            }
            names.of(text.chars(), text.length(), firstInObject, depth);
          }
          pos = after;
          state = COLON;
          return JsonToken.FIELD_NAME;
        }
        case COLON -> {
          if (c != ':') {
            throw malformed("expected ':'", i);
          }
          pos = i + 1;
          state = VALUE;
        }
        default -> {
          if (c == ']' && state == VALUE_OR_END_ARRAY) {
            return close(i, false);
          }
          begin(i);
          return value(i, c);
        }
      }
    }
  }

  /**
   * For a reader of a value's bytes ({@link CompactPair}): where in {@link #bytes} the value expected next
   * starts (past a comma before it, in an array), or -1 if no value is expected there, or none could be an
   * object (nesting at its limit).
   */
  int nextValueAt() {
    int i = pos;
    if (depth == MAX_DEPTH) {
      return -1;
    }
    if (state == COMMA_OR_END && !objects[depth - 1] && i < limit && buf[i] == ',') {
      return i + 1;
    }
    return state == VALUE || state == VALUE_OR_END_ARRAY ? i : -1;
  }

  /** The bytes fed, up to {@link #limit}; valid until the next {@link #feed}. */
  byte[] bytes() {
    return buf;
  }

  int limit() {
    return limit;
  }

  /** A reader of a value's bytes has read a whole value from {@link #nextValueAt} to just before {@code after}. */
  void valueReadTo(int after) {
    pos = after;
    state = depth == 0 ? ROOT : COMMA_OR_END;
  }

  /**
   * A reader of a value's bytes ({@link CompactOpening}) has read, from {@link #nextValueAt} to just before
   * {@code after}, an object's opening up to its '[': the object and that array are open, the array's first
   * value next. False, and nothing changed, where the nesting would pass its limit (the tokens then say so).
   */
  boolean objectAndArrayOpenedTo(int after) {
    if (depth + 2 > MAX_DEPTH) {
      return false;
    }
    objects[depth++] = true;
    objects[depth++] = false;
    pos = after;
    state = VALUE_OR_END_ARRAY;
    return true;
  }

  /** A token starts at {@code i}: it is read no further than {@link #MAX_TOKEN_BYTES} past it. */
  private void begin(int i) {
    tokenStart = i;
    stop = limit - i > MAX_TOKEN_BYTES ? i + MAX_TOKEN_BYTES + 1 : limit;
  }

  private JsonToken close(int i, boolean object) {
    pos = i + 1;
    depth--;
    state = depth == 0 ? ROOT : COMMA_OR_END;
    return object ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
  }

  private JsonToken value(int i, int c) throws Malformed {
    JsonToken token;
    int after;
    if (c == '"') {
      token = JsonToken.VALUE_STRING;
      after = string(i);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      after = number(i);
      token = integer ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    } else if (c == '{' || c == '[') {
      if (depth == MAX_DEPTH) {
        throw malformed("objects and arrays nested more than " + MAX_DEPTH + " deep", i);
      }
      objects[depth++] = c == '{';
      pos = i + 1;
      state = c == '{' ? NAME_OR_END_OBJECT : VALUE_OR_END_ARRAY;
      return c == '{' ? JsonToken.START_OBJECT : JsonToken.START_ARRAY;
    } else if (c == 't') {
      after = literal(i, "true");
      token = JsonToken.VALUE_TRUE;
    } else if (c == 'f') {
      after = literal(i, "false");
      token = JsonToken.VALUE_FALSE;
    } else if (c == 'n') {
      after = literal(i, "null");
      token = JsonToken.VALUE_NULL;
    } else {
      throw malformed("expected a value", i);
    }
    if (after < 0) {
      return JsonToken.NOT_AVAILABLE;
    }
    pos = after;
    state = depth == 0 ? ROOT : COMMA_OR_END;
    return token;
  }

  /**
   * The string starting at the quote at {@code start}, decoded into {@link #text}: the index after its closing
   * quote, or -1 if the bytes fed end first.
   */
  private int string(int start) throws Malformed {
    byte[] b = buf;
    int i = start + 1;
    // Most strings are printable ASCII: found whole first, then copied in one simple loop.
    while (i < stop && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\') {
      i++;
    }
    if (i < stop && b[i] == '"') {
      text.ascii(b, start + 1, i - start - 1);
      return i + 1;
    }
    return escapedString(start);
  }

  /** {@link #string} for a string with an escape, a character beyond ASCII or a control character. */
  private int escapedString(int start) throws Malformed {
    byte[] b = buf;
    char[] t = text.chars();
    int n = 0;
    int i = start + 1;
    while (true) {
      if (i == stop) {
        return incomplete(i);
      }
      int c = b[i];
      if (c == '"') {
        text.setLength(n);
        return i + 1;
      }
      if (n + 2 > t.length) {
        t = text.room(n + 2);
      }
      if (c >= 0x20 && c != '\\') {
        t[n++] = (char) c;
        i++;
      } else if (c == '\\') {
        if (i + 1 == stop) {
          return incomplete(i);
        }
        int e = b[i + 1];
        if (e == 'u') {
          if (i + 6 > stop) {
            return incomplete(i);
          }
          int unit = 0;
          for (int k = i + 2; k < i + 6; k++) {
            int digit = Character.digit(b[k], 16);
            if (digit < 0) {
              throw malformed("expected a hex digit in a \\u escape", k);
            }
            unit = unit << 4 | digit;
          }
          t[n++] = (char) unit;
          i += 6;
          continue;
        }
        t[n++] = switch (e) {
          case '"' -> '"';
          case '\\' -> '\\';
          case '/' -> '/';
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> throw malformed("an unknown escape in a string", i + 1);
        };
        i += 2;
      } else if (c >= 0) {
        throw malformed("a control character in a string", i);
      } else {
        i = utf8(i, c & 0xFF, n);
        if (i < 0) {
          return incomplete(stop);
        }
        n = text.length();
        t = text.chars();
      }
    }
  }

  /**
   * The UTF-8 sequence led by {@code lead} at {@code i}, appended to {@link #text} at {@code n} (its new length
   * set there): the index after it, or -1 if the bytes fed end inside it.
   */
  private int utf8(int i, int lead, int n) throws Malformed {
    int more;
    int min;
    int code;
    if (lead >= 0xC2 && lead <= 0xDF) {
      more = 1; min = 0x80; code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      more = 2; min = 0x800; code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      more = 3; min = 0x10000; code = lead & 0x07;
    } else {
      throw malformed("a byte that does not start a UTF-8 character", i);
    }
    for (int k = 1; k <= more; k++) {
      if (i + k == stop) {
        return incomplete(i + k);
      }
      int next = buf[i + k] & 0xFF;
      if ((next & 0xC0) != 0x80) {
        throw malformed("a UTF-8 character cut short", i + k);
      }
      code = code << 6 | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      throw malformed("a UTF-8 sequence that is no character", i);
    }
    if (code >= 0x10000) {
      char[] t = text.chars();
      t[n++] = Character.highSurrogate(code);
      t[n++] = Character.lowSurrogate(code);
    } else {
      text.chars()[n++] = (char) code;
    }
    text.setLength(n);
    return i + 1 + more;
  }

  /**
   * The number starting at {@code start}, its text in {@link #text}: the index after it, or -1 if the bytes fed
   * end where more digits could follow.
   */
  private int number(int start) throws Malformed {
    byte[] b = buf;
    int i = start;
    if (b[i] == '-') {
      i++;
    }
    if (i == stop) {
      return incomplete(i);
    }
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      while (++i < stop && b[i] >= '0' && b[i] <= '9') {}
    } else {
      throw malformed("expected a digit", i);
    }
    integer = true;
    if (i < stop && b[i] == '.') {
      integer = false;
      i = digits(i + 1, "expected a digit after the decimal point");
    }
    if (i >= 0 && i < stop && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      if (i < stop && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      i = digits(i, "expected a digit in the exponent");
    }
    if (i < 0) {
      return -1;
    }
    if (i == stop && (stop - tokenStart > MAX_TOKEN_BYTES || !ended)) {
      return incomplete(i); // more digits may follow
    }
    text.number(b, start, i - start);
    return i;
  }

  /** The current number's value, as {@link Double#parseDouble} reads its text. */
  double doubleValue() {
    return text.doubleValue();
  }

  private int digits(int i, String missing) throws Malformed {
    byte[] b = buf;
    if (i == stop) {
      return incomplete(i);
    }
    if (b[i] < '0' || b[i] > '9') {
      throw malformed(missing, i);
    }
    while (++i < stop && b[i] >= '0' && b[i] <= '9') {}
    return i;
  }

  private int literal(int start, String word) throws Malformed {
    for (int k = 0; k < word.length(); k++) {
      if (start + k == stop) {
        return incomplete(start + k);
      }
      if (buf[start + k] != word.charAt(k)) {
        throw malformed("expected a value", start);
      }
    }
    return start + word.length();
  }

  /**
   * The token being read has not ended by its {@link #stop} (where its bytes, from {@code i}, run out): a
   * failure if it is too long or no more bytes will come, or -1, to wait for more.
   */
  private int incomplete(int i) throws Malformed {
    if (stop - tokenStart > MAX_TOKEN_BYTES) {
      throw new Malformed("token", base + tokenStart, true);
    }
    if (ended) {
      throw malformed("the document ends inside a token", i);
    }
    return -1;
  }

  private Malformed malformed(String reason, int i) {
    return new Malformed(reason, base + i, false);
  }

  /** The current name, string or number's characters, from 0 to {@link #textLength()}. */
  char[] textCharacters() {
    return text.chars();
  }

  int textLength() {
    return text.length();
  }

  /** The current name, string or number as a String. */
  String text() {
    return text.string();
  }

  /** The current name: interned (as Jackson's are) for a document's first {@link JsonNames#MAX} distinct names. */
  String name() {
    return names.current();
  }
}
