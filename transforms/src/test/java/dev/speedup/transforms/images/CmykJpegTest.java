package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.TestImages.GRAY64;
import static dev.speedup.transforms.images.TestImages.RGB64;
import static dev.speedup.transforms.images.TestImages.assertCloseToFullDecode;
import static dev.speedup.transforms.images.TestImages.withSegment;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.Test;

/**
 * Four-component (CMYK and YCCK) JPEGs reduced on load, against the full decode through TwelveMonkeys'
 * reader: the same image within the reduction's usual differences, in gray and in colour, baseline and
 * progressive, with no profile and with an embedded one; what the reduced reader must leave to the full
 * decoder, it does.
 */
public class CmykJpegTest {

  /** Debian's libgs-common: a CMYK output profile (.ci/run installs it). */
  private static final Path GHOSTSCRIPT_CMYK = Path.of("/usr/share/color/icc/ghostscript/default_cmyk.icc");

  /** An Adobe APP14 payload with the given colour transform (0: CMYK, 2: YCCK). */
  static byte[] adobe(int transform) {
    return new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
  }

  /**
   * Four smooth fields with a few sharp edges, written by the JDK's writer as four plain components (it
   * converts nothing when handed a raster); an Adobe segment then says how to read them.
   */
  static byte[] fourComponents(int w, int h, boolean progressive) throws Exception {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[0] = 255 * x / w;
        px[1] = 100 + 56 * y / h;
        px[2] = (x / 37 + y / 53) % 2 == 0 ? 110 : 150; // moderate, so that read as YCbCr it does not clip
        px[3] = 128 + (int) (100 * Math.sin(x / 40.0) * Math.cos(y / 30.0));
        raster.setPixel(x, y, px);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.write(null, new IIOImage(raster, null, null), p);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** APP2 segments carrying {@code profile} in chunks of at most {@code chunk} bytes, numbered from 1. */
  static byte[] withProfile(byte[] jpeg, byte[] profile, int chunk) {
    int count = (profile.length + chunk - 1) / chunk;
    byte[] out = jpeg;
    for (int i = count - 1; i >= 0; i--) { // each goes right after SOI: last first keeps them in order
      byte[] part = Arrays.copyOfRange(profile, i * chunk, Math.min(profile.length, (i + 1) * chunk));
      byte[] payload = new byte[14 + part.length];
      System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 12);
      payload[12] = (byte) (i + 1);
      payload[13] = (byte) count;
      System.arraycopy(part, 0, payload, 14, part.length);
      out = withSegment(out, 0xE2, payload);
    }
    return out;
  }

  private static void assertReducedLikeFull(String what, byte[] file) throws Exception {
    for (Thumbnailer.Settings s : new Thumbnailer.Settings[] {GRAY64, RGB64}) {
      Thumbnailer.Result fast = Thumbnailer.thumbnail(file, s);
      Thumbnailer.Result full = Thumbnailer.thumbnailFully(file, s);
      assertTrue(what + " reduced on load", fast.reducedOnLoad());
      assertEquals(4, fast.sourceChannels());
      assertEquals(full.sourceWidth(), fast.sourceWidth());
      assertEquals(s.color().channels, fast.channels());
      assertCloseToFullDecode(what + " " + s.color(), fast.pixels(), full.pixels());
    }
  }

  @Test
  public void cmykAndYcckAreReducedOnLoadLikeTheFullDecode() throws Exception {
    byte[] plain = fourComponents(800, 600, false);
    assertReducedLikeFull("CMYK (Adobe transform 0)", withSegment(plain, 0xEE, adobe(0)));
    assertReducedLikeFull("YCCK (Adobe transform 2)", withSegment(plain, 0xEE, adobe(2)));
    assertReducedLikeFull("four components named C, M, Y, K, no Adobe segment", renamed(plain, "CMYK"));
  }

  @Test
  public void progressiveCmykIsReducedFromItsDcScans() throws Exception {
    byte[] file = withSegment(fourComponents(1600, 1000, true), 0xEE, adobe(0));
    assertEquals(0xC2, JpegFrame.parse(file).sof);
    assertReducedLikeFull("progressive CMYK", file);
  }

  @Test
  public void anEmbeddedCmykProfileConvertsTheCells() throws Exception {
    assumeTrue("needs " + GHOSTSCRIPT_CMYK + " (Debian's libgs-common)", Files.isReadable(GHOSTSCRIPT_CMYK));
    byte[] profile = Files.readAllBytes(GHOSTSCRIPT_CMYK);
    byte[] plain = withSegment(fourComponents(800, 600, false), 0xEE, adobe(0));
    byte[] inOne = withProfile(plain, profile, 65_000);
    byte[] inChunks = withProfile(plain, profile, 60_000); // four segments, as large profiles come
    assertReducedLikeFull("CMYK with a profile", inOne);
    assertReducedLikeFull("CMYK with a profile in 4 segments", inChunks);
    // The profile changes the colours: the same cells without it come out otherwise.
    Thumbnailer.Result with = Thumbnailer.thumbnail(inOne, RGB64);
    Thumbnailer.Result without = Thumbnailer.thumbnail(plain, RGB64);
    assertFalse(Arrays.equals(with.pixels(), without.pixels()));
  }

  @Test
  public void aDamagedProfileIsIgnoredAsTheFullDecoderIgnoresIt() throws Exception {
    byte[] cmyk = withSegment(fourComponents(800, 600, false), 0xEE, adobe(0));
    byte[] noProfile = Thumbnailer.thumbnail(cmyk, RGB64).pixels();
    byte[] garbage = new byte[3000];
    Arrays.fill(garbage, (byte) 0x5A);
    byte[] damaged = withProfile(cmyk, garbage, 65_000);
    assertReducedLikeFull("CMYK with a damaged profile", damaged);
    assertArrayEquals(noProfile, Thumbnailer.thumbnail(damaged, RGB64).pixels());
    // Segments that do not number 1..count (TwelveMonkeys' reader fails on these with a NullPointerException).
    byte[] misnumbered = withProfile(cmyk, garbage, 1000);
    misnumbered[indexOf(misnumbered, "ICC_PROFILE\0") + 12] = 3; // the first of three claims to be the third
    Thumbnailer.Result r = Thumbnailer.thumbnail(misnumbered, RGB64);
    assertTrue(r.reducedOnLoad());
    assertArrayEquals(noProfile, r.pixels());
  }

  @Test
  public void fourComponentsWithAlphaGoToTheFullDecoder() throws Exception {
    // Numbered 1 to 4 with no Adobe segment: YCbCr and alpha, as TwelveMonkeys reads them; so named RGBA.
    byte[] plain = fourComponents(800, 600, false);
    JpegFrame f = JpegFrame.parse(plain);
    assertTrue(f.components[0].id == 1 && f.components[3].id == 4);
    assertEquals(null, f.colors());
    assertFalse(Thumbnailer.thumbnail(plain, GRAY64).reducedOnLoad());
    assertEquals(null, JpegFrame.parse(renamed(plain, "RGBA")).colors());
    assertEquals(JpegFrame.Colors.CMYK, JpegFrame.parse(renamed(plain, "CMYK")).colors());
  }

  /** The JPEG with its four components renamed (in the frame header and in every scan header). */
  static byte[] renamed(byte[] jpeg, String ids) {
    byte[] d = jpeg.clone();
    int i = 2;
    while (i + 4 <= d.length) {
      int marker = d[i + 1] & 0xFF;
      int len = ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
      int start = i + 4;
      if (marker == 0xC0 || marker == 0xC2) {
        for (int c = 0; c < 4; c++) {
          d[start + 6 + 3 * c] = (byte) ids.charAt(d[start + 6 + 3 * c] - 1);
        }
      }
      i = start + len - 2;
      if (marker == 0xDA) {
        for (int s = 0; s < (d[start] & 0xFF); s++) {
          d[start + 1 + 2 * s] = (byte) ids.charAt(d[start + 1 + 2 * s] - 1);
        }
        // The entropy-coded data runs to the next marker that is not a stuffed byte or a restart.
        while (i + 1 < d.length && !((d[i] & 0xFF) == 0xFF && d[i + 1] != 0 && ((d[i + 1] & 0xFF) < 0xD0 || (d[i + 1] & 0xFF) > 0xD7))) {
          i++;
        }
      }
      if (marker == 0xD9) {
        break;
      }
    }
    return d;
  }

  private static int indexOf(byte[] data, String text) {
    byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + t.length <= data.length; i++) {
      for (int j = 0; j < t.length; j++) {
        if (data[i + j] != t[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(text + " not found");
  }
}
