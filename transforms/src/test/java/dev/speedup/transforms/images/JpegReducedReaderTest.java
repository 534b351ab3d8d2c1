package dev.speedup.transforms.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.Test;

/** The reduced decode checked cell by cell against ImageIO's full decode averaged over the same cells. */
public class JpegReducedReaderTest {
  /** Texture at every frequency, kept inside 30..225 so that no decoded pixel is clipped at 0 or 255. */
  static BufferedImage texture(int w, int h) {
    java.util.Random random = new java.util.Random(11);
    return TestImages.gray(w, h, (x, y) -> {
      double v = 128 + 50 * Math.sin(x / 9.0) * Math.cos(y / 13.0) + ((x / 3 + y / 5) % 7) * 4 + random.nextInt(21) - 10;
      return (int) Math.max(30, Math.min(225, v));
    });
  }

  static byte[] jpeg(BufferedImage image, float quality, int restartInterval) throws Exception {
    return TestImages.jpeg(image, quality, false, restartInterval);
  }

  /** The full decode's pixels averaged over cells of {@code cell x cell} (clipped at the edges). */
  static float[] fullDecodeCellMeans(byte[] file, int cell) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    int cx = (w + cell - 1) / cell;
    int cy = (h + cell - 1) / cell;
    float[] means = new float[cx * cy];
    for (int j = 0; j < cy; j++) {
      for (int i = 0; i < cx; i++) {
        double sum = 0;
        int n = 0;
        for (int y = j * cell; y < Math.min(h, (j + 1) * cell); y++) {
          for (int x = i * cell; x < Math.min(w, (i + 1) * cell); x++) {
            sum += px[y * w + x] & 0xFF;
            n++;
          }
        }
        means[j * cx + i] = (float) (sum / n);
      }
    }
    return means;
  }

  /**
   * Largest difference between the reduced decode and the full decode averaged over the same cells, over the
   * cells that lie wholly inside the image (edge cells average padding the full decode does not show).
   */
  static double worstCellDifference(byte[] file, int scale) throws Exception {
    JpegReducedReader.Reduced reduced = JpegReducedReader.read(file, scale);
    assertNotNull("reduced on load", reduced);
    assertEquals(scale, reduced.cellWidth());
    assertEquals(scale, reduced.cellHeight());
    float[] expected = fullDecodeCellMeans(file, scale);
    assertEquals(expected.length, reduced.means().length);
    double worst = 0;
    for (int j = 0; j < reduced.height() / scale; j++) {
      for (int i = 0; i < reduced.width() / scale; i++) {
        int at = j * reduced.cellsX() + i;
        worst = Math.max(worst, Math.abs(reduced.means()[at] - expected[at]));
      }
    }
    return worst;
  }

  @Test
  public void eighthScaleGivesEachBlocksMean() throws Exception {
    byte[] file = jpeg(texture(403, 301), 0.92f, 0);
    // The full decode rounds each pixel and uses an integer inverse DCT: its block means stray by well under a level.
    assertThat(worstCellDifference(file, 8), lessThan(0.75));
  }

  @Test
  public void quarterScaleGivesEachQuadrantsMean() throws Exception {
    byte[] file = jpeg(texture(403, 301), 0.92f, 0);
    assertThat(worstCellDifference(file, 4), lessThan(0.75));
  }

  @Test
  public void halfScaleGivesEachTwoByTwoCellsMean() throws Exception {
    byte[] file = jpeg(texture(403, 301), 0.92f, 0);
    assertThat(worstCellDifference(file, 2), lessThan(0.75));
  }

  @Test
  public void colourSubsampledFilesGiveTheLuma() throws Exception {
    BufferedImage rgb = new BufferedImage(330, 250, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage luma = texture(330, 250);
    for (int y = 0; y < 250; y++) {
      for (int x = 0; x < 330; x++) {
        int v = luma.getRaster().getSample(x, y, 0);
        rgb.setRGB(x, y, (v << 16) | (v << 8) | v); // gray in RGB: the luma is v, the chroma flat
      }
    }
    byte[] file = jpeg(rgb, 0.92f, 0);
    for (int scale : new int[] {8, 4, 2}) {
      JpegReducedReader.Reduced reduced = JpegReducedReader.read(file, scale);
      float[] expected = fullDecodeCellMeans(jpeg(luma, 0.92f, 0), scale);
      double worst = 0;
      for (int j = 0; j < 250 / scale; j++) {
        for (int i = 0; i < 330 / scale; i++) {
          worst = Math.max(worst, Math.abs(reduced.means()[j * reduced.cellsX() + i] - expected[j * reduced.cellsX() + i]));
        }
      }
      assertThat("scale " + scale, worst, lessThan(3.0)); // two encodings of the same luma, each within about a level
    }
  }

  @Test
  public void restartIntervalsAreFollowed() throws Exception {
    BufferedImage img = texture(403, 301);
    byte[] plain = jpeg(img, 0.92f, 0);
    byte[] withRestarts = jpeg(img, 0.92f, 3);
    assertThat("the file carries restart markers", withRestarts.length, org.hamcrest.Matchers.greaterThan(plain.length));
    for (int scale : new int[] {8, 4, 2}) {
      assertThat(worstCellDifference(withRestarts, scale), lessThan(0.75));
      assertEquals(
          "same coefficients, same means",
          Arrays.toString(JpegReducedReader.read(plain, scale).means()),
          Arrays.toString(JpegReducedReader.read(withRestarts, scale).means()));
    }
  }

  @Test
  public void truncatedDataIsCorrupt() throws Exception {
    for (int restartInterval : new int[] {0, 3}) {
      byte[] whole = jpeg(texture(403, 301), 0.92f, restartInterval);
      byte[] cut = Arrays.copyOf(whole, whole.length * 3 / 4);
      for (int scale : new int[] {8, 4, 2}) {
        JpegReducedReader.CorruptException e = assertThrows(JpegReducedReader.CorruptException.class, () -> JpegReducedReader.read(cut, scale));
        assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("ends early"));
      }
    }
  }
}
