package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/** PNG's five row filters undone (PNG specification, section 9), one row at a time, in place. */
final class PngFilters {
  private PngFilters() {}

  /** Undoes the row's filter in place (byte 0 names it), given the previous row, already unfiltered. */
  static void unfilter(byte[] row, byte[] prev, int bpp, int stride) throws CorruptException {
    int filter = row[0];
    switch (filter) {
      case 0 -> {}
      case 1 -> {
        for (int i = 1 + bpp; i <= stride; i++) {
          row[i] += row[i - bpp];
        }
      }
      case 2 -> {
        for (int i = 1; i <= stride; i++) {
          row[i] += prev[i];
        }
      }
      case 3 -> {
        for (int i = 1; i <= bpp; i++) {
          row[i] += (prev[i] & 0xFF) >>> 1;
        }
        for (int i = 1 + bpp; i <= stride; i++) {
          row[i] += ((row[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1;
        }
      }
      case 4 -> {
        for (int i = 1; i <= bpp; i++) {
          row[i] += prev[i]; // no left neighbour: Paeth picks the one above
        }
        paeth(row, prev, bpp, stride);
      }
      default -> throw new CorruptException("a PNG row has an unknown filter type " + filter);
    }
  }

  /**
   * The Paeth filter without branches (photos make the predictor's choice unpredictable): the masks pick a,
   * b or c as the standard's comparisons do, ties to a, then b. For 3 and 4 bytes a pixel (RGB, RGBA) the
   * left and upper-left neighbours stay in locals: read back from the row just written, each byte would
   * wait on the store before it. There {@link #predict} is written out per channel: the launcher's C1
   * compiler does not inline a method of its size, and the call per byte was a fifth of a PNG's decode.
   */
  private static void paeth(byte[] row, byte[] prev, int bpp, int stride) {
    if (bpp == 3) {
      paeth3(row, prev, stride);
    } else if (bpp == 4) {
      paeth4(row, prev, stride);
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
      int db0 = b0 - c0;
      int da0 = a0 - c0;
      int dc0 = da0 + db0;
      int pa0 = (db0 ^ (db0 >> 31)) - (db0 >> 31);
      int pb0 = (da0 ^ (da0 >> 31)) - (da0 >> 31);
      int pc0 = (dc0 ^ (dc0 >> 31)) - (dc0 >> 31);
      int notB0 = (pc0 - pb0) >> 31;
      int notA0 = ((pb0 - pa0) | (pc0 - pa0)) >> 31;
      a0 = (row[i] + (a0 ^ ((a0 ^ (b0 ^ ((b0 ^ c0) & notB0))) & notA0))) & 0xFF;
      row[i] = (byte) a0;
      c0 = b0;
      int b1 = prev[i + 1] & 0xFF;
      int db1 = b1 - c1;
      int da1 = a1 - c1;
      int dc1 = da1 + db1;
      int pa1 = (db1 ^ (db1 >> 31)) - (db1 >> 31);
      int pb1 = (da1 ^ (da1 >> 31)) - (da1 >> 31);
      int pc1 = (dc1 ^ (dc1 >> 31)) - (dc1 >> 31);
      int notB1 = (pc1 - pb1) >> 31;
      int notA1 = ((pb1 - pa1) | (pc1 - pa1)) >> 31;
      a1 = (row[i + 1] + (a1 ^ ((a1 ^ (b1 ^ ((b1 ^ c1) & notB1))) & notA1))) & 0xFF;
      row[i + 1] = (byte) a1;
      c1 = b1;
      int b2 = prev[i + 2] & 0xFF;
      int db2 = b2 - c2;
      int da2 = a2 - c2;
      int dc2 = da2 + db2;
      int pa2 = (db2 ^ (db2 >> 31)) - (db2 >> 31);
      int pb2 = (da2 ^ (da2 >> 31)) - (da2 >> 31);
      int pc2 = (dc2 ^ (dc2 >> 31)) - (dc2 >> 31);
      int notB2 = (pc2 - pb2) >> 31;
      int notA2 = ((pb2 - pa2) | (pc2 - pa2)) >> 31;
      a2 = (row[i + 2] + (a2 ^ ((a2 ^ (b2 ^ ((b2 ^ c2) & notB2))) & notA2))) & 0xFF;
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
      int db0 = b0 - c0;
      int da0 = a0 - c0;
      int dc0 = da0 + db0;
      int pa0 = (db0 ^ (db0 >> 31)) - (db0 >> 31);
      int pb0 = (da0 ^ (da0 >> 31)) - (da0 >> 31);
      int pc0 = (dc0 ^ (dc0 >> 31)) - (dc0 >> 31);
      int notB0 = (pc0 - pb0) >> 31;
      int notA0 = ((pb0 - pa0) | (pc0 - pa0)) >> 31;
      a0 = (row[i] + (a0 ^ ((a0 ^ (b0 ^ ((b0 ^ c0) & notB0))) & notA0))) & 0xFF;
      row[i] = (byte) a0;
      c0 = b0;
      int b1 = prev[i + 1] & 0xFF;
      int db1 = b1 - c1;
      int da1 = a1 - c1;
      int dc1 = da1 + db1;
      int pa1 = (db1 ^ (db1 >> 31)) - (db1 >> 31);
      int pb1 = (da1 ^ (da1 >> 31)) - (da1 >> 31);
      int pc1 = (dc1 ^ (dc1 >> 31)) - (dc1 >> 31);
      int notB1 = (pc1 - pb1) >> 31;
      int notA1 = ((pb1 - pa1) | (pc1 - pa1)) >> 31;
      a1 = (row[i + 1] + (a1 ^ ((a1 ^ (b1 ^ ((b1 ^ c1) & notB1))) & notA1))) & 0xFF;
      row[i + 1] = (byte) a1;
      c1 = b1;
      int b2 = prev[i + 2] & 0xFF;
      int db2 = b2 - c2;
      int da2 = a2 - c2;
      int dc2 = da2 + db2;
      int pa2 = (db2 ^ (db2 >> 31)) - (db2 >> 31);
      int pb2 = (da2 ^ (da2 >> 31)) - (da2 >> 31);
      int pc2 = (dc2 ^ (dc2 >> 31)) - (dc2 >> 31);
      int notB2 = (pc2 - pb2) >> 31;
      int notA2 = ((pb2 - pa2) | (pc2 - pa2)) >> 31;
      a2 = (row[i + 2] + (a2 ^ ((a2 ^ (b2 ^ ((b2 ^ c2) & notB2))) & notA2))) & 0xFF;
      row[i + 2] = (byte) a2;
      c2 = b2;
      int b3 = prev[i + 3] & 0xFF;
      int db3 = b3 - c3;
      int da3 = a3 - c3;
      int dc3 = da3 + db3;
      int pa3 = (db3 ^ (db3 >> 31)) - (db3 >> 31);
      int pb3 = (da3 ^ (da3 >> 31)) - (da3 >> 31);
      int pc3 = (dc3 ^ (dc3 >> 31)) - (dc3 >> 31);
      int notB3 = (pc3 - pb3) >> 31;
      int notA3 = ((pb3 - pa3) | (pc3 - pa3)) >> 31;
      a3 = (row[i + 3] + (a3 ^ ((a3 ^ (b3 ^ ((b3 ^ c3) & notB3))) & notA3))) & 0xFF;
      row[i + 3] = (byte) a3;
      c3 = b3;
    }
  }

  private static int predict(int a, int b, int c) {
    int db = b - c;
    int da = a - c;
    int dc = da + db;
    int pa = (db ^ (db >> 31)) - (db >> 31);
    int pb = (da ^ (da >> 31)) - (da >> 31);
    int pc = (dc ^ (dc >> 31)) - (dc >> 31);
    int notA = ((pb - pa) | (pc - pa)) >> 31; // -1 unless pa <= pb and pa <= pc
    int notB = (pc - pb) >> 31; // -1 unless pb <= pc
    int bOrC = b ^ ((b ^ c) & notB);
    return a ^ ((a ^ bOrC) & notA);
  }
}
