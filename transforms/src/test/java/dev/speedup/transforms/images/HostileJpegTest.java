package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.TestImages.assertCloseToFullDecode;
import static dev.speedup.transforms.images.TestImages.jpeg;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.Test;

/** Colour and progressive JPEGs reduced on load, and crafted or damaged ones failing as that file's failure. */
public class HostileJpegTest {
  private static final Thumbnailer.Settings GRAY64 =
      new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L);
  private static final Thumbnailer.Settings RGB64 =
      new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L);

  /**
   * A colour photo-like picture: smooth colour and hard edges in brightness. Chroma at 4:2:0 reduced to
   * block means is known only per 16x16 pixels (as libjpeg's own 1/8 scale): hard colour edges come out
   * softer than in a full decode, as they do in Pillow's draft() and vipsthumbnail.
   */
  static BufferedImage colour(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (x * 255) / w;
        int g = (y * 255) / h;
        int b = (int) (128 + 100 * Math.sin(x / 50.0 + y / 70.0));
        int edge = ((x / 97 + y / 61) & 1) == 0 ? 0 : 30;
        img.setRGB(x, y, (Math.min(255, r + edge) << 16) | (Math.min(255, g + edge) << 8) | Math.min(255, b + edge));
      }
    }
    return img;
  }

  static int find(byte[] d, int marker) {
    for (int i = 0; i + 1 < d.length; i++) {
      if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }

  static Thumbnailer.ImageFailure failure(byte[] file) {
    return assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(file, GRAY64));
  }

  @Test
  public void colourJpegsReduceOnLoadToRgbCloseToTheFullDecode() throws Exception {
    BufferedImage img = colour(1200, 900);
    for (boolean progressive : new boolean[] {false, true}) {
      byte[] file = jpeg(img, 0.92f, progressive);
      Thumbnailer.Result fast = Thumbnailer.thumbnail(file, RGB64);
      Thumbnailer.Result full = Thumbnailer.thumbnailFully(file, RGB64);
      assertTrue("reduced on load, progressive " + progressive, fast.reducedOnLoad());
      assertEquals(3, fast.channels());
      assertCloseToFullDecode("RGB, progressive " + progressive, fast.pixels(), full.pixels());
      Thumbnailer.Result gray = Thumbnailer.thumbnail(file, GRAY64);
      assertCloseToFullDecode("gray of colour, progressive " + progressive, gray.pixels(), Thumbnailer.thumbnailFully(file, GRAY64).pixels());
    }
  }

  @Test
  public void aScanNamingHuffmanTableFiveIsCorruptNotACrash() throws Exception {
    byte[] file = jpeg(colour(800, 600), 0.9f, false);
    int sos = find(file, 0xDA);
    file[sos + 6] = 0x55; // the first component's DC and AC tables: 5 and 5
    Thumbnailer.ImageFailure f = failure(file);
    assertEquals(FailureKind.CORRUPT_IMAGE, f.kind());
    assertThat(f.getMessage(), containsString("Huffman table 5"));
  }

  @Test
  public void blocksThatNeverArriveAreCorruptNotAReadPastTheEnd() throws Exception {
    // Three components sampled 4x4 (48 blocks an MCU, over the standard's 10) and no entropy-coded data.
    byte[] file = jpeg(colour(1024, 1024), 0.9f, false);
    int sof = find(file, 0xC0);
    for (int c = 0; c < 3; c++) {
      file[sof + 11 + 3 * c] = 0x44;
    }
    int sos = find(file, 0xDA);
    int dataStart = sos + 2 + (((file[sos + 2] & 0xFF) << 8) | (file[sos + 3] & 0xFF));
    ByteArrayOutputStream crafted = new ByteArrayOutputStream();
    crafted.write(file, 0, dataStart);
    crafted.write(new byte[] {(byte) 0xFF, (byte) 0xD9});
    assertEquals(FailureKind.CORRUPT_IMAGE, failure(crafted.toByteArray()).kind());
  }

  @Test
  public void twelveBitJpegsAreUnsupportedNotCorrupt() throws Exception {
    byte[] file = jpeg(colour(640, 480), 0.9f, false);
    file[find(file, 0xC0) + 4] = 12; // sample precision
    Thumbnailer.ImageFailure f = failure(file);
    assertEquals(FailureKind.UNSUPPORTED_FORMAT, f.kind());
    assertThat(f.getMessage(), containsString("12-bit"));
  }

  @Test
  public void truncatedProgressiveJpegsFail() throws Exception {
    byte[] file = jpeg(colour(1000, 800), 0.9f, true);
    // Cut inside the last (AC) scans: every DC bit is there, but the file is damaged.
    assertEquals(FailureKind.CORRUPT_IMAGE, failure(Arrays.copyOf(file, file.length - 200)).kind());
  }

  /** {@code n} bytes of 0x55 inserted at {@code at}. */
  private static byte[] inserted(byte[] d, int at, int n) {
    byte[] out = new byte[d.length + n];
    System.arraycopy(d, 0, out, 0, at);
    Arrays.fill(out, at, at + n, (byte) 0x55);
    System.arraycopy(d, at, out, at + n, d.length - at);
    return out;
  }

  @Test
  public void dataLeftOverAfterAScanIsDamageAsTheFullDecoderSaysSo() throws Exception {
    // What a decoder that went astray in damaged data leaves behind: bytes after the last block it read.
    // libjpeg warns ("extraneous bytes before marker") and the full decoder's path fails the file.
    BufferedImage gray = JpegReducedReaderTest.texture(800, 600); // 1/8 when sequential
    BufferedImage small = JpegReducedReaderTest.texture(500, 400); // 1/4
    byte[][] files = {
      jpeg(gray, 0.9f, false), jpeg(small, 0.9f, false), jpeg(small, 0.9f, true), TestImages.jpeg(small, 0.9f, false, 4),
    };
    for (int i = 0; i < files.length; i++) {
      byte[] whole = files[i];
      assertTrue("intact file " + i, Thumbnailer.thumbnail(whole, GRAY64).reducedOnLoad());
      // Before the end-of-image marker (the last scan's end), and before the first restart marker if any.
      int at = i == 3 ? find(whole, 0xD0) : whole.length - 2;
      byte[] damaged = inserted(whole, at, 40);
      Thumbnailer.ImageFailure reduced = failure(damaged);
      assertEquals("file " + i, FailureKind.CORRUPT_IMAGE, reduced.kind());
      assertThat(reduced.getMessage(), containsString("40 bytes left over"));
      assertThrows("the full decoder fails it too", Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnailFully(damaged, GRAY64));
    }
  }

  @Test
  public void randomDamageNeverEscapesAsAnythingButAFailure() throws Exception {
    byte[] baseline = jpeg(colour(480, 400), 0.9f, false);
    byte[] progressive = jpeg(colour(480, 400), 0.9f, true);
    Random random = new Random(16);
    int failed = 0;
    for (int round = 0; round < 300; round++) {
      byte[] file = (round % 2 == 0 ? baseline : progressive).clone();
      int changes = 1 + random.nextInt(8);
      for (int k = 0; k < changes; k++) {
        // Mostly in the headers, where one byte redirects the decoder.
        int at = random.nextInt(4) == 0 ? random.nextInt(file.length) : 2 + random.nextInt(Math.min(file.length - 2, 700));
        file[at] = (byte) random.nextInt(256);
      }
      try {
        Thumbnailer.thumbnail(file, round % 3 == 0 ? RGB64 : GRAY64);
      } catch (Thumbnailer.ImageFailure e) {
        failed++;
        assertTrue(e.getMessage(), e.kind() == FailureKind.CORRUPT_IMAGE || e.kind() == FailureKind.UNSUPPORTED_FORMAT
            || e.kind() == FailureKind.TOO_MANY_PIXELS);
      }
    }
    assertThat("damage was seen", failed, greaterThan(30));
  }
}
