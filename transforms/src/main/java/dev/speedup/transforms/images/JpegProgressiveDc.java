package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegFrame.Component;
import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/** The 1/8 reduction of a progressive JPEG, for {@link JpegReducedReader}: its DC scans alone. */
final class JpegProgressiveDc {
  private JpegProgressiveDc() {}

  /**
   * A progressive JPEG's block means from its DC scans: the first DC scan of each component gives the
   * coefficients' high bits, each refinement scan one more low bit; the AC scans are passed over to the
   * next marker unread. Null if a wanted component has no DC scan (the full decoder then says what is
   * wrong).
   */
  static float[][] grids(byte[] d, JpegFrame f, int mcusX, int mcusY, int wanted) throws CorruptException {
    int n = f.components.length;
    int[][] coefficients = new int[n][];
    int[] gridW = new int[n];
    boolean[] seen = new boolean[n];
    java.util.List<Component> all = java.util.Arrays.asList(f.components);
    for (int c = 0; c < n; c++) {
      gridW[c] = mcusX * f.components[c].h;
      coefficients[c] = new int[gridW[c] * mcusY * f.components[c].v];
    }
    JpegFrame.Scan scan = f.scan;
    int scans = 0;
    while (scan != null) {
      if (++scans > 1000) {
        throw new CorruptException("more than 1000 scans");
      }
      int next;
      if (scan.spectralStart() == 0) {
        JpegEntropy bits = JpegEntropy.of(d, scan.dataStart(), f.restartInterval > 0);
        dcScan(f, scan, bits, mcusX, mcusY, coefficients, gridW, all);
        for (Component c : scan.components()) {
          seen[all.indexOf(c)] |= scan.approxHigh() == 0;
        }
        next = bits.endInFile;
      } else {
        next = endOfEntropyData(d, scan.dataStart());
      }
      scan = f.nextScan(d, next);
    }
    if (!f.endOfImage) {
      throw new CorruptException("the JPEG data ends early (truncated file)");
    }
    float[][] grids = new float[wanted][];
    for (int c = 0; c < wanted; c++) {
      if (!seen[c] || f.quant[f.components[c].tq] == null) {
        return null;
      }
      float dcScale = f.quant[f.components[c].tq][0] / 8f;
      int[] coefficient = coefficients[c];
      float[] grid = new float[coefficient.length];
      for (int i = 0; i < grid.length; i++) {
        grid[i] = coefficient[i] * dcScale + 128f;
      }
      grids[c] = grid;
    }
    return grids;
  }

  /** One DC scan of a progressive JPEG: first pass (Ah = 0) or one refinement bit (Ah > 0). */
  private static void dcScan(JpegFrame f, JpegFrame.Scan scan, JpegEntropy bits, int mcusX, int mcusY, int[][] coefficients,
      int[] gridW, java.util.List<Component> all) throws CorruptException {
    Component[] comps = scan.components();
    boolean first = scan.approxHigh() == 0;
    int al = scan.approxLow();
    if (al > 13) {
      throw new CorruptException("bad successive approximation in a scan header");
    }
    for (Component c : comps) {
      if (first && f.dc[c.dcTable] == null) {
        throw new CorruptException("the scan uses a table the file does not define");
      }
      c.pred = 0;
    }
    int[] indices = new int[comps.length];
    for (int s = 0; s < comps.length; s++) {
      indices[s] = all.indexOf(comps[s]);
    }
    boolean single = comps.length == 1;
    int unitsX = single ? f.blocksX(comps[0]) : mcusX;
    int unitsY = single ? f.blocksY(comps[0]) : mcusY;
    for (int my = 0; my < unitsY; my++) {
      for (int mx = 0; mx < unitsX; mx++) {
        if (bits.restartBeforeMcu(f.restartInterval)) {
          for (Component c : comps) {
            c.pred = 0;
          }
        }
        for (int s = 0; s < comps.length; s++) {
          Component c = comps[s];
          int index = indices[s];
          int bh = single ? 1 : c.h;
          int bv = single ? 1 : c.v;
          for (int by = 0; by < bv; by++) {
            for (int bx = 0; bx < bh; bx++) {
              bits.fill();
              int at = (single ? my : my * c.v + by) * gridW[index] + (single ? mx : mx * c.h + bx);
              if (first) {
                int size = bits.decode(f.dc[c.dcTable]);
                if (size > 11) {
                  throw new CorruptException("bad DC difference in the image data");
                }
                c.pred += size == 0 ? 0 : JpegReducedReader.extend(bits.take(size), size);
                coefficients[index][at] = c.pred * (1 << al);
              } else if (bits.take(1) != 0) {
                coefficients[index][at] |= 1 << al;
              }
              if (bits.pastLimit(bits.pos)) {
                throw new CorruptException("the JPEG data ends early (truncated file)");
              }
            }
          }
        }
        if (bits.overrun()) {
          throw new CorruptException("the JPEG data ends early (truncated file)");
        }
      }
    }
  }

  /** The offset of the marker that ends entropy-coded data starting at {@code from} (restart markers are part of it). */
  private static int endOfEntropyData(byte[] d, int from) {
    for (int i = from; i + 1 < d.length; i++) {
      if (d[i] == (byte) 0xFF) {
        int m = d[i + 1] & 0xFF;
        if (m != 0 && m != 0xFF && (m < 0xD0 || m > 0xD7)) {
          return i;
        }
      }
    }
    return d.length;
  }
}
