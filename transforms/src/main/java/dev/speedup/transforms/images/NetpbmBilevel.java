package dev.speedup.transforms.images;

import java.nio.charset.StandardCharsets;

/**
 * A PGM whose maxval is 1 (valid Netpbm: {@code pamdepth 1} writes them) is refused by TwelveMonkeys' reader,
 * which takes gray maxvals from 2. It is the same picture as a binary PGM of maxval 255 with each sample 0 or
 * 255, which is what it is read as; a plain (text) one too.
 */
final class NetpbmBilevel {
  private NetpbmBilevel() {}

  /** {@code data} itself, or, for a PGM of maxval 1, the same picture as a binary PGM of maxval 255. */
  static byte[] readable(byte[] data) {
    if (data.length < 3 || data[0] != 'P' || data[1] != '5' && data[1] != '2') {
      return data;
    }
    boolean plain = data[1] == '2';
    int[] at = {2};
    long width = number(data, at);
    long height = number(data, at);
    long maxval = number(data, at);
    // One whitespace byte ends the header; then width x height one-byte samples.
    if (maxval != 1 || width <= 0 || height <= 0 || at[0] >= data.length || !space(data[at[0]])) {
      return data;
    }
    int from = at[0] + 1;
    // At most one sample a byte either way (text takes two a sample at least): a short file stays short, and
    // the reader says so.
    long samples = Math.min(width * height, data.length - from);
    byte[] header = ("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    byte[] widened = new byte[header.length + (int) samples];
    System.arraycopy(header, 0, widened, 0, header.length);
    int n = header.length;
    if (plain) {
      at[0] = from;
      for (long v; n < widened.length && (v = number(data, at)) >= 0; ) {
        widened[n++] = v == 0 ? 0 : (byte) 255;
      }
      return n == widened.length ? widened : java.util.Arrays.copyOf(widened, n);
    }
    for (int i = 0; i < samples; i++) {
      widened[n++] = data[from + i] == 0 ? 0 : (byte) 255;
    }
    return widened;
  }

  /** The next header number after whitespace and comments, or -1; {@code at[0]} moves past it. */
  private static long number(byte[] d, int[] at) {
    int i = at[0];
    while (i < d.length && (space(d[i]) || d[i] == '#')) {
      if (d[i] == '#') {
        while (i < d.length && d[i] != '\n' && d[i] != '\r') {
          i++;
        }
      } else {
        i++;
      }
    }
    long n = -1;
    while (i < d.length && d[i] >= '0' && d[i] <= '9' && n < Integer.MAX_VALUE) {
      n = (n < 0 ? 0 : n * 10) + (d[i] - '0');
      i++;
    }
    at[0] = i;
    return n;
  }

  private static boolean space(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == 0x0C;
  }
}
