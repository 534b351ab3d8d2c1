package dev.speedup.transforms.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Decoded pixels into an {@link AreaAccumulator}, a row at a time, as gray or RGB floats 0..255. Gray
 * sources are read from their raster (Java's gray colour space is linear, so going through sRGB would
 * brighten them); 16-bit samples are scaled to 8 bits; alpha is composed on white; everything else goes
 * through sRGB; gray from colour is ITU-R BT.601 luma, as JPEG's Y.
 */
final class RasterRows {
  private RasterRows() {}

  static void feed(BufferedImage image, Thumbnailer.Color color, AreaAccumulator acc) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    boolean grayModel = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
    float[] gray = new float[w];
    float[][] grayRows = color == Thumbnailer.Color.GRAY ? new float[][] {gray} : new float[][] {gray, gray, gray};
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY
        && raster.getDataBuffer() instanceof DataBufferByte bytes
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
        && sm.getPixelStride() == 1 && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      // The common case (8-bit gray JPEG or PNG): the samples straight from the backing array.
      byte[] data = bytes.getData();
      int stride = sm.getScanlineStride();
      for (int y = 0; y < h; y++) {
        if (acc.wants(y)) {
          int row = y * stride;
          for (int x = 0; x < w; x++) {
            gray[x] = data[row + x] & 0xFF;
          }
          acc.addRow(y, grayRows, 0);
        }
      }
      return;
    }
    int type = raster.getTransferType();
    if ((type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) && cm instanceof ComponentColorModel
        && (grayModel || cm.getColorSpace().isCS_sRGB())) {
      feedFloats(raster, grayModel, cm.hasAlpha(), color, acc);
      return;
    }
    if (grayModel) {
      int bands = raster.getNumBands();
      int max = (1 << cm.getComponentSize(0)) - 1;
      boolean alpha = bands == 2 && cm.hasAlpha();
      int amax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
      int[] row = new int[w * bands];
      for (int y = 0; y < h; y++) {
        if (acc.wants(y)) {
          raster.getPixels(0, y, w, 1, row);
          for (int x = 0; x < w; x++) {
            float v = row[x * bands] * 255f / max;
            if (alpha) {
              float a = row[x * bands + 1] / (float) amax;
              v = v * a + 255f * (1 - a);
            }
            gray[x] = v;
          }
          acc.addRow(y, grayRows, 0);
        }
      }
      return;
    }
    int[] argb = new int[w];
    Argb rows = new Argb(w, color);
    SrgbBytes bytes = srgbBytes(cm, raster);
    for (int y = 0; y < h; y++) {
      if (acc.wants(y)) {
        if (bytes != null) {
          bytes.row(raster, y, argb);
        } else {
          image.getRGB(0, y, w, 1, argb, 0, w);
        }
        rows.add(y, argb, 0, acc);
      }
    }
  }

  /**
   * Samples stored as floats (PFM), nominally 0..1: clamped first. The colour model's own conversion does
   * not clamp (a slightly negative sample came out white), and a gray one has no integer maximum.
   */
  private static void feedFloats(Raster raster, boolean gray, boolean alpha, Thumbnailer.Color color, AreaAccumulator acc) {
    int w = raster.getWidth();
    int bands = raster.getNumBands();
    int colours = gray ? 1 : 3;
    float[] samples = new float[w * bands];
    float[] r = new float[w];
    float[] g = gray ? r : new float[w];
    float[] b = gray ? r : new float[w];
    boolean rgb = color == Thumbnailer.Color.RGB;
    float[] luma = rgb || gray ? r : new float[w];
    float[][] rows = rgb ? new float[][] {r, g, b} : new float[][] {luma};
    for (int y = 0; y < raster.getHeight(); y++) {
      if (!acc.wants(y)) {
        continue;
      }
      raster.getPixels(0, y, w, 1, samples);
      for (int x = 0, i = 0; x < w; x++, i += bands) {
        float a = alpha ? unit(samples[i + colours]) : 1f;
        float white = 255f * (1 - a);
        r[x] = unit(samples[i]) * 255f * a + white;
        if (!gray) {
          g[x] = unit(samples[i + 1]) * 255f * a + white;
          b[x] = unit(samples[i + 2]) * 255f * a + white;
        }
      }
      if (luma != r) {
        for (int x = 0; x < w; x++) {
          luma[x] = 0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x];
        }
      }
      acc.addRow(y, rows, 0);
    }
  }

  /** A float sample clamped to 0..1 (NaN as 0). */
  private static float unit(float v) {
    return v > 0f ? Math.min(v, 1f) : 0f;
  }

  /**
   * Where R, G, B (and A, else -1) lie in each pixel of an 8-bit sRGB image interleaved in a byte array, as
   * offsets in the array, and the steps to the next pixel and row.
   */
  record SrgbBytes(int red, int green, int blue, int alpha, int pixelStride, int scanlineStride) {
    /** Row {@code y} as {@code 0xAARRGGBB}, read from the bytes where they lie. */
    void row(Raster raster, int y, int[] argb) {
      byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
      int i = y * scanlineStride + raster.getDataBuffer().getOffset();
      for (int x = 0; x < argb.length; x++, i += pixelStride) {
        int a = alpha < 0 ? 0xFF : data[i + alpha] & 0xFF;
        argb[x] = a << 24 | (data[i + red] & 0xFF) << 16 | (data[i + green] & 0xFF) << 8 | (data[i + blue] & 0xFF);
      }
    }
  }

  /**
   * The layout of an image that is 8-bit sRGB, interleaved in a byte array, alpha if any not premultiplied
   * (as ImageIO's JPEG and PNG readers give colour): then {@code getRGB}'s value is those bytes as they are,
   * and reading them spares a colour-model call per component per pixel. Otherwise null, and {@code getRGB}
   * converts.
   */
  static SrgbBytes srgbBytes(ColorModel cm, Raster raster) {
    if (!(cm instanceof ComponentColorModel) || !cm.getColorSpace().isCS_sRGB() || cm.isAlphaPremultiplied()
        || cm.getTransferType() != DataBuffer.TYPE_BYTE || !(raster.getDataBuffer() instanceof DataBufferByte)
        || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
        || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
      return null;
    }
    int bands = cm.getNumComponents();
    if (bands != 3 && bands != 4 || raster.getNumBands() != bands) {
      return null;
    }
    for (int c = 0; c < bands; c++) {
      if (cm.getComponentSize(c) != 8) {
        return null;
      }
    }
    int[] offsets = sm.getBandOffsets();
    return new SrgbBytes(offsets[0], offsets[1], offsets[2], bands == 4 ? offsets[3] : -1, sm.getPixelStride(), sm.getScanlineStride());
  }

  /** Rows of {@code 0xAARRGGBB} pixels (as WebP's decoder gives them) into an accumulator. */
  static void feedArgb(int[] argb, int w, int h, Thumbnailer.Color color, AreaAccumulator acc) {
    Argb rows = new Argb(w, color);
    for (int y = 0; y < h; y++) {
      if (acc.wants(y)) {
        rows.add(y, argb, y * w, acc);
      }
    }
  }

  /** One row's ARGB to floats: alpha on white, then RGB or luma. */
  private static final class Argb {
    final float[] r;
    final float[] g;
    final float[] b;
    final float[] gray;
    final float[][] rows;
    final boolean rgb;

    Argb(int w, Thumbnailer.Color color) {
      r = new float[w];
      g = new float[w];
      b = new float[w];
      rgb = color == Thumbnailer.Color.RGB;
      gray = rgb ? null : new float[w];
      rows = rgb ? new float[][] {r, g, b} : new float[][] {gray};
    }

    void add(int y, int[] argb, int from, AreaAccumulator acc) {
      int w = r.length;
      for (int x = 0; x < w; x++) {
        int p = argb[from + x];
        float a = (p >>> 24) / 255f;
        r[x] = ((p >> 16) & 0xFF) * a + 255f * (1 - a);
        g[x] = ((p >> 8) & 0xFF) * a + 255f * (1 - a);
        b[x] = (p & 0xFF) * a + 255f * (1 - a);
      }
      if (!rgb) {
        for (int x = 0; x < w; x++) {
          gray[x] = 0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x];
        }
      }
      acc.addRow(y, rows, 0);
    }
  }
}
