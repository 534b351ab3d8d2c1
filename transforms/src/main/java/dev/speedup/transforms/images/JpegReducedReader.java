package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegFrame.Component;

/**
 * Shrink-on-load for JPEGs: decodes the entropy-coded data but never runs a full inverse DCT. At 1/8 scale
 * each 8x8 block gives its DC coefficient, which is the block's mean (as libjpeg's {@code scale_denom=8},
 * used by libvips and Pillow's {@code draft()}). At 1/4 scale each block gives the means of its four 4x4
 * quadrants, computed exactly from the coefficients that do not cancel over a quadrant (row and column
 * frequencies 0, 1, 3, 5 and 7), and at 1/2 the means of its sixteen 2x2 cells from all of them
 * ({@link JpegCellWeights}): the same numbers as a full decode averaged over the cells, before rounding.
 *
 * <p>Sequential Huffman JPEGs (SOF0, SOF1) with 8-bit samples, one component, three YCbCr components or
 * four CMYK or YCCK ones in one interleaved scan, any sampling factors and restart intervals
 * ({@link JpegSequential}); progressive ones (SOF2) at 1/8 from their DC scans alone (the AC scans are
 * skipped unread), at 1/4 and 1/2 from all their scans' coefficients ({@link JpegProgressive}). Colour comes out as RGB cells at the luma's
 * resolution, each chroma cell spread over the luma cells it covers, converted after the reduction (YCbCr's
 * conversion is affine, so converting means is converting pixels and taking the mean; CMYK's,
 * {@link JpegInks}, is not, and is applied to the cells as libjpeg's scaled decode and libvips apply it).
 * Anything else (arithmetic, lossless, 12-bit, Adobe RGB, alpha, sequential files in several scans) returns
 * {@code null}: the caller decodes it fully instead. Damage (data ending early, bad codes, crafted headers)
 * throws {@link CorruptException}.
 */
public final class JpegReducedReader {
  /**
   * The reduced image: {@code cellsX x cellsY} means, each over a cell of {@code cellWidth x cellHeight}
   * pixels of the (unrotated) image; the last row and column of cells may reach past the image's edge.
   * {@code planes}: the luma alone, or R, G and B.
   */
  public record Reduced(int width, int height, int cellsX, int cellsY, int cellWidth, int cellHeight, float[][] planes) {
    /** The first plane: the luma of a gray reduction. */
    public float[] means() {
      return planes[0];
    }
  }

  /** Structural damage found while decoding (e.g. the data ends early). */
  public static final class CorruptException extends Exception {
    CorruptException(String message) {
      super(message);
    }
  }

  /** The header facts a caller needs before deciding anything: size, components, orientation. */
  public record Header(int width, int height, int components, int precision, boolean baseline, int orientation) {}

  private JpegReducedReader() {}

  /** The header of a JPEG; null if this is not one. */
  public static Header header(byte[] data) throws CorruptException {
    JpegFrame f = JpegFrame.parse(data);
    return f == null ? null : header(f);
  }

  static Header header(JpegFrame f) {
    return new Header(f.width, f.height, f.components.length, f.precision, f.sequential(), f.orientation);
  }

  /** {@link #read(byte[], JpegFrame, int, boolean)} of the luma, parsing the headers first. */
  public static Reduced read(byte[] data, int scale) throws CorruptException {
    JpegFrame f = JpegFrame.parse(data);
    return f == null ? null : read(data, f, scale, false);
  }

  /**
   * The image reduced on load by {@code scale} (8: one mean per 8x8 block; 4: one per 4x4 quadrant; 2: one
   * per 2x2 cell), as luma or as RGB, or null when this JPEG needs a full decoder.
   */
  static Reduced read(byte[] data, JpegFrame f, int scale, boolean rgb) throws CorruptException {
    if (scale != 8 && scale != 4 && scale != 2) {
      throw new IllegalArgumentException("scale must be 8, 4 or 2, not " + scale);
    }
    JpegFrame.Colors colors = f.colors();
    if (f.precision != 8 || colors == null || f.width == 0 || f.height == 0 || !(f.sequential() || f.progressive())) {
      return null;
    }
    if (f.scan == null) {
      throw new CorruptException("the JPEG has no image data");
    }
    JpegInks inks = colors == JpegFrame.Colors.LUMA_OR_YCC ? null : JpegInks.of(data, f);
    // Gray from CMYK needs every component too: it is the luma of the RGB they give.
    boolean every = rgb || inks != null;
    Component y = f.components[0];
    int hmax = f.maxH();
    int vmax = f.maxV();
    if (hmax % y.h != 0 || vmax % y.v != 0 || every && (y.h != hmax || y.v != vmax)) {
      return null; // luma blocks that do not tile the image evenly: leave it to the full decoder
    }
    int perBlock = 8 / scale;
    int mcusX = ceilDiv(f.width, 8 * hmax);
    int mcusY = ceilDiv(f.height, 8 * vmax);
    int wanted = every ? f.components.length : 1;
    float[][] grids;
    if (f.progressive()) {
      grids = JpegProgressive.grids(data, f, perBlock, mcusX, mcusY, wanted);
      if (grids == null) {
        return null;
      }
    } else {
      if (f.scan.components().length != f.components.length) {
        return null; // one scan must carry every component
      }
      grids = new float[wanted][];
      for (int c = 0; c < wanted; c++) {
        Component comp = f.components[c];
        grids[c] = new float[mcusX * comp.h * perBlock * mcusY * comp.v * perBlock];
      }
      JpegSequential.grids(data, f, perBlock, mcusX, mcusY, grids);
    }
    // Keep the cells that cover the image (the rest is MCU padding).
    int cellsX = ceilDiv(ceilDiv(f.width * y.h, hmax), scale);
    int cellsY = ceilDiv(ceilDiv(f.height * y.v, vmax), scale);
    float[][] planes = new float[wanted][];
    for (int c = 0; c < wanted; c++) {
      Component comp = f.components[c];
      int gridW = mcusX * comp.h * perBlock;
      float[] plane = new float[cellsX * cellsY];
      for (int row = 0; row < cellsY; row++) {
        int gy = row * comp.v / y.v; // a chroma cell covers y.v / comp.v luma cells
        for (int col = 0; col < cellsX; col++) {
          plane[row * cellsX + col] = grids[c][gy * gridW + col * comp.h / y.h];
        }
      }
      planes[c] = plane;
    }
    if (inks != null) {
      planes = inks.toRgb(planes, colors == JpegFrame.Colors.YCCK);
      if (!rgb) {
        planes = new float[][] {luma(planes)};
      }
    } else if (rgb) {
      planes = yccToRgb(planes);
    } else {
      clamp(planes[0]);
    }
    return new Reduced(f.width, f.height, cellsX, cellsY, scale * hmax / y.h, scale * vmax / y.v, planes);
  }

  private static void clamp(float[] plane) {
    for (int i = 0; i < plane.length; i++) {
      plane[i] = to255(plane[i]);
    }
  }

  /**
   * {@code v} clamped to 0..255. Not {@code Math.max(0f, Math.min(255f, v))}: the float versions, which order
   * -0 and NaN, are too large for the launcher's C1 to inline, and were a call per cell. The results agree
   * but for -0, which quantizes to 0 all the same.
   */
  private static float to255(float v) {
    return v < 0f ? 0f : v > 255f ? 255f : v;
  }

  /** ITU-R BT.601 luma of R, G and B planes (as the full decoder's path takes gray from colour). */
  private static float[] luma(float[][] rgb) {
    float[] gray = new float[rgb[0].length];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
    }
    return gray;
  }

  /** JFIF's YCbCr to RGB (ITU-R BT.601, full range), each channel clamped to 0..255. */
  private static float[][] yccToRgb(float[][] ycc) {
    if (ycc.length == 1) {
      clamp(ycc[0]);
      return new float[][] {ycc[0], ycc[0], ycc[0]};
    }
    int n = ycc[0].length;
    float[] r = new float[n];
    float[] g = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      float luma = ycc[0][i];
      float cb = ycc[1][i] - 128f;
      float cr = ycc[2][i] - 128f;
      r[i] = to255(luma + 1.402f * cr);
      g[i] = to255(luma - 0.344136f * cb - 0.714136f * cr);
      b[i] = to255(luma + 1.772f * cb);
    }
    return new float[][] {r, g, b};
  }

  static int extend(int v, int s) {
    return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
