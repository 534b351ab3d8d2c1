package dev.speedup.transforms.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.Test;

/** PNGs decoded as a stream give what ImageIO's whole-image decode gives; damaged ones fail as that file. */
public class PngStreamTest {
  static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /**
   * {@code png}, one IDAT of unfiltered rows (as the JDK's writer leaves every image without a palette), with
   * its rows filtered in turn None, Sub, Up, Average and Paeth, as the specification defines them: files from
   * libpng and libvips use every filter.
   */
  static byte[] everyFilter(byte[] png) throws Exception {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
    int width = b.getInt(16);
    int height = b.getInt(20);
    int bits = png[24];
    int channels = switch (png[25]) {
      case 0 -> 1;
      case 2 -> 3;
      case 4 -> 2;
      case 6 -> 4;
      default -> throw new IllegalArgumentException("colour type " + png[25]);
    };
    int bpp = Math.max(1, channels * bits / 8);
    int rowBytes = (width * channels * bits + 7) / 8;
    int idatAt = indexOf(png, "IDAT") - 4;
    byte[] raw = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(idatData(png))).readAllBytes();
    byte[] filtered = new byte[raw.length];
    for (int y = 0; y < height; y++) {
      int row = y * (rowBytes + 1);
      assertEquals("the writer left row " + y + " unfiltered", 0, raw[row]);
      int filter = y % 5;
      filtered[row] = (byte) filter;
      for (int i = 1; i <= rowBytes; i++) {
        int x = raw[row + i] & 0xFF;
        int left = i > bpp ? raw[row + i - bpp] & 0xFF : 0;
        int up = y > 0 ? raw[row - rowBytes - 1 + i] & 0xFF : 0;
        int upLeft = y > 0 && i > bpp ? raw[row - rowBytes - 1 + i - bpp] & 0xFF : 0;
        int p = left + up - upLeft;
        int predicted = switch (filter) {
          case 0 -> 0;
          case 1 -> left;
          case 2 -> up;
          case 3 -> (left + up) / 2;
          default -> Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft) ? left
              : Math.abs(p - up) <= Math.abs(p - upLeft) ? up : upLeft;
        };
        filtered[row + i] = (byte) (x - predicted);
      }
    }
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(deflated)) {
      z.write(filtered);
    }
    byte[] data = deflated.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, idatAt);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] typeAndData = new byte[4 + data.length];
    System.arraycopy("IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
    System.arraycopy(data, 0, typeAndData, 4, data.length);
    out.write(typeAndData);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(typeAndData);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    out.write(png, png.length - 12, 12); // IEND
    return out.toByteArray();
  }

  /**
   * Noise over gradients. With alpha, the left half fades in and the right half is opaque (the decoders treat an
   * opaque pixel on its own). The JDK's writer filters the rows of a palette image only: see {@link #everyFilter}.
   */
  static BufferedImage picture(int type, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, type);
    Random random = new Random(w * 31L + h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int n = random.nextInt(24);
        int a = type == BufferedImage.TYPE_INT_ARGB || type == BufferedImage.TYPE_4BYTE_ABGR ? Math.min(255, x * 510 / w) : 255;
        img.setRGB(x, y, a << 24 | Math.min(255, x * 200 / w + n) << 16 | Math.min(255, y * 200 / h + n) << 8 | (x + y + n) & 0xFF);
      }
    }
    return img;
  }

  @Test
  public void streamedRowsGiveExactlyWhatTheWholeImageDecodeGives() throws Exception {
    int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_BYTE_INDEXED,
        BufferedImage.TYPE_USHORT_GRAY};
    for (int type : types) {
      byte[] plain = png(picture(type, 613, 421));
      java.util.List<byte[]> files = type == BufferedImage.TYPE_BYTE_INDEXED ? java.util.List.of(plain) : java.util.List.of(plain, everyFilter(plain));
      for (byte[] file : files) {
        assertNotNull("read as a stream: type " + type, PngStream.header(file));
        for (Thumbnailer.Color color : Thumbnailer.Color.values()) {
          for (Thumbnailer.Fit fit : Thumbnailer.Fit.values()) {
            Thumbnailer.Settings s = new Thumbnailer.Settings(40, 30, fit, color, 100_000_000L);
            assertArrayEquals("type " + type + (file == plain ? "" : " every filter") + " " + color + " " + fit,
                Thumbnailer.thumbnailFully(file, s).pixels(), Thumbnailer.thumbnail(file, s).pixels());
          }
        }
      }
      if (files.size() > 1) {
        assertArrayEquals("refiltered, the same pixels", ImageIO.read(new java.io.ByteArrayInputStream(plain)).getRGB(0, 0, 613, 421, null, 0, 613),
            ImageIO.read(new java.io.ByteArrayInputStream(files.get(1))).getRGB(0, 0, 613, 421, null, 0, 613));
      }
    }
  }

  static byte[] interlaced(BufferedImage image) throws Exception {
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT); // Adam7
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * Adam7 files are streamed too, pass by pass: within a level of ImageIO's whole decode (the passes' sums are
   * added in another order). Sizes include ones smaller than a pass's first column or row, so some passes are
   * empty, and the 16-bit and palette layouts.
   */
  @Test
  public void interlacedPngsAreStreamedPassByPassAndGiveWhatTheWholeDecodeGives() throws Exception {
    int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_BYTE_INDEXED,
        BufferedImage.TYPE_USHORT_GRAY};
    int[][] sizes = {{613, 421}, {3, 2}, {1, 9}, {77, 5}};
    for (int type : types) {
      for (int[] size : sizes) {
        byte[] file = interlaced(picture(type, size[0], size[1]));
        PngStream.Header h = PngStream.header(file);
        assertNotNull("read as a stream: type " + type, h);
        assertTrue(h.interlaced());
        for (Thumbnailer.Color color : Thumbnailer.Color.values()) {
          for (Thumbnailer.Fit fit : Thumbnailer.Fit.values()) {
            Thumbnailer.Settings s = new Thumbnailer.Settings(40, 30, fit, color, 100_000_000L);
            byte[] whole = Thumbnailer.thumbnailFully(file, s).pixels();
            byte[] streamed = Thumbnailer.thumbnail(file, s).pixels();
            String what = "type " + type + " " + size[0] + "x" + size[1] + " " + color + " " + fit;
            assertEquals(what, whole.length, streamed.length);
            for (int i = 0; i < whole.length; i++) {
              assertTrue(what + " at " + i + ": " + (whole[i] & 0xFF) + " vs " + (streamed[i] & 0xFF),
                  Math.abs((whole[i] & 0xFF) - (streamed[i] & 0xFF)) <= 1);
            }
          }
        }
      }
    }
  }

  @Test
  public void lowBitDepthPngsAreLeftToImageIo() throws Exception {
    byte[] binary = png(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY));
    assertNull(PngStream.header(binary));
    Thumbnailer.Result r = Thumbnailer.thumbnail(binary, new Thumbnailer.Settings(8, 8, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 1_000_000L));
    assertEquals(0, r.pixels()[0]);
  }

  static Thumbnailer.ImageFailure failure(byte[] file) {
    return assertThrows(Thumbnailer.ImageFailure.class,
        () -> Thumbnailer.thumbnail(file, new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L)));
  }

  @Test
  public void truncatedAndDamagedPngsFail() throws Exception {
    byte[] file = png(picture(BufferedImage.TYPE_INT_RGB, 800, 600));
    for (int cut : new int[] {file.length / 3, file.length - 20, 40}) {
      Thumbnailer.ImageFailure f = failure(Arrays.copyOf(file, cut));
      assertEquals("cut at " + cut, FailureKind.CORRUPT_IMAGE, f.kind());
    }
    byte[] flipped = file.clone();
    flipped[file.length / 2] ^= 0x55; // inside IDAT: its CRC no longer matches
    assertThat(failure(flipped).getMessage(), containsString("CRC"));
    byte[] hugeHeader = file.clone();
    hugeHeader[16] = 0x7F; // width 2^31 - ish: refused from the header, nothing allocated
    fixCrc(hugeHeader, 8);
    assertEquals(FailureKind.TOO_MANY_PIXELS, failure(hugeHeader).kind());
  }

  /** The image data is inflated as raw deflate, so its zlib header is checked by PngStream itself. */
  @Test
  public void aDamagedZlibHeaderWithAValidCrcIsDamage() throws Exception {
    byte[] file = png(picture(BufferedImage.TYPE_INT_RGB, 200, 100));
    int idat = indexOf(file, "IDAT") - 4;
    for (int[] header : new int[][] {{0x78, 0x9D}, {0x79, 0x9C}, {0x78, 0xBB}}) {
      byte[] damaged = file.clone();
      damaged[idat + 8] = (byte) header[0];
      damaged[idat + 9] = (byte) header[1];
      fixCrc(damaged, idat);
      Thumbnailer.ImageFailure f = failure(damaged);
      assertEquals(String.format("zlib header %02x %02x", header[0], header[1]), FailureKind.CORRUPT_IMAGE, f.kind());
    }
  }

  /** The image data of {@code png}: its IDAT chunks' contents put together. */
  static byte[] idatData(byte[] png) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    for (int at = 8; at < png.length; ) {
      int length = b.getInt(at);
      if (png[at + 4] == 'I' && png[at + 5] == 'D' && png[at + 6] == 'A' && png[at + 7] == 'T') {
        idat.write(png, at + 8, length);
      }
      at += 12 + length;
    }
    return idat.toByteArray();
  }

  static int indexOf(byte[] d, String type) {
    for (int i = 0; i + 4 <= d.length; i++) {
      if (d[i] == type.charAt(0) && d[i + 1] == type.charAt(1) && d[i + 2] == type.charAt(2) && d[i + 3] == type.charAt(3)) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " chunk");
  }

  /** Recomputes the CRC of the chunk at {@code at} after an edit. */
  static void fixCrc(byte[] d, int at) {
    int length = java.nio.ByteBuffer.wrap(d, at, 4).getInt();
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(d, at + 4, 4 + length);
    java.nio.ByteBuffer.wrap(d, at + 8 + length, 4).putInt((int) crc.getValue());
  }
}
