package dev.speedup.transforms.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.Test;

/**
 * Animated WebPs, made here from stills that libwebp's encoder wrote (webp-imageio), put into an animation's
 * container as the WebP container specification lays it out: each thumbnail is the first frame's, as it
 * sits on the canvas, decoded by libwebp.
 */
public class AnimatedWebpTest {
  private static final Thumbnailer.Settings RGB = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L);

  private static byte[] still(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue("webp-imageio's writer", ImageIO.write(image, "webp", out));
    return out.toByteArray();
  }

  /** The chunks of a still WebP after its RIFF header, as (FourCC, payload) pairs. */
  private static List<Object[]> chunks(byte[] webp) {
    List<Object[]> out = new ArrayList<>();
    for (int at = 12; at + 8 <= webp.length; ) {
      int length = (webp[at + 4] & 0xFF) | (webp[at + 5] & 0xFF) << 8 | (webp[at + 6] & 0xFF) << 16 | (webp[at + 7] & 0xFF) << 24;
      out.add(new Object[] {new String(webp, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1), java.util.Arrays.copyOfRange(webp, at + 8, at + 8 + length)});
      at += 8 + length + (length & 1);
    }
    return out;
  }

  private static void u24(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
  }

  private static void chunk(ByteArrayOutputStream out, String fourCc, byte[] payload) {
    out.writeBytes(fourCc.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    u24(out, payload.length);
    out.write(payload.length >>> 24);
    out.writeBytes(payload);
    if ((payload.length & 1) != 0) {
      out.write(0);
    }
  }

  /** An animation on a canvas of (w, h) whose frames are the given stills' bitstreams at (x, y) each. */
  private static byte[] animation(int w, int h, byte[][] frames, int[][] offsets) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WEBP".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    ByteArrayOutputStream vp8x = new ByteArrayOutputStream();
    vp8x.write(0x02 | 0x10); // animation, alpha
    u24(vp8x, 0);
    u24(vp8x, w - 1);
    u24(vp8x, h - 1);
    chunk(body, "VP8X", vp8x.toByteArray());
    chunk(body, "ANIM", new byte[] {0, 0, 0, 0, 0, 0});
    for (int i = 0; i < frames.length; i++) {
      int[] size = WebpDecoder.size(frames[i]);
      ByteArrayOutputStream anmf = new ByteArrayOutputStream();
      u24(anmf, offsets[i][0] / 2);
      u24(anmf, offsets[i][1] / 2);
      u24(anmf, size[0] - 1);
      u24(anmf, size[1] - 1);
      u24(anmf, 100);
      anmf.write(0);
      for (Object[] c : chunks(frames[i])) {
        if (!c[0].equals("VP8X")) {
          chunk(anmf, (String) c[0], (byte[]) c[1]);
        }
      }
      chunk(body, "ANMF", anmf.toByteArray());
    }
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    chunk(file, "RIFF", body.toByteArray());
    return file.toByteArray();
  }

  @Test
  public void anAnimationWhoseFirstFrameFillsTheCanvasGivesThatFramesThumbnail() throws Exception {
    byte[] first = still(WebpAndBudgetTest.picture(900, 600));
    byte[] second = still(WebpAndBudgetTest.picture(300, 200));
    byte[] animated = animation(900, 600, new byte[][] {first, second}, new int[][] {{0, 0}, {100, 60}});
    assertTrue(WebpDecoder.animated(animated));
    for (Thumbnailer.Color color : Thumbnailer.Color.values()) {
      Thumbnailer.Settings s = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, color, 100_000_000L);
      Thumbnailer.Result frame = Thumbnailer.thumbnail(animated, s);
      // The same bitstream through the same scaled decode: the same bytes as the still.
      assertArrayEquals(color.toString(), Thumbnailer.thumbnail(first, s).pixels(), frame.pixels());
      assertEquals(900, frame.sourceWidth());
      assertEquals(600, frame.sourceHeight());
      assertTrue(frame.reducedOnLoad());
    }
  }

  @Test
  public void aFirstFrameOnPartOfTheCanvasIsPlacedOnItAndTheRestIsTransparent() throws Exception {
    byte[] first = still(WebpAndBudgetTest.picture(600, 400));
    byte[] animated = animation(1200, 800, new byte[][] {first}, new int[][] {{300, 200}});
    Thumbnailer.Result thumb = Thumbnailer.thumbnail(animated, RGB);
    assertEquals(1200, thumb.sourceWidth());
    assertEquals(4, thumb.sourceChannels());
    // The reference: the frame decoded whole by libwebp, laid on a transparent canvas, averaged.
    int[] frame = WebpDecoder.decodeScaled(first, 600, 400);
    assertNotNull(frame);
    int[] canvas = new int[1200 * 800];
    for (int y = 0; y < 400; y++) {
      System.arraycopy(frame, y * 600, canvas, (200 + y) * 1200 + 300, 600);
    }
    AreaAccumulator acc = new AreaAccumulator(3, 1200, 800, 1, 1, 1200, 800, 64, 64, Thumbnailer.Fit.STRETCH);
    RasterRows.feedArgb(canvas, 1200, 800, Thumbnailer.Color.RGB, acc);
    byte[] reference = Thumbnailer.quantize(acc.result(), 64 * 64);
    // The frame is decoded at the canvas's reduced scale (1/6 here), where its top edge falls a third of a
    // pixel off the grid: output pixels across the frame's edges may differ more than the rest.
    double sum = 0;
    for (int i = 0; i < 64 * 64; i++) {
      int x = i % 64;
      int y = i / 64;
      boolean edge = x == 15 || x == 16 || x == 47 || x == 48 || y == 15 || y == 16 || y == 47 || y == 48;
      for (int c = 0; c < 3; c++) {
        int d = Math.abs((thumb.pixels()[3 * i + c] & 0xFF) - (reference[3 * i + c] & 0xFF));
        sum += d;
        assertThat("pixel " + x + "," + y, d, lessThanOrEqualTo(edge ? 48 : 8));
      }
    }
    assertThat("mean |difference|", sum / (3 * 64 * 64), lessThan(1.0));
    assertEquals("a corner the frame does not reach is white (transparent, on white)", (byte) 255, thumb.pixels()[0]);
    assertEquals((byte) 255, thumb.pixels()[3 * (64 * 64 - 1)]);
  }

  @Test
  public void aFirstFrameWithAlphaKeepsItsTransparency() throws Exception {
    BufferedImage rgba = new BufferedImage(400, 300, BufferedImage.TYPE_INT_ARGB);
    BufferedImage picture = WebpAndBudgetTest.picture(400, 300);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        rgba.setRGB(x, y, x < 200 ? picture.getRGB(x, y) : 0x00000000); // the right half transparent
      }
    }
    byte[] first = still(rgba);
    assertTrue("libwebp wrote the alpha into its own chunk", chunks(first).stream().anyMatch(c -> c[0].equals("ALPH")));
    byte[] animated = animation(400, 300, new byte[][] {first}, new int[][] {{0, 0}});
    Thumbnailer.Result thumb = Thumbnailer.thumbnail(animated, RGB);
    assertArrayEquals(Thumbnailer.thumbnail(first, RGB).pixels(), thumb.pixels());
    assertEquals("the transparent half is white", (byte) 255, thumb.pixels()[3 * 63]);
    assertEquals(4, thumb.sourceChannels());
  }

  @Test
  public void anAnimationWithoutAReadableFirstFrameIsCorrupt() throws Exception {
    byte[] first = still(WebpAndBudgetTest.picture(300, 200));
    byte[] animated = animation(300, 200, new byte[][] {first}, new int[][] {{0, 0}});
    byte[] cut = java.util.Arrays.copyOf(animated, 60); // inside the ANMF chunk
    byte[] outside = animation(200, 100, new byte[][] {first}, new int[][] {{0, 0}}); // a frame larger than its canvas
    byte[] damaged = animated.clone();
    for (int i = animated.length - 200; i < animated.length - 100; i++) {
      damaged[i] ^= 0x5A; // inside the frame's bitstream
    }
    for (byte[] bad : new byte[][] {cut, outside, damaged}) {
      Thumbnailer.ImageFailure f = assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(bad, RGB));
      assertEquals(f.getMessage(), FailureKind.CORRUPT_IMAGE, f.kind());
    }
    assertThat(assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(cut, RGB)).getMessage(),
        containsString("no readable first frame"));
  }
}
