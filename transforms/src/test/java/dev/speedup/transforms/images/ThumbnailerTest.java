package dev.speedup.transforms.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.fixtures.XrayImage;
import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.Test;

public class ThumbnailerTest {
  static final Thumbnailer.Settings GRAY64 =
      new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L);
  static final Thumbnailer.Settings RGB64 =
      new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L);

  // ---- helpers that make image files ----

  static byte[] encode(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue("writer for " + format, ImageIO.write(image, format, out));
    return out.toByteArray();
  }

  static byte[] jpeg(BufferedImage image, float quality, boolean progressive) throws Exception {
    return jpeg(image, quality, progressive, 0);
  }

  /** A JPEG from the JDK's writer; {@code restartInterval > 0} adds a DRI segment and RSTn markers every that many MCUs. */
  static byte[] jpeg(BufferedImage image, float quality, boolean progressive, int restartInterval) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      javax.imageio.metadata.IIOMetadata metadata =
          writer.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), p);
      if (restartInterval > 0) {
        String format = "javax_imageio_jpeg_image_1.0";
        org.w3c.dom.Node root = metadata.getAsTree(format);
        org.w3c.dom.Node markers = root.getLastChild(); // markerSequence
        javax.imageio.metadata.IIOMetadataNode dri = new javax.imageio.metadata.IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(restartInterval));
        markers.insertBefore(dri, markers.getFirstChild());
        metadata.setFromTree(format, root);
      }
      writer.write(null, new IIOImage(image, null, metadata), p);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static BufferedImage gray(int w, int h, java.util.function.IntBinaryOperator value) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (byte) value.applyAsInt(x, y);
      }
    }
    return img;
  }

  /** Inserts a segment (marker + payload) right after SOI. */
  static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
    b.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload).put(jpeg, 2, jpeg.length - 2);
    return b.array();
  }

  /** An APP1 EXIF payload carrying only an orientation tag. */
  static byte[] exifOrientation(int orientation) {
    ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4);
    b.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
    b.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    b.putInt(0);
    return b.array();
  }

  static Thumbnailer.Result thumb(byte[] file) throws Exception {
    return Thumbnailer.thumbnail(file, GRAY64);
  }

  static Thumbnailer.ImageFailure failure(byte[] file) {
    return assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(file, GRAY64));
  }

  static int at(Thumbnailer.Result r, int x, int y) {
    return r.pixels()[(y * r.width() + x) * r.channels()] & 0xFF;
  }

  /**
   * The shrink-on-load result against the full decode: unbiased, nearly always within a level or two;
   * single pixels differ more only where a sharp edge falls inside a partly covered 8x8 block (measured
   * over 30 corpus images: 94% within 1, 99.4% within 3, worst 13; per image the mean |difference| is
   * below 1.25 levels; the reduced path leaves at least 1.5 cells, of 8x8 or 4x4 pixels, to an output pixel).
   */
  static void assertCloseToFullDecode(String what, byte[] fast, byte[] full) {
    double sumAbs = 0;
    double sumSigned = 0;
    int within3 = 0;
    int max = 0;
    for (int i = 0; i < fast.length; i++) {
      int d = (fast[i] & 0xFF) - (full[i] & 0xFF);
      sumAbs += Math.abs(d);
      sumSigned += d;
      within3 += Math.abs(d) <= 3 ? 1 : 0;
      max = Math.max(max, Math.abs(d));
    }
    assertThat(what + " mean |difference|", sumAbs / fast.length, lessThan(1.25));
    assertThat(what + " bias", Math.abs(sumSigned / fast.length), lessThan(0.3));
    assertThat(what + " share within 3 levels", within3 / (double) fast.length, greaterThan(0.95));
    assertThat(what + " largest difference", max, lessThanOrEqualTo(24));
  }

  static double mean(byte[] px) {
    double s = 0;
    for (byte b : px) {
      s += b & 0xFF;
    }
    return s / px.length;
  }

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

  // ---- hostile and broken files ----

  @Test
  public void truncatedJpegsFailInsteadOfComingOutGrey() throws Exception {
    byte[] large = jpeg(gray(1200, 900, (x, y) -> (x * y) & 0xFF), 0.9f, false);
    byte[] small = jpeg(gray(200, 150, (x, y) -> (x * y) & 0xFF), 0.9f, false);
    for (byte[] whole : List.of(large, small)) {
      Thumbnailer.ImageFailure f = failure(Arrays.copyOf(whole, whole.length * 2 / 3));
      assertEquals(FailureKind.CORRUPT_IMAGE, f.kind());
    }
  }

  @Test
  public void emptyFilesTextAndUnknownFormatsFailWithAClearKind() throws Exception {
    assertEquals(FailureKind.EMPTY_FILE, failure(new byte[0]).kind());
    Thumbnailer.ImageFailure text = failure("this is not a picture\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(FailureKind.NOT_AN_IMAGE, text.kind());
    assertThat(text.getMessage(), containsString("not an image"));
    byte[] heic = new byte[32];
    System.arraycopy("\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 0, 12);
    assertEquals(FailureKind.UNSUPPORTED_FORMAT, failure(heic).kind());
    // Other ISO media (a video) is not called HEIF; JPEG XL (both forms), GIMP's and OpenEXR files are named.
    byte[] video = heic.clone();
    System.arraycopy("isom".getBytes(StandardCharsets.ISO_8859_1), 0, video, 8, 4);
    assertEquals(FailureKind.NOT_AN_IMAGE, failure(video).kind());
    byte[] jxlContainer = Arrays.copyOf(new byte[] {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A}, 32);
    for (byte[] named : List.of(Arrays.copyOf(new byte[] {(byte) 0xFF, 0x0A, (byte) 0xFA}, 32), jxlContainer)) {
      Thumbnailer.ImageFailure f = failure(named);
      assertEquals(FailureKind.UNSUPPORTED_FORMAT, f.kind());
      assertThat(f.getMessage(), containsString("JPEG XL"));
    }
    assertThat(failure(Arrays.copyOf("gimp xcf v011\0".getBytes(StandardCharsets.ISO_8859_1), 32)).getMessage(), containsString("GIMP"));
    assertThat(failure(Arrays.copyOf(new byte[] {0x76, 0x2F, 0x31, 0x01}, 32)).getMessage(), containsString("OpenEXR"));
    assertThat("a decoder's exception without a message is named", failure(new byte[] {'I', 'I', 42, 0}).getMessage(), not(endsWith("null")));
    // What an icon folder holds besides PNGs (/usr/share/icons): named, not called "not an image".
    String svg = "\uFEFF<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>\n";
    Thumbnailer.ImageFailure vector = failure(svg.getBytes(StandardCharsets.UTF_8));
    assertEquals(FailureKind.UNSUPPORTED_FORMAT, vector.kind());
    assertThat(vector.getMessage(), containsString("SVG"));
    assertThat(failure("/* XPM */\nstatic char *x[] = {\"1 1 1 1\", \"a c #000\", \"a\"};\n".getBytes(StandardCharsets.US_ASCII)).getMessage(),
        containsString("XPM"));
    assertThat(failure("Xcur\u0010\0\0\0\0\0\1\0".getBytes(StandardCharsets.ISO_8859_1)).getMessage(), containsString("X cursor"));
    assertEquals("an HTML page is not an image", FailureKind.NOT_AN_IMAGE,
        failure("<!DOCTYPE html><html><body><svg width=\"8\" height=\"8\"/></body></html>".getBytes(StandardCharsets.UTF_8)).kind());
    byte[] png = encode(gray(50, 50, (x, y) -> x), "png");
    byte[] broken = Arrays.copyOf(png, png.length);
    Arrays.fill(broken, 40, broken.length - 12, (byte) 0x5A);
    assertEquals(FailureKind.CORRUPT_IMAGE, failure(broken).kind());
  }

  /** A 100x90 gray TIFF in 64x64 tiles (its right and bottom tiles overhang, as tiles do), or in {@code tile} declared. */
  static byte[] tiledTiff(int declaredTile) throws Exception {
    if (declaredTile > 0) {
      // Written by hand: IFD0 of 10 entries, the tiles' offsets and sizes pointing past the end (never reached).
      ByteBuffer b = ByteBuffer.allocate(8 + 2 + 10 * 12 + 4 + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      b.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) 10);
      int[][] entries = {{256, 4, 1, 100}, {257, 4, 1, 90}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1}, {277, 3, 1, 1},
          {322, 4, 1, declaredTile}, {323, 4, 1, declaredTile}, {324, 4, 1, 200}, {325, 4, 1, 100}};
      for (int[] e : entries) {
        b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]).putInt(e[3]);
      }
      return b.putInt(0).array();
    }
    javax.imageio.ImageWriter writer = null;
    for (java.util.Iterator<javax.imageio.ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
      javax.imageio.ImageWriter w = it.next();
      if (w.getDefaultWriteParam().canWriteTiles()) {
        writer = w;
      }
    }
    assertTrue("a TIFF writer that writes tiles (the JDK's)", writer != null);
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    param.setTilingMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
    param.setTiling(64, 64, 0, 0);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new javax.imageio.IIOImage(gray(100, 90, (x, y) -> (x * 2 + y) & 0xFF), null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * Tiles larger than their image (a crafted 200-byte TIFF declaring 100x90 pixels in tiles of 2^31 had run a
   * 384 MB heap out of memory inside the decoder) fail that file; real tiles, overhanging the edge, decode.
   */
  @Test
  public void aTiffWhoseTilesAreLargerThanItsImageFailsAlone() throws Exception {
    Thumbnailer.Result tiled = thumb(tiledTiff(0));
    assertEquals(100, tiled.sourceWidth());
    for (int tile : new int[] {0x7FFFFFF0, 65536, 1040}) {
      Thumbnailer.ImageFailure f = failure(tiledTiff(tile));
      assertEquals(FailureKind.CORRUPT_IMAGE, f.kind());
      assertThat(f.getMessage(), containsString("tiles of " + tile + "x" + tile));
    }
  }

  @Test
  public void aHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
    byte[] jpg = jpeg(gray(64, 64, (x, y) -> x), 0.9f, false);
    for (int i = 2; i < jpg.length - 8; i++) {
      if ((jpg[i] & 0xFF) == 0xFF && (jpg[i + 1] & 0xFF) == 0xC0) {
        ByteBuffer.wrap(jpg, i + 5, 4).putShort((short) 30000).putShort((short) 30000);
        break;
      }
    }
    Thumbnailer.ImageFailure f = failure(jpg);
    assertEquals(FailureKind.TOO_MANY_PIXELS, f.kind());
    assertThat(f.getMessage(), containsString("30000x30000"));

    byte[] png = encode(gray(64, 64, (x, y) -> x), "png");
    ByteBuffer.wrap(png, 16, 8).putInt(30000).putInt(30000);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
    assertEquals(FailureKind.TOO_MANY_PIXELS, failure(png).kind());
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
