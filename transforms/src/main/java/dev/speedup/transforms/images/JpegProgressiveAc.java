package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegFrame.Component;
import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * One AC scan of a progressive JPEG (ITU T.81 annex G.1.2.2 and G.1.2.3), decoded into a component's
 * coefficients: a first scan gives the band's coefficients their high bits, a refinement scan one more
 * low bit to those already nonzero and the new ones of magnitude 1. Coefficients are kept in zigzag order,
 * 64 a block, rows of {@code gridW} blocks (the component's blocks in MCU layout); an AC scan holds one
 * component and covers its blocks without the MCU padding.
 */
final class JpegProgressiveAc {
  private final JpegEntropy bits;
  private final JpegHuffman table;
  private final short[] coefficients;
  private final int start;
  private final int end;
  private final int low;
  private int endOfBandRun;

  private JpegProgressiveAc(JpegEntropy bits, JpegHuffman table, short[] coefficients, int start, int end, int low) {
    this.bits = bits;
    this.table = table;
    this.coefficients = coefficients;
    this.start = start;
    this.end = end;
    this.low = low;
  }

  /** Decodes the AC scan {@code scan} of frame {@code f} into {@code coefficients} (its one component's). */
  static void scan(JpegFrame f, JpegFrame.Scan scan, JpegEntropy bits, short[] coefficients, int gridW) throws CorruptException {
    if (scan.components().length != 1) {
      throw new CorruptException("a progressive AC scan with more than one component");
    }
    if (scan.spectralEnd() > 63 || scan.spectralStart() > scan.spectralEnd() || scan.approxLow() > 13) {
      throw new CorruptException("bad spectral selection or successive approximation in a scan header");
    }
    Component c = scan.components()[0];
    JpegHuffman table = f.tables.ac[c.acTable];
    if (table == null) {
      throw new CorruptException("the scan uses a table the file does not define");
    }
    JpegProgressiveAc decoder = new JpegProgressiveAc(bits, table, coefficients, scan.spectralStart(), scan.spectralEnd(), scan.approxLow());
    boolean first = scan.approxHigh() == 0;
    int blocksX = f.blocksX(c);
    int blocksY = f.blocksY(c);
    for (int by = 0; by < blocksY; by++) {
      for (int bx = 0; bx < blocksX; bx++) {
        if (bits.restartBeforeMcu(f.restartInterval)) {
          decoder.endOfBandRun = 0;
        }
        int block = 64 * (by * gridW + bx);
        if (first) {
          decoder.first(block);
        } else {
          decoder.refine(block);
        }
        if (bits.pastLimit(bits.pos) || bits.overrun()) {
          throw new CorruptException("the JPEG data ends early (truncated file)");
        }
      }
    }
    bits.checkSegmentEnd();
  }

  /** A first scan's band of one block: high bits of its coefficients, or one block of an end-of-band run. */
  private void first(int block) throws CorruptException {
    if (endOfBandRun > 0) {
      endOfBandRun--;
      return;
    }
    for (int k = start; k <= end; k++) {
      bits.fill();
      int rs = bits.decode(table);
      int run = rs >> 4;
      int size = rs & 15;
      if (size != 0) {
        k += run;
        if (k > end) {
          throw new CorruptException("a zero run past the end of the spectral band");
        }
        coefficients[block + k] = (short) (JpegReducedReader.extend(bits.take(size), size) << low);
      } else if (run == 15) {
        k += 15; // sixteen zeros
      } else {
        endOfBandRun = (1 << run) - 1; // this block ends the band, and so do that many more
        if (run != 0) {
          endOfBandRun += bits.take(run);
        }
        return;
      }
    }
  }

  /** A refinement scan's band of one block: one more bit of each nonzero coefficient, new ones of magnitude 1. */
  private void refine(int block) throws CorruptException {
    int plus = 1 << low;
    int minus = -1 << low;
    int k = start;
    if (endOfBandRun == 0) {
      for (; k <= end; k++) {
        bits.fill();
        int rs = bits.decode(table);
        int run = rs >> 4;
        int size = rs & 15;
        int value = 0;
        if (size != 0) {
          if (size != 1) {
            throw new CorruptException("a refinement coefficient of more than one bit");
          }
          bits.fill();
          value = bits.take(1) != 0 ? plus : minus;
        } else if (run != 15) {
          endOfBandRun = 1 << run; // counts this block: the rest of its band is refined below
          if (run != 0) {
            bits.fill();
            endOfBandRun += bits.take(run);
          }
          break;
        }
        // Past `run` coefficients still zero (and the new one's place), refining the nonzero ones met.
        while (k <= end) {
          if (coefficients[block + k] != 0) {
            correct(block + k, plus, minus);
          } else if (--run < 0) {
            break;
          }
          k++;
        }
        if (value != 0) {
          if (k > end) {
            throw new CorruptException("a refinement coefficient past the end of the spectral band");
          }
          coefficients[block + k] = (short) value;
        }
      }
    }
    if (endOfBandRun > 0) {
      for (; k <= end; k++) {
        if (coefficients[block + k] != 0) {
          correct(block + k, plus, minus);
        }
      }
      endOfBandRun--;
    }
  }

  /** A correction bit for a nonzero coefficient: adds the refined bit, away from zero. */
  private void correct(int at, int plus, int minus) {
    bits.fill();
    if (bits.take(1) != 0) {
      short c = coefficients[at];
      if ((c & plus) == 0) {
        coefficients[at] = (short) (c >= 0 ? c + plus : c + minus);
      }
    }
  }
}
