package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegFrame.Component;
import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * Sequential Huffman JPEGs (SOF0, SOF1) reduced on load: one pass over the entropy-coded data of the frame's
 * one scan, each block's coefficients folded into its means as they are decoded ({@link JpegReducedReader}
 * says which means, and what it does with them).
 */
final class JpegSequential {
  private JpegSequential() {}

  /**
   * The block means of one interleaved scan (or of a one-component image's single scan) into {@code grids}:
   * per wanted component, {@code perBlock x perBlock} cells a block, rows of {@code mcusX * h * perBlock}.
   */
  static void grids(byte[] d, JpegFrame f, int perBlock, int mcusX, int mcusY, float[][] grids) throws CorruptException {
    Component[] comps = f.scan.components();
    for (Component c : comps) {
      if (f.tables.dc[c.dcTable] == null || f.tables.ac[c.acTable] == null || f.tables.quant[c.tq] == null) {
        throw new CorruptException("the scan uses a table the file does not define");
      }
    }
    boolean single = comps.length == 1;
    if (single) {
      // A one-component scan is not interleaved: its MCU is one block of that component.
      Component c = comps[0];
      mcusX = f.blocksX(c);
      mcusY = f.blocksY(c);
    }
    int n = comps.length;
    float[][] target = new float[n][];
    int[] gridW = new int[n];
    float[] dcScale = new float[n];
    float[][] weights = new float[n][];
    float[][] sixteenths = new float[n][];
    int[][] skips = new int[n][];
    for (int s = 0; s < n; s++) {
      Component c = comps[s];
      int index = java.util.Arrays.asList(f.components).indexOf(c);
      target[s] = index < grids.length ? grids[index] : null;
      gridW[s] = (single ? mcusX : mcusX * c.h) * perBlock;
      dcScale[s] = f.tables.quant[c.tq][0] / 8f;
      weights[s] = target[s] != null && perBlock == 2 ? JpegCellWeights.quadrants(f.tables.quant[c.tq]) : null;
      sixteenths[s] = target[s] != null && perBlock == 4 ? JpegCellWeights.sixteenths(f.tables.quant[c.tq]) : null;
      skips[s] = weights[s] == null && sixteenths[s] == null ? JpegHuffman.skipTable(f.tables.ac[c.acTable]) : null;
      c.pred = 0;
    }
    JpegEntropy bits = JpegEntropy.of(d, f.scan.dataStart(), f.restartInterval > 0);
    byte[] data = bits.bytes;
    float[] cells = new float[16]; // a block's sixteen 2x2 cells at 1/2
    for (int my = 0; my < mcusY; my++) {
      for (int mx = 0; mx < mcusX; mx++) {
        if (bits.restartBeforeMcu(f.restartInterval)) {
          for (Component c : comps) {
            c.pred = 0;
          }
        }
        for (int s = 0; s < n; s++) {
          Component c = comps[s];
          int bh = single ? 1 : c.h;
          int bv = single ? 1 : c.v;
          JpegHuffman dcTable = f.tables.dc[c.dcTable];
          JpegHuffman acTable = f.tables.ac[c.acTable];
          int[] dcFast = dcTable.fast;
          int[] acSteps = acTable.acSteps;
          float[] w = weights[s];
          float[] w16 = sixteenths[s];
          int[] skip = skips[s];
          float[] grid = target[s];
          for (int by = 0; by < bv; by++) {
            for (int bx = 0; bx < bh; bx++) {
              // The bit reader lives in locals here: this loop is most of the work, and short runs use the
              // quick (C1) compiler, which keeps fields in memory. 32 bits are loaded whenever fewer are left
              // (a symbol takes at most 27).
              long acc = bits.acc;
              int count = bits.count;
              int pos = bits.pos;
              if (count < 32) {
                acc = (acc << 32) | ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
                pos += 4;
                count += 32;
              }
              int e = dcFast[(int) (acc >>> (count - 9)) & 511];
              int size;
              if (e != 0) {
                count -= e >>> 8;
                size = e & 0xFF;
              } else {
                bits.acc = acc;
                bits.count = count;
                size = bits.decodeLong(dcTable);
                acc = bits.acc;
                count = bits.count;
              }
              if (size > 11) {
                throw new CorruptException("bad DC difference in the image data");
              }
              if (size > 0) {
                c.pred += JpegReducedReader.extend((int) (acc >>> (count - size)) & ((1 << size) - 1), size);
                count -= size;
              }
              float q0 = 0;
              float q1 = 0;
              float q2 = 0;
              float q3 = 0;
              if (w16 != null) {
                java.util.Arrays.fill(cells, 0f);
              }
              for (int k = 1; k < 64; ) {
                if (count < 32) {
                  acc = (acc << 32) | ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
                  pos += 4;
                  count += 32;
                }
                if (skip != null) {
                  int symbols = skip[(int) (acc >>> (count - JpegHuffman.SKIP_BITS)) & ((1 << JpegHuffman.SKIP_BITS) - 1)];
                  // Unless the symbols would run past the block's last coefficient (then one at a time).
                  if (symbols != 0 && k + ((symbols >>> 5) & 0xFF) < 64) {
                    count -= symbols & 31;
                    if ((symbols & JpegHuffman.SKIP_END_OF_BLOCK) != 0) {
                      break;
                    }
                    k += (symbols >>> 5) & 0xFF;
                    continue;
                  }
                }
                int step = acSteps[(int) (acc >>> (count - JpegHuffman.AC_LOOKUP_BITS)) & ((1 << JpegHuffman.AC_LOOKUP_BITS) - 1)];
                if (step == 0) {
                  bits.acc = acc;
                  bits.count = count;
                  step = JpegHuffman.acStep(bits.decodeLong(acTable), 0);
                  acc = bits.acc;
                  count = bits.count;
                }
                count -= step & 31; // the code and the magnitude bits after it
                int magnitude = (step >>> 5) & 15;
                if (w != null && magnitude != 0) {
                  int at = 4 * (k + ((step >>> 9) & 15));
                  float weight = w[at];
                  if (weight != 0f) {
                    float coefficient = JpegReducedReader.extend((int) (acc >>> count) & ((1 << magnitude) - 1), magnitude);
                    q0 += coefficient * weight;
                    q1 += coefficient * w[at + 1];
                    q2 += coefficient * w[at + 2];
                    q3 += coefficient * w[at + 3];
                  }
                } else if (w16 != null && magnitude != 0) {
                  int at = 16 * (k + ((step >>> 9) & 15));
                  float coefficient = JpegReducedReader.extend((int) (acc >>> count) & ((1 << magnitude) - 1), magnitude);
                  for (int cell = 0; cell < 16; cell++) {
                    cells[cell] += coefficient * w16[at + cell];
                  }
                }
                k += step >>> 13;
              }
              bits.acc = acc;
              bits.count = count;
              bits.pos = pos;
              if (bits.pastLimit(pos)) {
                throw new CorruptException("the JPEG data ends early (truncated file)");
              }
              if (grid != null) {
                int gx = (single ? mx : mx * c.h + bx) * perBlock;
                int gy = (single ? my : my * c.v + by) * perBlock;
                float mean = c.pred * dcScale[s] + 128f;
                int at = gy * gridW[s] + gx;
                grid[at] = mean + q0;
                if (perBlock == 2) {
                  grid[at + 1] = mean + q1;
                  grid[at + gridW[s]] = mean + q2;
                  grid[at + gridW[s] + 1] = mean + q3;
                } else if (perBlock == 4) {
                  for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                      grid[at + i * gridW[s] + j] = mean + cells[4 * i + j];
                    }
                  }
                }
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
}
