package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.Test;

/**
 * EXIF orientation in PNG ({@code eXIf}) and WebP ({@code EXIF}) files, as in JPEG: the thumbnail shows the
 * image as displayed (libvips, Pillow and browsers turn such files too; they had come out unturned).
 */
public class OrientationTest {
  private static final Thumbnailer.Settings WIDE = new Thumbnailer.Settings(40, 30, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L);

  /** EXIF data as a TIFF header and one IFD with the orientation tag (big-endian). */
  static byte[] exif(int orientation) {
    return ByteBuffer.allocate(26).put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
        .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0).putInt(0).array();
  }

  /** {@code png} with an eXIf chunk after its header. */
  static byte[] withExifChunk(byte[] png, int orientation) {
    byte[] data = exif(orientation);
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length).putInt(data.length).put("eXIf".getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    int afterHeader = 8 + 12 + 13;
    return concat(java.util.Arrays.copyOf(png, afterHeader), chunk.array(), java.util.Arrays.copyOfRange(png, afterHeader, png.length));
  }

  /** A simple lossy WebP ({@code VP8 } chunk) made extended ({@code VP8X}) with an EXIF chunk. */
  static byte[] withExifChunk(byte[] webp, int width, int height, int orientation) {
    assertEquals("VP8 ", new String(webp, 12, 4, StandardCharsets.US_ASCII));
    byte[] image = java.util.Arrays.copyOfRange(webp, 12, webp.length);
    byte[] data = exif(orientation);
    ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN).put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10)
        .put((byte) 0x08).put(new byte[3]); // the EXIF flag
    putUint24(vp8x, width - 1);
    putUint24(vp8x, height - 1);
    ByteBuffer exifChunk = ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    byte[] body = concat("WEBP".getBytes(StandardCharsets.US_ASCII), vp8x.array(), image, exifChunk.array());
    ByteBuffer riff = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.length);
    return concat(riff.array(), body);
  }

  private static void putUint24(ByteBuffer b, int v) {
    b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] encode(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(format, ImageIO.write(image, format, out));
    return out.toByteArray();
  }

  /** The image turned a quarter clockwise: what orientation 6 displays. */
  static BufferedImage turnedClockwise(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        out.setRGB(src.getHeight() - 1 - y, x, src.getRGB(x, y));
      }
    }
    return out;
  }

  static void assertWithinALevel(String what, byte[] expected, byte[] actual) {
    assertEquals(what, expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(what + " at " + i + ": " + (expected[i] & 0xFF) + " vs " + (actual[i] & 0xFF), Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF)) <= 1);
    }
  }

  @Test
  public void aPngsOrientationIsAppliedStreamedOrDecodedWhole() throws Exception {
    BufferedImage picture = PngStreamTest.picture(BufferedImage.TYPE_INT_RGB, 300, 200);
    byte[] oriented = withExifChunk(encode(picture, "png"), 6);
    byte[] reference = encode(turnedClockwise(picture), "png");
    Thumbnailer.Result r = Thumbnailer.thumbnail(oriented, WIDE);
    assertEquals("displayed width", 200, r.sourceWidth());
    assertEquals("displayed height", 300, r.sourceHeight());
    // Turned before or after averaging: the same sums in another order, so within a level.
    assertWithinALevel("streamed", Thumbnailer.thumbnail(reference, WIDE).pixels(), r.pixels());
    assertWithinALevel("ImageIO's whole decode turns it too", Thumbnailer.thumbnailFully(reference, WIDE).pixels(),
        Thumbnailer.thumbnailFully(oriented, WIDE).pixels());
    // Interlaced (streamed pass by pass) and orientations that keep the sides (3: upside down).
    byte[] interlaced = withExifChunk(PngStreamTest.interlaced(picture), 6);
    assertWithinALevel("interlaced", r.pixels(), Thumbnailer.thumbnail(interlaced, WIDE).pixels());
    Thumbnailer.Result upsideDown = Thumbnailer.thumbnail(withExifChunk(encode(picture, "png"), 3), WIDE);
    assertEquals(300, upsideDown.sourceWidth());
    byte[] plain = Thumbnailer.thumbnail(encode(picture, "png"), WIDE).pixels();
    assertArrayEquals(ExifOrientation.apply(plain, 40, 30, 3, 3), upsideDown.pixels());
  }

  @Test
  public void aWebpsOrientationIsApplied() throws Exception {
    assertTrue("libwebp is bundled for this platform", WebpDecoder.available());
    BufferedImage picture = PngStreamTest.picture(BufferedImage.TYPE_INT_RGB, 600, 400);
    byte[] plain = encode(picture, "webp");
    byte[] oriented = withExifChunk(plain, 600, 400, 6);
    Thumbnailer.Result r = Thumbnailer.thumbnail(oriented, WIDE);
    assertEquals(400, r.sourceWidth());
    assertEquals(600, r.sourceHeight());
    // The same decode as the plain file's, to the target with its sides swapped, then turned.
    Thumbnailer.Settings tall = new Thumbnailer.Settings(30, 40, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L);
    assertArrayEquals(ExifOrientation.apply(Thumbnailer.thumbnail(plain, tall).pixels(), 30, 40, 3, 6), r.pixels());
    assertEquals("no EXIF chunk: as it is", 1, ExifOrientation.ofWebp(plain));
    assertEquals(6, ExifOrientation.ofWebp(oriented));
  }

  @Test
  public void brokenExifChunksLeaveTheImageAsItIs() throws Exception {
    byte[] png = encode(PngStreamTest.picture(BufferedImage.TYPE_INT_RGB, 30, 20), "png");
    byte[] withChunk = withExifChunk(png, 6);
    int payload = 8 + 12 + 13 + 8;
    for (int cut : new int[] {0, 3, 9, 20}) {
      byte[] broken = withChunk.clone();
      // An IFD offset or entry count pointing past the chunk; and an orientation of 9.
      broken[payload + 4 + cut % 4] = (byte) 0x7F;
      assertTrue(ExifOrientation.ofPng(broken) >= 1 && ExifOrientation.ofPng(broken) <= 8);
    }
    assertEquals(1, ExifOrientation.ofPng(withExifChunk(png, 9)));
    assertEquals(1, ExifOrientation.ofPng(java.util.Arrays.copyOf(withChunk, 40))); // cut inside the chunk
    assertEquals(1, ExifOrientation.ofWebp(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'E', 'X', 'I', 'F', -1, -1, -1, 127}));
  }
}
