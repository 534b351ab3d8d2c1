package dev.speedup.transforms.airtemp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A fixed run of bytes looked for at a place in a buffer, compared eight bytes at a time (the last word may
 * overlap the one before): under the launcher's C1, which keeps a bounds check in every byte compare, a
 * word load and one compare per eight bytes is what keeps {@link CompactPair}'s pass short.
 */
final class BytePattern {
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] bytes;
  /** The pattern's words and their offsets; none if it is shorter than a word. */
  private final long[] words;
  private final int[] offsets;

  BytePattern(String ascii) {
    this.bytes = ascii.getBytes(StandardCharsets.US_ASCII);
    int n = bytes.length < 8 ? 0 : (bytes.length + 7) / 8;
    this.words = new long[n];
    this.offsets = new int[n];
    for (int k = 0; k < n; k++) {
      offsets[k] = Math.min(8 * k, bytes.length - 8);
      words[k] = (long) WORDS.get(bytes, offsets[k]);
    }
  }

  int length() {
    return bytes.length;
  }

  /** Whether the pattern is at {@code b[i..i + length())}, which the caller knows to be in the array. */
  boolean at(byte[] b, int i) {
    if (words.length == 0) {
      for (int k = 0; k < bytes.length; k++) {
        if (b[i + k] != bytes[k]) {
          return false;
        }
      }
      return true;
    }
    for (int k = 0; k < words.length; k++) {
      if ((long) WORDS.get(b, i + offsets[k]) != words[k]) {
        return false;
      }
    }
    return true;
  }
}
