package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.TestImages.GRAY64;
import static dev.speedup.transforms.images.TestImages.RGB64;
import static dev.speedup.transforms.images.JpegReducedReaderTest.texture;
import static dev.speedup.transforms.images.JpegReducedReaderTest.worstCellDifference;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.Test;

/**
 * Progressive JPEGs reduced at 1/4 and 1/2 from all their scans' coefficients. A progressive file holds the same
 * quantised coefficients as a baseline file of the same image and tables, only split into scans (spectral
 * bands, and bits by successive approximation): so its quadrant means must equal the baseline's exactly.
 */
public class ProgressiveJpegTest {

  /** Colour texture: smooth fields, edges and noise in each channel. */
  static BufferedImage colourTexture(int w, int h) {
    java.util.Random random = new java.util.Random(5);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (int) (128 + 90 * Math.sin(x / 17.0)) + random.nextInt(11) - 5;
        int g = (x / 23 + y / 31) % 2 == 0 ? 70 : 180;
        int b = 255 * y / h;
        img.setRGB(x, y, (clamp(r) << 16) | (clamp(g) << 8) | clamp(b));
      }
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  @Test
  public void aProgressiveFileGivesTheBaselineFilesCells() throws Exception {
    for (BufferedImage img : new BufferedImage[] {texture(600, 450), colourTexture(600, 450), colourTexture(517, 389)}) {
      for (int restartInterval : new int[] {0, 5}) {
        byte[] baseline = TestImages.jpeg(img, 0.9f, false, restartInterval);
        byte[] progressive = TestImages.jpeg(img, 0.9f, true, restartInterval);
        JpegFrame f = JpegFrame.parse(progressive);
        assertTrue("a progressive file", f.progressive());
        assertTrue("with refinement scans", hasRefinementScan(progressive, f));
        String what = img.getWidth() + "x" + img.getHeight() + " " + (img.getType() == BufferedImage.TYPE_BYTE_GRAY ? "gray" : "colour")
            + ", restart interval " + restartInterval;
        for (int scale : new int[] {4, 2}) {
          assertArrayEquals(what + " at 1/" + scale, JpegReducedReader.read(baseline, scale).means(), JpegReducedReader.read(progressive, scale).means(), 0f);
        }
        for (Thumbnailer.Settings s : new Thumbnailer.Settings[] {GRAY64, RGB64}) {
          Thumbnailer.Result fromProgressive = Thumbnailer.thumbnail(progressive, s);
          assertTrue(what + " reduced on load", fromProgressive.reducedOnLoad());
          assertArrayEquals(what + " " + s.color(), Thumbnailer.thumbnail(baseline, s).pixels(), fromProgressive.pixels());
        }
      }
    }
  }

  @Test
  public void cellsAreTheFullDecodesCellMeans() throws Exception {
    byte[] progressive = TestImages.jpeg(texture(403, 301), 0.92f, true);
    assertThat(worstCellDifference(progressive, 4), lessThan(0.75));
    assertThat(worstCellDifference(progressive, 2), lessThan(0.75));
  }

  @Test
  public void smallerFilesAreReducedAtHalfScaleCloseToTheFullDecode() throws Exception {
    // 3 to 6 times the target size (ImageNet's 500x375 is one): 2x2 cells.
    for (boolean progressive : new boolean[] {false, true}) {
      byte[] file = TestImages.jpeg(HostileJpegTest.colour(500, 375), 0.9f, progressive);
      for (Thumbnailer.Settings s : new Thumbnailer.Settings[] {GRAY64, RGB64}) {
        Thumbnailer.Result fast = Thumbnailer.thumbnail(file, s);
        assertTrue("reduced on load, progressive " + progressive, fast.reducedOnLoad());
        TestImages.assertCloseToFullDecode("500x375, progressive " + progressive + ", " + s.color(), fast.pixels(),
            Thumbnailer.thumbnailFully(file, s).pixels());
      }
    }
    // Under 3 times (191 pixels for 64): the full decoder.
    assertFalse(Thumbnailer.thumbnail(TestImages.jpeg(colourTexture(380, 191), 0.9f, true), GRAY64).reducedOnLoad());
  }

  @Test
  public void aProgressiveFileCutShortIsCorrupt() throws Exception {
    byte[] whole = TestImages.jpeg(colourTexture(600, 450), 0.9f, true);
    for (int cut : new int[] {whole.length / 2, whole.length - 300}) {
      Thumbnailer.ImageFailure e = assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(Arrays.copyOf(whole, cut), GRAY64));
      assertEquals(FailureKind.CORRUPT_IMAGE, e.kind());
      assertThat(e.getMessage(), containsString("ends early"));
    }
  }

  @Test
  public void aCraftedSpectralBandIsCorruptNotACrash() throws Exception {
    byte[] file = TestImages.jpeg(texture(600, 450), 0.9f, true);
    JpegFrame f = JpegFrame.parse(file);
    // The first AC scan's header: its band's end (Se) beyond the 64 coefficients of a block.
    int sos = firstAcScanHeader(file, f);
    byte[] wide = file.clone();
    wide[sos + 2 + 1 + 2 * (wide[sos + 2] & 0xFF) + 1] = 70;
    Thumbnailer.ImageFailure e = assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(wide, GRAY64));
    assertEquals(FailureKind.CORRUPT_IMAGE, e.kind());
    assertThat(e.getMessage(), containsString("spectral selection"));
  }

  /** The offset of the first scan header (its FFDA marker) whose band starts past the DC coefficient. */
  private static int firstAcScanHeader(byte[] d, JpegFrame f) {
    for (int i = 0; i + 4 < d.length; i++) {
      if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xDA) {
        int ns = d[i + 4] & 0xFF;
        if (d[i + 5 + 2 * ns] != 0) { // Ss
          return i + 2;
        }
      }
    }
    throw new AssertionError("no AC scan");
  }

  private static boolean hasRefinementScan(byte[] d, JpegFrame f) {
    for (int i = 0; i + 4 < d.length; i++) {
      if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xDA) {
        int ns = d[i + 4] & 0xFF;
        if ((d[i + 5 + 2 * ns + 2] & 0xF0) != 0) { // Ah
          return true;
        }
      }
    }
    return false;
  }
}
