package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.TestImages.*;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.Test;

/** Files that are not what they claim, or claim too much: each fails alone, with the kind that says why. */
public class BrokenImageFilesTest {
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
}
