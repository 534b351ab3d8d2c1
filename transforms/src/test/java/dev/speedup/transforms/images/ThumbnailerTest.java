package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.TestImages.*;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.fixtures.XrayImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.Test;

/** The thumbnailer on one file at a time: reduced on load against decoded whole, and every format and shape it reads. */
public class ThumbnailerTest {
  // ---- the reduced decode against the full one ----

  @Test
  public void shrinkOnLoadMatchesTheFullDecodeOnCorpusImages() throws Exception {
    List<XrayCorpus.Entry> entries = XrayCorpus.plan(40, 7);
    int checked = 0;
    for (XrayCorpus.Entry e : entries.subList(0, 12)) {
      byte[] file = XrayImage.jpeg(XrayImage.draw(e, 7), 0.9f);
      Thumbnailer.Result fast = Thumbnailer.thumbnail(file, GRAY64);
      Thumbnailer.Result full = Thumbnailer.thumbnailFully(file, GRAY64);
      assertEquals(full.sourceWidth(), fast.sourceWidth());
      assertEquals(full.sourceHeight(), fast.sourceHeight());
      if (!fast.reducedOnLoad()) {
        continue; // too small to reduce on load
      }
      checked++;
      assertCloseToFullDecode(e.relativePath(), fast.pixels(), full.pixels());
    }
    assertThat("corpus images are at least 6 times 64 pixels: all reduce on load", checked, equalTo(12));
  }

  @Test
  public void aOnePixelCheckerboardComesOutMidGrey() throws Exception {
    BufferedImage board = gray(1024, 1024, (x, y) -> ((x + y) & 1) == 0 ? 0 : 255);
    for (byte[] file : List.of(encode(board, "png"), jpeg(board, 1.0f, false))) {
      Thumbnailer.Result r = thumb(file);
      for (byte p : r.pixels()) {
        assertThat(p & 0xFF, allOf(greaterThanOrEqualTo(124), lessThanOrEqualTo(131)));
      }
    }
    assertTrue("the JPEG took the shrink-on-load path", thumb(jpeg(board, 1.0f, false)).reducedOnLoad());
  }

  @Test
  public void progressiveJpegsAreReducedOnLoadFromTheirDcScans() throws Exception {
    BufferedImage img = gray(1000, 800, (x, y) -> 20 + x / 10 + y / 8);
    byte[] file = jpeg(img, 0.95f, true);
    Thumbnailer.Result progressive = thumb(file);
    Thumbnailer.Result baseline = thumb(jpeg(img, 0.95f, false));
    assertTrue(progressive.reducedOnLoad());
    assertTrue(baseline.reducedOnLoad());
    assertCloseToFullDecode("progressive vs its full decode", progressive.pixels(), Thumbnailer.thumbnailFully(file, GRAY64).pixels());
    assertCloseToFullDecode("progressive vs baseline", baseline.pixels(), progressive.pixels());
    // Under 3 times the target size, too small even for 2x2 cells: the full decoder.
    assertFalse(thumb(jpeg(gray(150, 150, (x, y) -> x), 0.9f, true)).reducedOnLoad());
  }

  @Test
  public void colourSubsampledJpegsAreReducedOnLoad() throws Exception {
    // RGB JPEGs from the JDK are YCbCr 4:2:0; the corpus's RGB entries are such files.
    XrayCorpus.Entry rgb = XrayCorpus.plan(400, 3).stream().filter(XrayCorpus.Entry::rgb).filter(e -> e.width() > 900 && e.height() > 900).findFirst().orElseThrow();
    byte[] file = XrayImage.jpeg(XrayImage.draw(rgb, 3), 0.9f);
    Thumbnailer.Result fast = thumb(file);
    assertTrue(fast.reducedOnLoad());
    assertEquals(3, fast.sourceChannels());
    Thumbnailer.Result full = Thumbnailer.thumbnailFully(file, GRAY64);
    assertCloseToFullDecode("RGB 4:2:0", fast.pixels(), full.pixels());
  }

  /**
   * A colour thumbnail of a 4:2:0 JPEG whose chroma has detail at the output's scale: its chroma cells are
   * twice the luma's each way, so at 1/8 a 1600x900 image has 56 rows of them for 64 output rows, and each
   * output pixel's colour was smeared into its neighbours' (worst pixel 40 levels off a full decode on a
   * real wallpaper). The scale is chosen for the chroma's cells too.
   */
  @Test
  public void colourThumbnailsOfSubsampledJpegsKeepTheirChromaDetail() throws Exception {
    BufferedImage img = new BufferedImage(1600, 900, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 900; y++) {
      for (int x = 0; x < 1600; x++) {
        // Colour waves of about two output pixels (25 x 14 source pixels) a period, inside the gamut.
        int r = (int) Math.round(128 + 90 * Math.sin(2 * Math.PI * x / 60));
        int b = (int) Math.round(128 + 90 * Math.sin(2 * Math.PI * y / 34));
        img.setRGB(x, y, r << 16 | 128 << 8 | b);
      }
    }
    byte[] file = TestImages.jpeg(img, 0.95f, false); // the JDK's writer: YCbCr 4:2:0
    Thumbnailer.Result fast = Thumbnailer.thumbnail(file, RGB64);
    assertTrue(fast.reducedOnLoad());
    // Against the picture itself averaged, without JPEG: about 3 levels off on average (the cells' own error
    // at this detail, chroma's amplified into red and blue), where chroma cells coarser than the output's
    // pixels were 11 off. The luma alone stays as close as the gray tests ask.
    assertThat(meanError(fast.pixels(), averaged(img, Thumbnailer.Color.RGB)), lessThan(4.0));
    assertThat(meanError(Thumbnailer.thumbnail(file, GRAY64).pixels(), averaged(img, Thumbnailer.Color.GRAY)), lessThan(1.25));
  }

  /** The picture's pixels averaged to 64x64, without JPEG. */
  private static byte[] averaged(BufferedImage img, Thumbnailer.Color color) {
    int w = img.getWidth();
    int h = img.getHeight();
    AreaAccumulator acc = new AreaAccumulator(color.channels, w, h, 1, 1, w, h, 64, 64, Thumbnailer.Fit.STRETCH);
    RasterRows.feedArgb(img.getRGB(0, 0, w, h, null, 0, w), w, h, color, acc);
    return Thumbnailer.quantize(acc.result(), 64 * 64);
  }

  private static double meanError(byte[] a, byte[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
    }
    return sum / a.length;
  }

  // ---- formats and their traps ----

  @Test
  public void sixteenBitGrayIsScaledToEightBitsLinearly() throws Exception {
    BufferedImage img = new BufferedImage(256, 64, BufferedImage.TYPE_USHORT_GRAY);
    short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 256; x++) {
        px[y * 256 + x] = (short) ((x / 4 * 4 + 2) * 257); // columns of four equal values
      }
    }
    Thumbnailer.Result r = Thumbnailer.thumbnail(encode(img, "png"), GRAY64);
    assertEquals(16, r.sourceBits());
    assertEquals(1, r.sourceChannels());
    for (int x = 0; x < 64; x++) {
      assertEquals("column " + x, x * 4 + 2, at(r, x, 10));
    }
  }

  @Test
  public void eightBitGrayIsNotBrightenedByColourConversion() throws Exception {
    Thumbnailer.Result r = thumb(encode(gray(128, 128, (x, y) -> 100), "png"));
    assertEquals(100, at(r, 5, 5));
    assertEquals(100.0, mean(r.pixels()), 0.0);
  }

  @Test
  public void exifOrientationIsApplied() throws Exception {
    // Left half white, right half black; orientation 6 means "rotate 90 degrees clockwise to display".
    for (int w : new int[] {1600, 200}) { // 1600: shrink-on-load; 200: full decode
      byte[] file = withSegment(jpeg(gray(w, w / 2, (x, y) -> x < w / 2 ? 255 : 0), 0.95f, false), 0xE1, exifOrientation(6));
      Thumbnailer.Result r = thumb(file);
      assertEquals(w / 2, r.sourceWidth());
      assertEquals(w, r.sourceHeight());
      assertThat("top is white (" + w + ")", at(r, 32, 5), greaterThan(240));
      assertThat("bottom is black (" + w + ")", at(r, 32, 58), lessThan(15));
    }
  }

  @Test
  public void tinyAndExtremeShapes() throws Exception {
    Thumbnailer.Result one = thumb(encode(gray(1, 1, (x, y) -> 77), "png"));
    assertEquals(64 * 64, one.pixels().length);
    for (byte p : one.pixels()) {
      assertEquals(77, p & 0xFF);
    }
    Thumbnailer.Result strip = thumb(encode(gray(20000, 3, (x, y) -> x < 10000 ? 0 : 200), "png"));
    assertEquals(0, at(strip, 10, 30));
    assertEquals(200, at(strip, 50, 30));
  }

  @Test
  public void alphaIsComposedOnWhiteAndPalettesAreResolved() throws Exception {
    BufferedImage clear = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB); // transparent black
    assertEquals(255, at(thumb(encode(clear, "png")), 3, 3));
    byte[] red = {(byte) 255, 0};
    byte[] zero = {0, 0};
    BufferedImage indexed = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, red, zero, zero));
    assertEquals(76, at(thumb(encode(indexed, "png")), 3, 3)); // BT.601 luma of pure red
  }

  @Test
  public void gifBmpTiffAndRgbPngDecode() throws Exception {
    BufferedImage rgb = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        rgb.setRGB(x, y, 0x808080);
      }
    }
    for (String format : List.of("gif", "bmp", "tiff", "png")) {
      Thumbnailer.Result r = thumb(encode(rgb, format));
      assertEquals(format, format, r.format());
      assertEquals(format, 128, at(r, 10, 10));
      assertEquals(300, r.sourceWidth());
    }
    Thumbnailer.Result colour = Thumbnailer.thumbnail(encode(rgb, "png"),
        new Thumbnailer.Settings(32, 16, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 1_000_000));
    assertEquals(32 * 16 * 3, colour.pixels().length);
  }

  @Test
  public void webpLosslessAndLossyDecode() throws Exception {
    for (String name : List.of("grad-lossless.webp", "grad-lossy.webp")) {
      byte[] file;
      try (java.io.InputStream in = getClass().getResourceAsStream("/images/" + name)) {
        file = in.readAllBytes();
      }
      Thumbnailer.Result r = Thumbnailer.thumbnail(file,
          new Thumbnailer.Settings(48, 32, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 1_000_000));
      assertEquals("webp", r.format());
      assertEquals(96, r.sourceWidth());
      assertEquals(64, r.sourceHeight());
      // Column x of the 48-wide result averages source columns 2x and 2x+1: values 4x and 4x+2.
      for (int x = 0; x < 48; x += 7) {
        assertEquals(name + " column " + x, 4 * x + 1, at(r, x, 16), name.contains("lossy") ? 4 : 1);
      }
    }
  }

  @Test
  public void cmykAndYcckJpegsDecodeThroughTheTwelveMonkeysPlugin() throws Exception {
    java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
        java.awt.image.DataBuffer.TYPE_BYTE, 120, 80, 4, null);
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 120; x++) {
        cmyk.setPixel(x, y, new int[] {0, 0, 0, 0});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    byte[] cmykFile = bytes.toByteArray();
    // The same four components declared YCCK by an Adobe APP14 segment (transform 2).
    byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 2};
    for (byte[] file : List.of(cmykFile, withSegment(cmykFile, 0xEE, adobe))) {
      Thumbnailer.Result r = thumb(file);
      assertEquals(4, r.sourceChannels());
      assertFalse(r.reducedOnLoad());
      double m = mean(r.pixels());
      for (byte p : r.pixels()) {
        assertEquals(m, p & 0xFF, 1.0); // uniform in, uniform out
      }
    }
  }

  @Test
  public void aBrokenIccProfileDoesNotLoseTheImage() throws Exception {
    byte[] payload = new byte[14 + 200];
    System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 12);
    payload[12] = 1;
    payload[13] = 1;
    Arrays.fill(payload, 14, payload.length, (byte) 0x33);
    byte[] file = withSegment(jpeg(gray(200, 150, (x, y) -> 90), 0.95f, false), 0xE2, payload);
    Thumbnailer.Result r = thumb(file);
    assertEquals(90, at(r, 20, 20), 2);
  }

  @Test
  public void fitsContainAndCover() throws Exception {
    BufferedImage wide = gray(400, 200, (x, y) -> 200);
    Thumbnailer.Result contain = Thumbnailer.thumbnail(encode(wide, "png"),
        new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.CONTAIN, Thumbnailer.Color.GRAY, 1_000_000));
    assertEquals(0, at(contain, 32, 2)); // letterbox
    assertEquals(200, at(contain, 32, 32));
    BufferedImage halves = gray(400, 200, (x, y) -> x < 100 || x >= 300 ? 0 : 200);
    Thumbnailer.Result cover = Thumbnailer.thumbnail(encode(halves, "png"),
        new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.COVER, Thumbnailer.Color.GRAY, 1_000_000));
    assertEquals(200, at(cover, 1, 32)); // the dark outer quarters are cropped away
    assertEquals(200, at(cover, 62, 32));
  }
}
