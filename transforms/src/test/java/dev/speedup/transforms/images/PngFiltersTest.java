package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

/**
 * Every filter, for every pixel size a PNG can have, undone as the specification's own formulas undo it, in
 * both forms of the loops (C1's and C2's, {@link JitCompiler}), whichever compiler runs the test.
 */
public class PngFiltersTest {
  /** The specification's Paeth predictor, with its branches, as written there (PNG, section 9.4). */
  private static int paethAsSpecified(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    if (pa <= pb && pa <= pc) {
      return a;
    }
    return pb <= pc ? b : c;
  }

  private static byte[] unfilterAsSpecified(byte[] filtered, byte[] prev, int bpp) {
    byte[] row = filtered.clone();
    for (int i = 1; i < row.length; i++) {
      int a = i > bpp ? row[i - bpp] & 0xFF : 0;
      int b = prev[i] & 0xFF;
      int c = i > bpp ? prev[i - bpp] & 0xFF : 0;
      int predicted = switch (row[0]) {
        case 0 -> 0;
        case 1 -> a;
        case 2 -> b;
        case 3 -> (a + b) / 2;
        default -> paethAsSpecified(a, b, c);
      };
      row[i] = (byte) (row[i] + predicted);
    }
    return row;
  }

  @Test
  public void everyFilterForEveryPixelSizeMatchesTheSpecification() throws Exception {
    Random random = new Random(16);
    for (int bpp : new int[] {1, 2, 3, 4, 6, 8}) {
      for (int width : new int[] {1, 2, 3, 7, 9, 64}) { // Up goes 8 bytes at a time in C1's form: widths around that
        int stride = width * bpp;
        for (int filter = 0; filter <= 4; filter++) {
          for (int trial = 0; trial < 50; trial++) {
            byte[] prev = new byte[stride + 1];
            byte[] row = new byte[stride + 1];
            // Smooth rows as well as noise: ties between the Paeth candidates come from equal neighbours.
            boolean smooth = trial % 2 == 0;
            for (int i = 1; i <= stride; i++) {
              prev[i] = (byte) (smooth ? i / 5 : random.nextInt(256));
              row[i] = (byte) (smooth ? random.nextInt(3) : random.nextInt(256));
            }
            row[0] = (byte) filter;
            byte[] expected = unfilterAsSpecified(row, prev, bpp);
            for (boolean quick : new boolean[] {true, false}) {
              byte[] unfiltered = row.clone();
              PngFilters.unfilter(unfiltered, prev, bpp, stride, quick);
              assertArrayEquals("filter " + filter + ", " + bpp + " bytes a pixel, width " + width + ", quick " + quick, expected, unfiltered);
            }
          }
        }
      }
    }
  }

  @Test
  public void thePredictorPicksWhatTheSpecificationPicksForEveryNeighbourhood() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c = 0; c < 256; c++) {
          if (PngPaeth.predict(a, b, c) != paethAsSpecified(a, b, c)) {
            throw new AssertionError("a=" + a + " b=" + b + " c=" + c + ": " + PngPaeth.predict(a, b, c) + ", specified " + paethAsSpecified(a, b, c));
          }
        }
      }
    }
  }

  /**
   * The RGB and RGBA loops, which carry the predictor written out per channel, on rows made to give every
   * (a, b, c) to every channel: per value of c, a pair of rows in which a setup pixel (b = c's value, filtered
   * so it decodes to a's value) precedes each test pixel (b's value, upper left = c's value, left = a's value).
   */
  @Test
  public void paethRowsOfThreeAndFourBytesAPixelDecodeEveryNeighbourhoodAsSpecified() throws Exception {
    Random random = new Random(9);
    for (int bpp : new int[] {3, 4}) {
      int pixels = 1 + 2 * 256 * 256;
      int stride = pixels * bpp;
      for (int c = 0; c < 256; c++) {
        byte[] prev = new byte[stride + 1];
        byte[] decoded = new byte[stride + 1];
        byte[] row = new byte[stride + 1];
        row[0] = 4;
        decoded[0] = 4;
        for (int ch = 0; ch < bpp; ch++) {
          int i = 1 + ch;
          prev[i] = (byte) random.nextInt(256);
          row[i] = (byte) random.nextInt(256);
          decoded[i] = (byte) (row[i] + (prev[i] & 0xFF));
          for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
              int setup = i + bpp;
              int test = setup + bpp;
              prev[setup] = (byte) c;
              int predicted = paethAsSpecified(decoded[i] & 0xFF, c, prev[i] & 0xFF);
              row[setup] = (byte) (a - predicted);
              decoded[setup] = (byte) a;
              prev[test] = (byte) b;
              row[test] = (byte) random.nextInt(256);
              decoded[test] = (byte) (row[test] + paethAsSpecified(a, b, c));
              i = test;
            }
          }
        }
        for (boolean quick : new boolean[] {true, false}) {
          byte[] unfiltered = row.clone();
          PngFilters.unfilter(unfiltered, prev, bpp, stride, quick);
          assertArrayEquals(bpp + " bytes a pixel, c=" + c + ", quick " + quick, decoded, unfiltered);
        }
      }
    }
  }

  @Test
  public void theQuickFormsAreChosenWhereC1AloneCompiles() {
    assertTrue(JitCompiler.quickOnly("true", "1", "default")); // bin/speedup
    assertTrue(JitCompiler.quickOnly("true", "3", null));
    assertTrue(JitCompiler.quickOnly(null, null, "quick-only"));
    assertFalse(JitCompiler.quickOnly("true", "4", "default")); // plain java -jar, Maven, Flink
    assertFalse(JitCompiler.quickOnly("false", "1", "default")); // C2 alone: the level is ignored
    assertFalse(JitCompiler.quickOnly("true", "0", "default")); // the interpreter alone
    assertFalse(JitCompiler.quickOnly(null, null, null)); // nothing known: HotSpot's defaults
  }

  @Test
  public void anUnknownFilterTypeIsDamage() {
    byte[] row = {5, 1, 2, 3};
    assertThrows(JpegReducedReader.CorruptException.class, () -> PngFilters.unfilter(row, new byte[4], 3, 3));
  }
}
