package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

  /** A PGM of maxval {@code white} (black 0) of the picture's red channel thresholded at 128; binary or text. */
  private static byte[] bilevel(BufferedImage img, int white, boolean binary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String magic = binary ? "P5" : "P2";
    out.writeBytes((magic + "\n# maxval " + white + "\n" + img.getWidth() + "\n" + img.getHeight() + "\n" + white + "\n").getBytes(StandardCharsets.US_ASCII));
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int v = (img.getRGB(x, y) >> 16 & 255) >= 128 ? white : 0;
        if (binary) {
          out.write(v);
        } else {
          out.writeBytes((v + (x % 30 == 29 ? "\n" : " ")).getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    return out.toByteArray();
  }

  @Test
  public void aPgmOfMaxvalOneIsTheSamePictureAsItsMaxval255Twin() throws Exception {
    // Valid Netpbm (pamdepth 1 writes them); TwelveMonkeys' reader takes gray maxvals from 2 only.
    BufferedImage img = picture();
    for (Thumbnailer.Settings s : new Thumbnailer.Settings[] {TestImages.GRAY64, TestImages.RGB64}) {
      byte[] expected = Thumbnailer.thumbnail(bilevel(img, 255, true), s).pixels();
      for (boolean binary : new boolean[] {true, false}) {
        Thumbnailer.Result one = Thumbnailer.thumbnail(bilevel(img, 1, binary), s);
        assertArrayEquals(s.color() + ", binary " + binary, expected, one.pixels());
        assertEquals(300, one.sourceWidth());
      }
    }
    byte[] cut = bilevel(img, 1, false);
    assertEquals(FailureKind.CORRUPT_IMAGE, assertThrows(Thumbnailer.ImageFailure.class,
        () -> Thumbnailer.thumbnail(java.util.Arrays.copyOf(cut, cut.length / 2), TestImages.GRAY64)).kind());
    long blacks = 0;
    for (byte b : Thumbnailer.thumbnail(bilevel(img, 1, true), TestImages.GRAY64).pixels()) {
      blacks += b == 0 ? 1 : 0;
    }
    assertTrue("both black and white in the thumbnail: " + blacks, blacks > 0 && blacks < 64 * 64);
  }

  /**
   * A PFM (floats, rows stored bottom first; a negative scale means little-endian) of 128x128: the top half
   * {@code top}, the bottom half {@code bottom}, each sample as given (gray: the first of each).
   */
  private static byte[] pfm(boolean colour, ByteOrder order, float[] top, float[] bottom) {
    int n = 128;
    int channels = colour ? 3 : 1;
    String header = (colour ? "PF" : "Pf") + "\n" + n + " " + n + "\n" + (order == ByteOrder.LITTLE_ENDIAN ? "-1.0" : "1.0") + "\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer body = ByteBuffer.allocate(head.length + n * n * channels * 4).put(head).order(order);
    for (int stored = 0; stored < n; stored++) {
      float[] v = stored < n / 2 ? bottom : top; // the file's first rows are the picture's last
      for (int x = 0; x < n; x++) {
        for (int c = 0; c < channels; c++) {
          body.putFloat(v[c]);
        }
      }
    }
    return body.array();
  }

  @Test
  public void pfmFloatsAreClampedToTheirRangeAndRowsRunBottomUp() throws Exception {
    // Out-of-range samples (HDR, or a filter's undershoot) are clamped: the colour model's own conversion
    // gave a sample of -0.02 as white.
    float[] red = {2.0f, -0.5f, 0f};
    float[] gray = {0.4f, 0.4f, 0.4f};
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      byte[] rgb = Thumbnailer.thumbnail(pfm(true, order, red, gray), TestImages.RGB64).pixels();
      assertEquals("top left " + order, 255, rgb[0] & 255);
      assertEquals(0, rgb[1] & 255);
      assertEquals(0, rgb[2] & 255);
      int bottom = (63 * 64 + 63) * 3;
      assertEquals("bottom right " + order, 102, rgb[bottom] & 255);
      assertEquals(102, rgb[bottom + 1] & 255);
      assertEquals(102, rgb[bottom + 2] & 255);
      byte[] luma = Thumbnailer.thumbnail(pfm(false, order, new float[] {-3f}, new float[] {0.4f}), TestImages.GRAY64).pixels();
      assertEquals("gray top " + order, 0, luma[0] & 255);
      assertEquals("gray bottom " + order, 102, luma[64 * 64 - 1] & 255);
    }
  }
}
