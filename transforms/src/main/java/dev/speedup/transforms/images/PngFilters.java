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
   * wait on the store before it.
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
      int b1 = prev[i + 1] & 0xFF;
      int b2 = prev[i + 2] & 0xFF;
      a0 = (row[i] + predict(a0, b0, c0)) & 0xFF;
      a1 = (row[i + 1] + predict(a1, b1, c1)) & 0xFF;
      a2 = (row[i + 2] + predict(a2, b2, c2)) & 0xFF;
      row[i] = (byte) a0;
      row[i + 1] = (byte) a1;
      row[i + 2] = (byte) a2;
      c0 = b0;
      c1 = b1;
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
      int b1 = prev[i + 1] & 0xFF;
      int b2 = prev[i + 2] & 0xFF;
      int b3 = prev[i + 3] & 0xFF;
      a0 = (row[i] + predict(a0, b0, c0)) & 0xFF;
      a1 = (row[i + 1] + predict(a1, b1, c1)) & 0xFF;
      a2 = (row[i + 2] + predict(a2, b2, c2)) & 0xFF;
      a3 = (row[i + 3] + predict(a3, b3, c3)) & 0xFF;
      row[i] = (byte) a0;
      row[i + 1] = (byte) a1;
      row[i + 2] = (byte) a2;
      row[i + 3] = (byte) a3;
      c0 = b0;
      c1 = b1;
      c2 = b2;
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
