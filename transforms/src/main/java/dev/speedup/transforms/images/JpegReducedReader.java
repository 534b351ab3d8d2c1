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
 * four CMYK or YCCK ones in one interleaved scan, any sampling factors and restart intervals; progressive
 * ones (SOF2) at 1/8 from their DC scans alone (the AC scans are skipped unread), at 1/4 and 1/2 from all
 * their scans' coefficients ({@link JpegProgressive}). Colour comes out as RGB cells at the luma's
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
      sequential(data, f, perBlock, mcusX, mcusY, grids);
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

  /**
   * The block means of one interleaved scan (or of a one-component image's single scan) into {@code grids}:
   * per wanted component, {@code perBlock x perBlock} cells a block, rows of {@code mcusX * h * perBlock}.
   */
  private static void sequential(byte[] d, JpegFrame f, int perBlock, int mcusX, int mcusY, float[][] grids) throws CorruptException {
    Component[] comps = f.scan.components();
    for (Component c : comps) {
      if (f.dc[c.dcTable] == null || f.ac[c.acTable] == null || f.quant[c.tq] == null) {
        throw new CorruptException("the scan uses a table the file does not define");
      }
    }
    boolean single = comps.length == 1;
    if (single) {
      // A one-component scan is not interleaved: its MCU is one block of that component.
      Component c = comps[0];
      mcusX = f.blocksX(c);
      mcusY = f.blocksY(c);
    }
    int n = comps.length;
    float[][] target = new float[n][];
    int[] gridW = new int[n];
    float[] dcScale = new float[n];
    float[][] weights = new float[n][];
    float[][] sixteenths = new float[n][];
    int[][] skips = new int[n][];
    for (int s = 0; s < n; s++) {
      Component c = comps[s];
      int index = java.util.Arrays.asList(f.components).indexOf(c);
      target[s] = index < grids.length ? grids[index] : null;
      gridW[s] = (single ? mcusX : mcusX * c.h) * perBlock;
      dcScale[s] = f.quant[c.tq][0] / 8f;
      weights[s] = target[s] != null && perBlock == 2 ? JpegCellWeights.quadrants(f.quant[c.tq]) : null;
      sixteenths[s] = target[s] != null && perBlock == 4 ? JpegCellWeights.sixteenths(f.quant[c.tq]) : null;
      skips[s] = weights[s] == null && sixteenths[s] == null ? JpegHuffman.skipTable(f.ac[c.acTable]) : null;
      c.pred = 0;
    }
    JpegEntropy bits = JpegEntropy.of(d, f.scan.dataStart(), f.restartInterval > 0);
    byte[] data = bits.bytes;
    float[] cells = new float[16]; // a block's sixteen 2x2 cells at 1/2
    for (int my = 0; my < mcusY; my++) {
      for (int mx = 0; mx < mcusX; mx++) {
        if (bits.restartBeforeMcu(f.restartInterval)) {
          for (Component c : comps) {
            c.pred = 0;
          }
        }
        for (int s = 0; s < n; s++) {
          Component c = comps[s];
          int bh = single ? 1 : c.h;
          int bv = single ? 1 : c.v;
          JpegHuffman dcTable = f.dc[c.dcTable];
          JpegHuffman acTable = f.ac[c.acTable];
          int[] dcFast = dcTable.fast;
          int[] acSteps = acTable.acSteps;
          float[] w = weights[s];
          float[] w16 = sixteenths[s];
          int[] skip = skips[s];
          float[] grid = target[s];
          for (int by = 0; by < bv; by++) {
            for (int bx = 0; bx < bh; bx++) {
              // The bit reader lives in locals here: this loop is most of the work, and short runs use the
              // quick (C1) compiler, which keeps fields in memory. 32 bits are loaded whenever fewer are left
              // (a symbol takes at most 27).
              long acc = bits.acc;
              int count = bits.count;
              int pos = bits.pos;
              if (count < 32) {
                acc = (acc << 32) | ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
                pos += 4;
                count += 32;
              }
              int e = dcFast[(int) (acc >>> (count - 9)) & 511];
              int size;
              if (e != 0) {
                count -= e >>> 8;
                size = e & 0xFF;
              } else {
                bits.acc = acc;
                bits.count = count;
                size = bits.decodeLong(dcTable);
                acc = bits.acc;
                count = bits.count;
              }
              if (size > 11) {
                throw new CorruptException("bad DC difference in the image data");
              }
              if (size > 0) {
                c.pred += extend((int) (acc >>> (count - size)) & ((1 << size) - 1), size);
                count -= size;
              }
              float q0 = 0;
              float q1 = 0;
              float q2 = 0;
              float q3 = 0;
              if (w16 != null) {
                java.util.Arrays.fill(cells, 0f);
              }
              for (int k = 1; k < 64; ) {
                if (count < 32) {
                  acc = (acc << 32) | ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
                  pos += 4;
                  count += 32;
                }
                if (skip != null) {
                  int symbols = skip[(int) (acc >>> (count - JpegHuffman.SKIP_BITS)) & ((1 << JpegHuffman.SKIP_BITS) - 1)];
                  // Unless the symbols would run past the block's last coefficient (then one at a time).
                  if (symbols != 0 && k + ((symbols >>> 5) & 0xFF) < 64) {
                    count -= symbols & 31;
                    if ((symbols & JpegHuffman.SKIP_END_OF_BLOCK) != 0) {
                      break;
                    }
                    k += (symbols >>> 5) & 0xFF;
                    continue;
                  }
                }
                int step = acSteps[(int) (acc >>> (count - JpegHuffman.AC_LOOKUP_BITS)) & ((1 << JpegHuffman.AC_LOOKUP_BITS) - 1)];
                if (step == 0) {
                  bits.acc = acc;
                  bits.count = count;
                  step = JpegHuffman.acStep(bits.decodeLong(acTable), 0);
                  acc = bits.acc;
                  count = bits.count;
                }
                count -= step & 31; // the code and the magnitude bits after it
                int magnitude = (step >>> 5) & 15;
                if (w != null && magnitude != 0) {
                  int at = 4 * (k + ((step >>> 9) & 15));
                  float weight = w[at];
                  if (weight != 0f) {
                    float coefficient = extend((int) (acc >>> count) & ((1 << magnitude) - 1), magnitude);
                    q0 += coefficient * weight;
                    q1 += coefficient * w[at + 1];
                    q2 += coefficient * w[at + 2];
                    q3 += coefficient * w[at + 3];
                  }
                } else if (w16 != null && magnitude != 0) {
                  int at = 16 * (k + ((step >>> 9) & 15));
                  float coefficient = extend((int) (acc >>> count) & ((1 << magnitude) - 1), magnitude);
                  for (int cell = 0; cell < 16; cell++) {
                    cells[cell] += coefficient * w16[at + cell];
                  }
                }
                k += step >>> 13;
              }
              bits.acc = acc;
              bits.count = count;
              bits.pos = pos;
              if (bits.pastLimit(pos)) {
                throw new CorruptException("the JPEG data ends early (truncated file)");
              }
              if (grid != null) {
                int gx = (single ? mx : mx * c.h + bx) * perBlock;
                int gy = (single ? my : my * c.v + by) * perBlock;
                float mean = c.pred * dcScale[s] + 128f;
                int at = gy * gridW[s] + gx;
                grid[at] = mean + q0;
                if (perBlock == 2) {
                  grid[at + 1] = mean + q1;
                  grid[at + gridW[s]] = mean + q2;
                  grid[at + gridW[s] + 1] = mean + q3;
                } else if (perBlock == 4) {
                  for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                      grid[at + i * gridW[s] + j] = mean + cells[4 * i + j];
                    }
                  }
                }
              }
            }
          }
        }
        if (bits.overrun()) {
          throw new CorruptException("the JPEG data ends early (truncated file)");
        }
      }
    }
    bits.checkSegmentEnd();
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
