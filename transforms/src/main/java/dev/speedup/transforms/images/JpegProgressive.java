package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegFrame.Component;
import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * The reduction of a progressive JPEG, for {@link JpegReducedReader}: at 1/8 from its DC scans alone, at 1/4
 * and 1/2 from its DC scans and the AC scans' coefficients ({@link JpegProgressiveAc}).
 */
final class JpegProgressive {
  private JpegProgressive() {}

  /**
   * A progressive JPEG's cells ({@code perBlock x perBlock} a block) from its scans: the first DC scan of each
   * component gives the coefficients' high bits, each refinement scan one more low bit; at 1/8 the AC scans
   * are passed over to the next marker unread, at 1/4 and 1/2 they are decoded too (those of wanted components).
   * Null if a wanted component has no DC scan (the full decoder then says what is wrong). A scan passed over
   * unread is not checked for damage: its data does not reach the output. Every scan must be there (the file
   * must reach its end-of-image marker).
   */
  static float[][] grids(byte[] d, JpegFrame f, int perBlock, int mcusX, int mcusY, int wanted) throws CorruptException {
    int n = f.components.length;
    int[][] coefficients = new int[n][];
    short[][] ac = new short[n][];
    int[] gridW = new int[n];
    boolean[] seen = new boolean[n];
    java.util.List<Component> all = java.util.Arrays.asList(f.components);
    for (int c = 0; c < n; c++) {
      gridW[c] = mcusX * f.components[c].h;
      coefficients[c] = new int[gridW[c] * mcusY * f.components[c].v];
      if (perBlock > 1 && c < wanted) {
        ac[c] = new short[64 * coefficients[c].length];
      }
    }
    JpegFrame.Scan scan = f.scan;
    while (scan != null) {
      int next;
      if (scan.spectralStart() == 0) {
        JpegEntropy bits = JpegEntropy.of(d, scan.dataStart(), f.restartInterval > 0);
        dcScan(f, scan, bits, mcusX, mcusY, coefficients, gridW, all);
        for (Component c : scan.components()) {
          seen[all.indexOf(c)] |= scan.approxHigh() == 0;
        }
        next = bits.endInFile;
      } else if (ac[all.indexOf(scan.components()[0])] != null) {
        int c = all.indexOf(scan.components()[0]);
        JpegEntropy bits = JpegEntropy.of(d, scan.dataStart(), f.restartInterval > 0);
        JpegProgressiveAc.scan(f, scan, bits, ac[c], gridW[c]);
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
      if (!seen[c] || f.tables.quant[f.components[c].tq] == null) {
        return null;
      }
      int[] quant = f.tables.quant[f.components[c].tq];
      grids[c] = perBlock == 1 ? blockMeans(coefficients[c], quant)
          : perBlock == 2 ? quadrantMeans(coefficients[c], ac[c], gridW[c], quant)
          : sixteenthMeans(coefficients[c], ac[c], gridW[c], quant);
    }
    return grids;
  }

  /** Each block's mean, from its DC coefficient. */
  private static float[] blockMeans(int[] dc, int[] quant) {
    float dcScale = quant[0] / 8f;
    float[] grid = new float[dc.length];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = dc[i] * dcScale + 128f;
    }
    return grid;
  }

  /** The means of each block's sixteen 2x2 cells, in a grid of four times the blocks along each side. */
  private static float[] sixteenthMeans(int[] dc, short[] ac, int blocksW, int[] quant) {
    float dcScale = quant[0] / 8f;
    float[] weights = JpegCellWeights.sixteenths(quant);
    int gridW = 4 * blocksW;
    float[] grid = new float[16 * dc.length];
    float[] cells = new float[16];
    for (int b = 0; b < dc.length; b++) {
      java.util.Arrays.fill(cells, 0f);
      for (int k = 1; k < 64; k++) {
        float coefficient = ac[64 * b + k];
        if (coefficient != 0f) { // as the sequential reader sums them, so that both give the same floats
          for (int cell = 0; cell < 16; cell++) {
            cells[cell] += coefficient * weights[16 * k + cell];
          }
        }
      }
      float mean = dc[b] * dcScale + 128f;
      int at = (b / blocksW) * 4 * gridW + (b % blocksW) * 4;
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          grid[at + i * gridW + j] = mean + cells[4 * i + j];
        }
      }
    }
    return grid;
  }

  /** The means of each block's four 4x4 quadrants, in a grid of twice the blocks along each side. */
  private static float[] quadrantMeans(int[] dc, short[] ac, int blocksW, int[] quant) {
    float dcScale = quant[0] / 8f;
    float[] weights = JpegCellWeights.quadrants(quant);
    int[] used = new int[64];
    int uses = 0;
    for (int k = 1; k < 64; k++) {
      if (weights[4 * k] != 0f) {
        used[uses++] = k;
      }
    }
    int gridW = 2 * blocksW;
    float[] grid = new float[4 * dc.length];
    for (int b = 0; b < dc.length; b++) {
      // Summed in the order the sequential reader sums them, so that both give the same floats.
      float q0 = 0;
      float q1 = 0;
      float q2 = 0;
      float q3 = 0;
      for (int u = 0; u < uses; u++) {
        int k = used[u];
        float coefficient = ac[64 * b + k];
        q0 += coefficient * weights[4 * k];
        q1 += coefficient * weights[4 * k + 1];
        q2 += coefficient * weights[4 * k + 2];
        q3 += coefficient * weights[4 * k + 3];
      }
      float mean = dc[b] * dcScale + 128f;
      int at = (b / blocksW) * 2 * gridW + (b % blocksW) * 2;
      grid[at] = mean + q0;
      grid[at + 1] = mean + q1;
      grid[at + gridW] = mean + q2;
      grid[at + gridW + 1] = mean + q3;
    }
    return grid;
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
      if (first && f.tables.dc[c.dcTable] == null) {
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
                int size = bits.decode(f.tables.dc[c.dcTable]);
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
    bits.checkSegmentEnd();
  }

  /**
   * Reads the headers of every scan after the first, unread, which checks their progression
   * ({@link JpegProgression}): for a file going to a full decoder, which decodes (and the JDK's outputs) every
   * scan it is given.
   */
  static void checkScans(byte[] d, JpegFrame f) throws CorruptException {
    JpegFrame.Scan scan = f.scan;
    while (scan != null) {
      scan = f.nextScan(d, endOfEntropyData(d, scan.dataStart())); // checked as it is read
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
