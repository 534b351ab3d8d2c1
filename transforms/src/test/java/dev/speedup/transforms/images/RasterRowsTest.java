package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Random;
import org.junit.Test;

/** The bytes of 8-bit sRGB images read as they lie give what {@code getRGB} gives; other images are left to it. */
public class RasterRowsTest {
  private static BufferedImage noise(BufferedImage image, long seed) {
    Random random = new Random(seed);
    WritableRaster raster = image.getRaster();
    int[] pixel = new int[raster.getNumBands()];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        for (int b = 0; b < pixel.length; b++) {
          pixel[b] = random.nextInt(256);
        }
        raster.setPixel(x, y, pixel);
      }
    }
    return image;
  }

  /** An RGB image laid out as TwelveMonkeys' JPEG reader gives one: sRGB components in R, G, B byte order. */
  private static BufferedImage componentRgb(int w, int h) {
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 3 * w, 3, new int[] {0, 1, 2}, null),
        false, null);
  }

  private static void assertRowsAsGetRgb(BufferedImage image) {
    RasterRows.SrgbBytes bytes = RasterRows.srgbBytes(image.getColorModel(), image.getRaster());
    assertNotNull("read from its bytes", bytes);
    int w = image.getWidth();
    int[] expected = new int[w];
    int[] actual = new int[w];
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, w, 1, expected, 0, w);
      bytes.row(image.getRaster(), y, actual);
      assertArrayEquals("row " + y, expected, actual);
    }
  }

  @Test
  public void eightBitSrgbImagesReadFromTheirBytesGiveGetRgbsPixels() {
    assertRowsAsGetRgb(noise(new BufferedImage(37, 11, BufferedImage.TYPE_3BYTE_BGR), 1));
    assertRowsAsGetRgb(noise(new BufferedImage(37, 11, BufferedImage.TYPE_4BYTE_ABGR), 2));
    assertRowsAsGetRgb(noise(componentRgb(29, 7), 3));
  }

  @Test
  public void otherImagesAreLeftToGetRgb() {
    BufferedImage premultiplied = new BufferedImage(8, 8, BufferedImage.TYPE_4BYTE_ABGR_PRE);
    assertNull(RasterRows.srgbBytes(premultiplied.getColorModel(), premultiplied.getRaster()));
    BufferedImage packed = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    assertNull(RasterRows.srgbBytes(packed.getColorModel(), packed.getRaster()));
    ComponentColorModel linear = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    assertNull(RasterRows.srgbBytes(linear, linear.createCompatibleWritableRaster(8, 8)));
    BufferedImage sub = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR).getSubimage(3, 5, 8, 8);
    assertNull("a window into a larger raster", RasterRows.srgbBytes(sub.getColorModel(), sub.getRaster()));
  }
}
