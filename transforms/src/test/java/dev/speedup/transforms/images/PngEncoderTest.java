package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.Test;

public class PngEncoderTest {

  /** What the project wrote before PngEncoder: ImageIO's PNG writer with its defaults. */
  private static byte[] imageIoPng(int width, int height, int channels, byte[] pixels) throws Exception {
    BufferedImage img =
        new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    byte[] target = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    if (channels == 1) {
      System.arraycopy(pixels, 0, target, 0, target.length);
    } else {
      for (int i = 0; i < pixels.length; i += 3) {
        target[i] = pixels[i + 2];
        target[i + 1] = pixels[i + 1];
        target[i + 2] = pixels[i];
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, "png", out));
    return out.toByteArray();
  }

  /** Smooth gradients with noise, as thumbnails are, or pure noise, which deflate cannot shrink. */
  private static byte[] pixels(Random random, int width, int height, int channels, boolean noise) {
    byte[] p = new byte[width * height * channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          int v = noise ? random.nextInt(256) : (x * 3 + y * 2 + c * 40 + random.nextInt(6)) & 0xff;
          p[(y * width + x) * channels + c] = (byte) v;
        }
      }
    }
    return p;
  }

  @Test
  public void writesTheBytesImageIoWrites() throws Exception {
    Random random = new Random(16);
    int[][] sizes = {{64, 64}, {1, 1}, {64, 1}, {1, 64}, {37, 91}, {224, 224}, {300, 200}};
    for (int[] size : sizes) {
      for (int channels : new int[] {1, 3}) {
        for (boolean noise : new boolean[] {false, true}) {
          byte[] p = pixels(random, size[0], size[1], channels, noise);
          String what = size[0] + "x" + size[1] + "x" + channels + (noise ? " noise" : " gradient");
          assertArrayEquals(what, imageIoPng(size[0], size[1], channels, p), PngEncoder.encode(size[0], size[1], channels, p));
        }
      }
    }
  }

  @Test
  public void aLargeImageSpreadsOverIdatChunksAsImageIoSplitsThem() throws Exception {
    byte[] p = pixels(new Random(7), 300, 200, 3, true); // 180 KB of noise: six IDAT chunks
    byte[] png = PngEncoder.encode(300, 200, 3, p);
    assertArrayEquals(imageIoPng(300, 200, 3, p), png);
    int idats = 0;
    for (int at = 8; at < png.length; ) {
      int length = ((png[at] & 0xff) << 24) | ((png[at + 1] & 0xff) << 16) | ((png[at + 2] & 0xff) << 8) | (png[at + 3] & 0xff);
      if (new String(png, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
        idats++;
        assertTrue(length <= 32_768);
      }
      at += 12 + length;
    }
    assertEquals(6, idats);
  }

  @Test
  public void readsBackAsTheSamePixels() throws Exception {
    byte[] p = pixels(new Random(3), 64, 48, 3, false);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(64, 48, 3, p)));
    assertEquals(64, back.getWidth());
    assertEquals(48, back.getHeight());
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        int rgb = back.getRGB(x, y);
        int i = (y * 64 + x) * 3;
        assertEquals((p[i] & 0xff) << 16 | (p[i + 1] & 0xff) << 8 | (p[i + 2] & 0xff), rgb & 0xffffff);
      }
    }
  }

  @Test
  public void refusesPixelsThatDoNotMatchTheSize() {
    assertThrows(IllegalArgumentException.class, () -> PngEncoder.encode(4, 4, 1, new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> PngEncoder.encode(4, 4, 2, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> PngEncoder.encode(0, 4, 1, new byte[0]));
  }
}
