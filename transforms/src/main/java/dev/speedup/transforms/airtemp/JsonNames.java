package dev.speedup.transforms.airtemp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A document's field names for {@link JsonTokens}: each made into a String once (interned, as Jackson's are, so
 * that a reader may compare them by identity), and most matched on their bytes in the body, without decoding.
 * The name likely to come is tried first: an object's first name as last time at its depth, any other the one
 * that followed the previous name last time. The first {@link #MAX} distinct names of a document are kept.
 */
final class JsonNames {
  static final int MAX = 64;
  /** The depths at which an object's first name is remembered. */
  private static final int DEPTHS = 8;

  private final String[] strings = new String[MAX];
  private final char[][] chars = new char[MAX][];
  /** Each name's bytes in a body where they are plain ASCII (no escape, no quote), else null. */
  private final byte[][] plain = new byte[MAX][];
  /** For each name, the one that came after it in its object last time, or -1. */
  private final int[] next = new int[MAX];
  /** For each depth, the first name of the last object there, or -1. */
  private final int[] first = new int[DEPTHS];
  private int size;
  /** The index of the current name, or -1 if it is not kept. */
  private int current = -1;
  private String currentName = "";

  JsonNames() {
    Arrays.fill(next, -1);
    Arrays.fill(first, -1);
  }

  /** The name read last. */
  String current() {
    return currentName;
  }

  /**
   * A known name whose bytes, then a closing quote, start at {@code from}: the index after that quote, and the
   * name becomes {@link #current}; or -1 (an unknown name, one with escapes, or bytes not yet fed).
   */
  int match(byte[] b, int from, int limit, boolean firstInObject, int depth) {
    int guess = firstInObject ? (depth < DEPTHS ? first[depth] : -1) : current < 0 ? -1 : next[current];
    int k = guess >= 0 && matches(guess, b, from, limit) ? guess : -1;
    for (int j = 0; k < 0 && j < size; j++) {
      if (matches(j, b, from, limit)) {
        k = j;
      }
    }
    if (k < 0) {
      return -1;
    }
    read(k, firstInObject, depth);
    return from + plain[k].length + 1;
  }

  private boolean matches(int k, byte[] b, int from, int limit) {
    byte[] name = plain[k];
    return name != null && from + name.length < limit && b[from + name.length] == '"' && same(name, b, from);
  }

  /** The name decoded as {@code c[0..len)} becomes {@link #current}: a known one, or a new one, kept if there is room. */
  void of(char[] c, int len, boolean firstInObject, int depth) {
    int k = -1;
    for (int j = 0; k < 0 && j < size; j++) {
      if (chars[j].length == len && same(chars[j], c)) {
        k = j;
      }
    }
    if (k < 0 && size < MAX) {
      String name = new String(c, 0, len).intern();
      k = size++;
      strings[k] = name;
      chars[k] = name.toCharArray();
      plain[k] = isPlain(c, len) ? name.getBytes(StandardCharsets.US_ASCII) : null;
    }
    if (k < 0) {
      current = -1;
      currentName = new String(c, 0, len);
      return;
    }
    read(k, firstInObject, depth);
  }

  /** Name {@code k} was read: it is current, and it is what comes next, there, as far as guesses go. */
  private void read(int k, boolean firstInObject, int depth) {
    if (firstInObject) {
      if (depth < DEPTHS) {
        first[depth] = k;
      }
    } else if (current >= 0) {
      next[current] = k;
    }
    current = k;
    currentName = strings[k];
  }

  /** Whether a name's bytes in a body are its chars: printable ASCII, so none was escaped. */
  private static boolean isPlain(char[] c, int len) {
    for (int i = 0; i < len; i++) {
      if (c[i] < 0x20 || c[i] > 0x7E || c[i] == '"' || c[i] == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean same(byte[] name, byte[] b, int from) {
    for (int i = 0; i < name.length; i++) {
      if (name[i] != b[from + i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(char[] name, char[] c) {
    for (int i = 0; i < name.length; i++) {
      if (name[i] != c[i]) {
        return false;
      }
    }
    return true;
  }
}
