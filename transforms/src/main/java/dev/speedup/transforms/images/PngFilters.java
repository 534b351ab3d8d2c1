package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** PNG's five row filters undone (PNG specification, section 9), one row at a time, in place. */
final class PngFilters {
  private PngFilters() {}

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Undoes the row's filter in place (byte 0 names it), given the previous row, already unfiltered. */
  static void unfilter(byte[] row, byte[] prev, int bpp, int stride) throws CorruptException {
    unfilter(row, prev, bpp, stride, JitCompiler.QUICK_ONLY);
  }

  /** The same, in the loops' forms for C1 ({@code quick}) or for C2 ({@link JitCompiler}); the same bytes. */
  static void unfilter(byte[] row, byte[] prev, int bpp, int stride, boolean quick) throws CorruptException {
    int filter = row[0];
    switch (filter) {
      case 0 -> {}
      case 1 -> {
        if (bpp == 3) {
          sub3(row, stride);
        } else if (bpp == 4) {
          sub4(row, stride);
        } else {
          for (int i = 1 + bpp; i <= stride; i++) {
            row[i] += row[i - bpp];
          }
        }
      }
      case 2 -> {
        if (quick) {
          upInWords(row, prev, stride);
        } else {
          for (int i = 1; i <= stride; i++) {
            row[i] += prev[i]; // C2 vectorises this
          }
        }
      }
      case 3 -> {
        for (int i = 1; i <= bpp; i++) {
          row[i] += (prev[i] & 0xFF) >>> 1;
        }
        if (bpp == 3) {
          average3(row, prev, stride);
        } else if (bpp == 4) {
          average4(row, prev, stride);
        } else {
          for (int i = 1 + bpp; i <= stride; i++) {
            row[i] += ((row[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1;
          }
        }
      }
      case 4 -> {
        for (int i = 1; i <= bpp; i++) {
          row[i] += prev[i]; // no left neighbour: Paeth picks the one above
        }
        PngPaeth.paeth(row, prev, bpp, stride, quick);
      }
      default -> throw new CorruptException("a PNG row has an unknown filter type " + filter);
    }
  }

  /**
   * Up, eight bytes at a time (a word's bytes added without carries from one into the next): C1 compiles
   * the plain loop a byte at a time, with a bounds check each.
   */
  private static void upInWords(byte[] row, byte[] prev, int stride) {
    int i = 1;
    for (; i + 7 <= stride; i += 8) {
      long x = (long) LONGS.get(row, i);
      long y = (long) LONGS.get(prev, i);
      LONGS.set(row, i, ((x & 0x7F7F7F7F7F7F7F7FL) + (y & 0x7F7F7F7F7F7F7F7FL)) ^ ((x ^ y) & 0x8080808080808080L));
    }
    for (; i <= stride; i++) {
      row[i] += prev[i];
    }
  }

  // Sub and Average for RGB and RGBA keep each channel's left neighbour in a local, as PngPaeth's loops do:
  // read back from the row just written, every byte waits on the store before it.

  private static void sub3(byte[] row, int stride) {
    int a0 = row[1];
    int a1 = row[2];
    int a2 = row[3];
    for (int i = 4; i + 2 <= stride; i += 3) {
      a0 += row[i];
      row[i] = (byte) a0;
      a1 += row[i + 1];
      row[i + 1] = (byte) a1;
      a2 += row[i + 2];
      row[i + 2] = (byte) a2;
    }
  }

  private static void sub4(byte[] row, int stride) {
    int a0 = row[1];
    int a1 = row[2];
    int a2 = row[3];
    int a3 = row[4];
    for (int i = 5; i + 3 <= stride; i += 4) {
      a0 += row[i];
      row[i] = (byte) a0;
      a1 += row[i + 1];
      row[i + 1] = (byte) a1;
      a2 += row[i + 2];
      row[i + 2] = (byte) a2;
      a3 += row[i + 3];
      row[i + 3] = (byte) a3;
    }
  }

  private static void average3(byte[] row, byte[] prev, int stride) {
    int a0 = row[1] & 0xFF;
    int a1 = row[2] & 0xFF;
    int a2 = row[3] & 0xFF;
    for (int i = 4; i + 2 <= stride; i += 3) {
      a0 = (row[i] + ((a0 + (prev[i] & 0xFF)) >>> 1)) & 0xFF;
      row[i] = (byte) a0;
      a1 = (row[i + 1] + ((a1 + (prev[i + 1] & 0xFF)) >>> 1)) & 0xFF;
      row[i + 1] = (byte) a1;
      a2 = (row[i + 2] + ((a2 + (prev[i + 2] & 0xFF)) >>> 1)) & 0xFF;
      row[i + 2] = (byte) a2;
    }
  }

  private static void average4(byte[] row, byte[] prev, int stride) {
    int a0 = row[1] & 0xFF;
    int a1 = row[2] & 0xFF;
    int a2 = row[3] & 0xFF;
    int a3 = row[4] & 0xFF;
    for (int i = 5; i + 3 <= stride; i += 4) {
      a0 = (row[i] + ((a0 + (prev[i] & 0xFF)) >>> 1)) & 0xFF;
      row[i] = (byte) a0;
      a1 = (row[i + 1] + ((a1 + (prev[i + 1] & 0xFF)) >>> 1)) & 0xFF;
      row[i + 1] = (byte) a1;
      a2 = (row[i + 2] + ((a2 + (prev[i + 2] & 0xFF)) >>> 1)) & 0xFF;
      row[i + 2] = (byte) a2;
      a3 = (row[i + 3] + ((a3 + (prev[i + 3] & 0xFF)) >>> 1)) & 0xFF;
      row[i + 3] = (byte) a3;
    }
  }
}
