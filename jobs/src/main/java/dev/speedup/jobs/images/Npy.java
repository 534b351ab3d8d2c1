package dev.speedup.jobs.images;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** NumPy's {@code .npy} format (version 1.0) for a C-ordered uint8 array, as {@code numpy.load} reads it. */
public final class Npy {
  private Npy() {}

  /** The header for a {@code |u1} array of the given shape, padded so the data starts 64-byte aligned. */
  public static byte[] header(int... shape) {
    String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
    String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = 10 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    StringBuilder text = new StringBuilder(dict);
    while (10 + text.length() + 1 < total) {
      text.append(' ');
    }
    text.append('\n');
    byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[10 + body.length];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (body.length & 0xFF);
    out[9] = (byte) (body.length >> 8);
    System.arraycopy(body, 0, out, 10, body.length);
    return out;
  }
}
