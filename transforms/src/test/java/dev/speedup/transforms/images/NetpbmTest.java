package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/**
 * Netpbm files (the format of classic face and vision datasets), written here by the format's definition,
 * text and binary: each gives the thumbnail the same picture gives as a PNG.
 */
public class NetpbmTest {
  private static BufferedImage picture() {
    return WebpAndBudgetTest.picture(300, 200);
  }

  /** P2/P5 (gray) or P3/P6 (colour), 8-bit, of {@code img}; gray from its red channel. */
  private static byte[] netpbm(BufferedImage img, boolean colour, boolean binary) {
    int w = img.getWidth();
    int h = img.getHeight();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String magic = colour ? (binary ? "P6" : "P3") : (binary ? "P5" : "P2");
    out.writeBytes((magic + "\n# made by NetpbmTest\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
    StringBuilder text = new StringBuilder();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = img.getRGB(x, y);
        int[] samples = colour ? new int[] {p >> 16 & 255, p >> 8 & 255, p & 255} : new int[] {p >> 16 & 255};
        for (int v : samples) {
          if (binary) {
            out.write(v);
          } else {
            text.append(v).append(x % 10 == 9 ? '\n' : ' ');
          }
        }
      }
    }
    out.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static BufferedImage grayOfRed(BufferedImage img) {
    BufferedImage gray = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        gray.getRaster().setSample(x, y, 0, img.getRGB(x, y) >> 16 & 255);
      }
    }
    return gray;
  }

  @Test
  public void pgmAndPpmGiveTheThumbnailsOfTheSamePicturesAsPng() throws Exception {
    BufferedImage img = picture();
    byte[] colourPng = TestImages.encode(img, "png");
    byte[] grayPng = TestImages.encode(grayOfRed(img), "png");
    for (boolean binary : new boolean[] {true, false}) {
      for (Thumbnailer.Settings s : new Thumbnailer.Settings[] {TestImages.GRAY64, TestImages.RGB64}) {
        Thumbnailer.Result ppm = Thumbnailer.thumbnail(netpbm(img, true, binary), s);
        assertEquals("pnm", ppm.format());
        assertEquals(300, ppm.sourceWidth());
        assertArrayEquals("PPM, binary " + binary + ", " + s.color(), Thumbnailer.thumbnail(colourPng, s).pixels(), ppm.pixels());
        Thumbnailer.Result pgm = Thumbnailer.thumbnail(netpbm(img, false, binary), s);
        assertEquals(1, pgm.sourceChannels());
        assertArrayEquals("PGM, binary " + binary + ", " + s.color(), Thumbnailer.thumbnail(grayPng, s).pixels(), pgm.pixels());
      }
    }
  }

  @Test
  public void aPgmCutShortIsCorruptAndTextThatOnlyStartsWithPIsNotAnImage() {
    byte[] whole = netpbm(picture(), false, true);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
    assertEquals(FailureKind.CORRUPT_IMAGE,
        assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(cut, TestImages.GRAY64)).kind());
    byte[] prose = "Pages of notes, not an image\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(FailureKind.NOT_AN_IMAGE,
        assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(prose, TestImages.GRAY64)).kind());
  }
}
