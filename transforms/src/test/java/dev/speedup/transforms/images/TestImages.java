package dev.speedup.transforms.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** For the images tests: the thumbnail settings they share, image files made to order, and how close two thumbnails must be. */
final class TestImages {
  private TestImages() {}

  static final Thumbnailer.Settings GRAY64 =
      new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L);
  static final Thumbnailer.Settings RGB64 =
      new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L);

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

  static Thumbnailer.Result thumb(byte[] file) throws Exception {
    return Thumbnailer.thumbnail(file, GRAY64);
  }

  static Thumbnailer.ImageFailure failure(byte[] file) {
    return assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(file, GRAY64));
  }

  static int at(Thumbnailer.Result r, int x, int y) {
    return r.pixels()[(y * r.width() + x) * r.channels()] & 0xFF;
  }
}
