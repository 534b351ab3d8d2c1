package dev.speedup.transforms.images;

/** PNG's Paeth filter (PNG specification, section 9.4) undone, one row at a time, in place. */
final class PngPaeth {
  private PngPaeth() {}

  /**
   * The Paeth filter, written as comparisons against one threshold, {@code 3c - (a + b)}, which picks what
   * the standard's three distances pick, ties included (the test checks every a, b and c): fewer operations
   * than the distances. Photos make the predictor's choice unpredictable, so no form has branches: under C2
   * (plain {@code java -jar}, Maven, Flink) each choice is a mask, as C2 makes branches of conditional
   * expressions; under C1 alone ({@code quick}, see {@link JitCompiler}) the choices are conditional
   * expressions, which C1 makes conditional moves of, in fewer instructions than the masks. For 3 and 4 bytes
   * a pixel (RGB, RGBA) the left and upper-left neighbours stay in locals: read back from the row just
   * written, each byte would wait on the store before it; and the predictor is written out per channel: the
   * launcher's C1 compiler does not inline a method of {@link #predict}'s size, and the call per byte was a
   * fifth of a PNG's decode.
   */
  static void paeth(byte[] row, byte[] prev, int bpp, int stride, boolean quick) {
    if (bpp == 3) {
      if (quick) {
        paeth3Selects(row, prev, stride);
      } else {
        paeth3(row, prev, stride);
      }
    } else if (bpp == 4) {
      if (quick) {
        paeth4Selects(row, prev, stride);
      } else {
        paeth4(row, prev, stride);
      }
    } else {
      for (int i = 1 + bpp; i <= stride; i++) {
        row[i] += (byte) predict(row[i - bpp] & 0xFF, prev[i] & 0xFF, prev[i - bpp] & 0xFF);
      }
    }
  }

  private static void paeth3(byte[] row, byte[] prev, int stride) {
    int a0 = row[1] & 0xFF;
    int a1 = row[2] & 0xFF;
    int a2 = row[3] & 0xFF;
    int c0 = prev[1] & 0xFF;
    int c1 = prev[2] & 0xFF;
    int c2 = prev[3] & 0xFF;
    for (int i = 4; i + 2 <= stride; i += 3) {
      int b0 = prev[i] & 0xFF;
      int t0 = c0 * 3 - (a0 + b0);
      int x0 = a0 ^ b0;
      int lo0 = b0 ^ (x0 & ((a0 - b0) >> 31));
      int hi0 = lo0 ^ x0;
      int loOrC0 = lo0 ^ ((lo0 ^ c0) & ((t0 - hi0) >> 31));
      a0 = (row[i] + (hi0 ^ ((hi0 ^ loOrC0) & ((lo0 - t0) >> 31)))) & 0xFF;
      row[i] = (byte) a0;
      c0 = b0;
      int b1 = prev[i + 1] & 0xFF;
      int t1 = c1 * 3 - (a1 + b1);
      int x1 = a1 ^ b1;
      int lo1 = b1 ^ (x1 & ((a1 - b1) >> 31));
      int hi1 = lo1 ^ x1;
      int loOrC1 = lo1 ^ ((lo1 ^ c1) & ((t1 - hi1) >> 31));
      a1 = (row[i + 1] + (hi1 ^ ((hi1 ^ loOrC1) & ((lo1 - t1) >> 31)))) & 0xFF;
      row[i + 1] = (byte) a1;
      c1 = b1;
      int b2 = prev[i + 2] & 0xFF;
      int t2 = c2 * 3 - (a2 + b2);
      int x2 = a2 ^ b2;
      int lo2 = b2 ^ (x2 & ((a2 - b2) >> 31));
      int hi2 = lo2 ^ x2;
      int loOrC2 = lo2 ^ ((lo2 ^ c2) & ((t2 - hi2) >> 31));
      a2 = (row[i + 2] + (hi2 ^ ((hi2 ^ loOrC2) & ((lo2 - t2) >> 31)))) & 0xFF;
      row[i + 2] = (byte) a2;
      c2 = b2;
    }
  }

  private static void paeth4(byte[] row, byte[] prev, int stride) {
    int a0 = row[1] & 0xFF;
    int a1 = row[2] & 0xFF;
    int a2 = row[3] & 0xFF;
    int a3 = row[4] & 0xFF;
    int c0 = prev[1] & 0xFF;
    int c1 = prev[2] & 0xFF;
    int c2 = prev[3] & 0xFF;
    int c3 = prev[4] & 0xFF;
    for (int i = 5; i + 3 <= stride; i += 4) {
      int b0 = prev[i] & 0xFF;
      int t0 = c0 * 3 - (a0 + b0);
      int x0 = a0 ^ b0;
      int lo0 = b0 ^ (x0 & ((a0 - b0) >> 31));
      int hi0 = lo0 ^ x0;
      int loOrC0 = lo0 ^ ((lo0 ^ c0) & ((t0 - hi0) >> 31));
      a0 = (row[i] + (hi0 ^ ((hi0 ^ loOrC0) & ((lo0 - t0) >> 31)))) & 0xFF;
      row[i] = (byte) a0;
      c0 = b0;
      int b1 = prev[i + 1] & 0xFF;
      int t1 = c1 * 3 - (a1 + b1);
      int x1 = a1 ^ b1;
      int lo1 = b1 ^ (x1 & ((a1 - b1) >> 31));
      int hi1 = lo1 ^ x1;
      int loOrC1 = lo1 ^ ((lo1 ^ c1) & ((t1 - hi1) >> 31));
      a1 = (row[i + 1] + (hi1 ^ ((hi1 ^ loOrC1) & ((lo1 - t1) >> 31)))) & 0xFF;
      row[i + 1] = (byte) a1;
      c1 = b1;
      int b2 = prev[i + 2] & 0xFF;
      int t2 = c2 * 3 - (a2 + b2);
      int x2 = a2 ^ b2;
      int lo2 = b2 ^ (x2 & ((a2 - b2) >> 31));
      int hi2 = lo2 ^ x2;
      int loOrC2 = lo2 ^ ((lo2 ^ c2) & ((t2 - hi2) >> 31));
      a2 = (row[i + 2] + (hi2 ^ ((hi2 ^ loOrC2) & ((lo2 - t2) >> 31)))) & 0xFF;
      row[i + 2] = (byte) a2;
      c2 = b2;
      int b3 = prev[i + 3] & 0xFF;
      int t3 = c3 * 3 - (a3 + b3);
      int x3 = a3 ^ b3;
      int lo3 = b3 ^ (x3 & ((a3 - b3) >> 31));
      int hi3 = lo3 ^ x3;
      int loOrC3 = lo3 ^ ((lo3 ^ c3) & ((t3 - hi3) >> 31));
      a3 = (row[i + 3] + (hi3 ^ ((hi3 ^ loOrC3) & ((lo3 - t3) >> 31)))) & 0xFF;
      row[i + 3] = (byte) a3;
      c3 = b3;
    }
  }

  /**
   * The neighbour the standard's distances pick, from the threshold {@code 3c - (a + b)}: the larger of a and
   * b when the threshold is at most the smaller, the smaller when it is at least the larger, else c.
   */
  static int predict(int a, int b, int c) {
    int threshold = c * 3 - (a + b);
    int differ = a ^ b;
    int lo = b ^ (differ & ((a - b) >> 31)); // min(a, b)
    int hi = lo ^ differ; // max(a, b)
    int loOrC = lo ^ ((lo ^ c) & ((threshold - hi) >> 31)); // lo when hi <= threshold, else c
    return hi ^ ((hi ^ loOrC) & ((lo - threshold) >> 31)); // hi when threshold <= lo, else loOrC
  }

  // The same predictor as selections (C1 makes a conditional move of each; for C2 they would be branches): the
  // larger of a and b when the threshold is at most the smaller, the smaller when it is at least the larger,
  // else c. Fewer instructions than the masks under C1.

  private static void paeth3Selects(byte[] row, byte[] prev, int stride) {
    int a0 = row[1] & 0xFF;
    int a1 = row[2] & 0xFF;
    int a2 = row[3] & 0xFF;
    int c0 = prev[1] & 0xFF;
    int c1 = prev[2] & 0xFF;
    int c2 = prev[3] & 0xFF;
    for (int i = 4; i + 2 <= stride; i += 3) {
      int b0 = prev[i] & 0xFF;
      int t0 = c0 * 3 - (a0 + b0);
      int lo0 = a0 < b0 ? a0 : b0;
      int hi0 = a0 < b0 ? b0 : a0;
      int p0 = t0 <= lo0 ? hi0 : c0;
      p0 = t0 >= hi0 ? lo0 : p0;
      a0 = (row[i] + p0) & 0xFF;
      row[i] = (byte) a0;
      c0 = b0;
      int b1 = prev[i + 1] & 0xFF;
      int t1 = c1 * 3 - (a1 + b1);
      int lo1 = a1 < b1 ? a1 : b1;
      int hi1 = a1 < b1 ? b1 : a1;
      int p1 = t1 <= lo1 ? hi1 : c1;
      p1 = t1 >= hi1 ? lo1 : p1;
      a1 = (row[i + 1] + p1) & 0xFF;
      row[i + 1] = (byte) a1;
      c1 = b1;
      int b2 = prev[i + 2] & 0xFF;
      int t2 = c2 * 3 - (a2 + b2);
      int lo2 = a2 < b2 ? a2 : b2;
      int hi2 = a2 < b2 ? b2 : a2;
      int p2 = t2 <= lo2 ? hi2 : c2;
      p2 = t2 >= hi2 ? lo2 : p2;
      a2 = (row[i + 2] + p2) & 0xFF;
      row[i + 2] = (byte) a2;
      c2 = b2;
    }
  }

  private static void paeth4Selects(byte[] row, byte[] prev, int stride) {
    int a0 = row[1] & 0xFF;
    int a1 = row[2] & 0xFF;
    int a2 = row[3] & 0xFF;
    int a3 = row[4] & 0xFF;
    int c0 = prev[1] & 0xFF;
    int c1 = prev[2] & 0xFF;
    int c2 = prev[3] & 0xFF;
    int c3 = prev[4] & 0xFF;
    for (int i = 5; i + 3 <= stride; i += 4) {
      int b0 = prev[i] & 0xFF;
      int t0 = c0 * 3 - (a0 + b0);
      int lo0 = a0 < b0 ? a0 : b0;
      int hi0 = a0 < b0 ? b0 : a0;
      int p0 = t0 <= lo0 ? hi0 : c0;
      p0 = t0 >= hi0 ? lo0 : p0;
      a0 = (row[i] + p0) & 0xFF;
      row[i] = (byte) a0;
      c0 = b0;
      int b1 = prev[i + 1] & 0xFF;
      int t1 = c1 * 3 - (a1 + b1);
      int lo1 = a1 < b1 ? a1 : b1;
      int hi1 = a1 < b1 ? b1 : a1;
      int p1 = t1 <= lo1 ? hi1 : c1;
      p1 = t1 >= hi1 ? lo1 : p1;
      a1 = (row[i + 1] + p1) & 0xFF;
      row[i + 1] = (byte) a1;
      c1 = b1;
      int b2 = prev[i + 2] & 0xFF;
      int t2 = c2 * 3 - (a2 + b2);
      int lo2 = a2 < b2 ? a2 : b2;
      int hi2 = a2 < b2 ? b2 : a2;
      int p2 = t2 <= lo2 ? hi2 : c2;
      p2 = t2 >= hi2 ? lo2 : p2;
      a2 = (row[i + 2] + p2) & 0xFF;
      row[i + 2] = (byte) a2;
      c2 = b2;
      int b3 = prev[i + 3] & 0xFF;
      int t3 = c3 * 3 - (a3 + b3);
      int lo3 = a3 < b3 ? a3 : b3;
      int hi3 = a3 < b3 ? b3 : a3;
      int p3 = t3 <= lo3 ? hi3 : c3;
      p3 = t3 >= hi3 ? lo3 : p3;
      a3 = (row[i + 3] + p3) & 0xFF;
      row[i + 3] = (byte) a3;
      c3 = b3;
    }
  }
}
