package dev.speedup.transforms.images;

/** One unfiltered PNG row to floats, as {@link RasterRows} makes them from ImageIO's decode. */
final class PngRows {
  final PngStream.Header h;
  final boolean rgb;
  final float[] r;
  final float[] g;
  final float[] b;
  final float[] gray;
  final float[][] out;
  /** A gray thumbnail's row of 8-bit RGB or RGBA pixels, reduced horizontally (made at the first such row). */
  private float[] reduced;
  /** A palette image's entries as the floats {@link #argb} and the luma pass give them: a lookup per pixel. */
  private final float[][] paletteFloats;

  PngRows(PngStream.Header h, Thumbnailer.Color color) {
    this.h = h;
    this.rgb = color == Thumbnailer.Color.RGB;
    int w = h.width();
    gray = new float[w];
    boolean colourSource = h.colorType() == 2 || h.colorType() == 3 || h.colorType() == 6;
    r = colourSource ? new float[w] : gray;
    g = colourSource ? new float[w] : gray;
    b = colourSource ? new float[w] : gray;
    out = rgb ? new float[][] {r, g, b} : new float[][] {gray};
    paletteFloats = h.colorType() == 3 ? paletteFloats(h.palette()) : null;
  }

  /** Each entry through {@link #argb} itself, into the rows' first pixel (no row is held yet), so the floats are the same. */
  private float[][] paletteFloats(int[] palette) {
    int n = palette.length;
    float[][] entries = rgb ? new float[][] {new float[n], new float[n], new float[n]} : new float[][] {new float[n]};
    for (int i = 0; i < n; i++) {
      argb(0, palette[i]);
      if (rgb) {
        entries[0][i] = r[0];
        entries[1][i] = g[0];
        entries[2][i] = b[0];
      } else {
        entries[0][i] = 0.299f * r[0] + 0.587f * g[0] + 0.114f * b[0];
      }
    }
    return entries;
  }

  /** Sample {@code i} of a row: 8 bits as they are, 16 bits scaled to 8 as ImageIO's path does. */
  private float sample(byte[] row, int i) {
    if (h.bitDepth() == 8) {
      return row[1 + i] & 0xFF;
    }
    int v = ((row[1 + 2 * i] & 0xFF) << 8) | (row[2 + 2 * i] & 0xFF);
    return v * 255f / 65535;
  }

  /** Adds image row {@code y}, unfiltered (byte 0 is its filter type). */
  void add(int y, byte[] row, AreaAccumulator acc) {
    int w = h.width();
    if (h.bitDepth() == 8 && (h.colorType() == 2 || h.colorType() == 6) && !rgb) {
      // Luma computed where the horizontal average weighs it (the same floats, summed in the same order).
      if (h.colorType() == 2) {
        lumaRgb8(y, row, acc);
      } else {
        lumaRgba8(y, row, acc);
      }
      return;
    }
    fill(row, w);
    acc.addRow(y, out, 0);
  }

  /** Adds a row of an interlaced pass: its {@code columns} pixels lie on image row {@code y} at x0, x0 + dx, ... */
  void addPass(int y, byte[] row, int columns, int x0, int dx, AreaAccumulator acc) {
    fill(row, columns);
    acc.addSparseRow(y, out, columns, x0, dx);
  }

  /** The row's first {@code w} pixels into {@link #out}'s planes: RGB, or luma for a gray thumbnail. */
  private void fill(byte[] row, int w) {
    switch (h.colorType()) {
      case 0 -> {
        if (h.bitDepth() == 8) {
          float[] luma = gray;
          for (int x = 0; x < w; x++) {
            luma[x] = row[1 + x] & 0xFF;
          }
        } else {
          for (int x = 0; x < w; x++) {
            gray[x] = sample(row, x);
          }
        }
        return;
      }
      case 4 -> {
        for (int x = 0; x < w; x++) {
          float a = h.bitDepth() == 8 ? (row[2 + 2 * x] & 0xFF) / 255f : (((row[3 + 4 * x] & 0xFF) << 8) | (row[4 + 4 * x] & 0xFF)) / 65535f;
          gray[x] = sample(row, 2 * x) * a + 255f * (1 - a);
        }
        return;
      }
      case 3 -> {
        // The entries' floats looked up (argb() and the luma pass, computed once a palette entry in the
        // constructor); an index past the palette fails the file, as it did.
        for (int c = 0; c < out.length; c++) {
          float[] to = out[c];
          float[] entries = paletteFloats[c];
          for (int x = 0; x < w; x++) {
            to[x] = entries[row[1 + x] & 0xFF];
          }
        }
        return;
      }
      case 2 -> {
        if (h.bitDepth() == 8) {
          rgb8(row, w);
        } else {
          for (int x = 0; x < w; x++) {
            argb(x, 0xFF000000 | to8(row, 3 * x) << 16 | to8(row, 3 * x + 1) << 8 | to8(row, 3 * x + 2));
          }
        }
      }
      default -> {
        if (h.bitDepth() == 8) {
          rgba8(row, w);
        } else {
          for (int x = 0; x < w; x++) {
            argb(x, to8(row, 4 * x + 3) << 24 | to8(row, 4 * x) << 16 | to8(row, 4 * x + 1) << 8 | to8(row, 4 * x + 2));
          }
        }
      }
    }
    if (!rgb) {
      for (int x = 0; x < w; x++) {
        gray[x] = 0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x];
      }
    }
  }

  /**
   * Each 8-bit value's term of the luma sum, {@code 0.299f * v} and so on: the same float products the sum
   * computes per pixel (Java's float arithmetic is strict), looked up instead of converted and multiplied.
   */
  private static final float[] RED_LUMA = lumaTerms(0.299f);
  private static final float[] GREEN_LUMA = lumaTerms(0.587f);
  private static final float[] BLUE_LUMA = lumaTerms(0.114f);

  private static float[] lumaTerms(float weight) {
    float[] terms = new float[256];
    for (int v = 0; v < 256; v++) {
      terms[v] = weight * v;
    }
    return terms;
  }

  // The loops below are the bulk of a large PNG's conversion: written out per layout, with the arrays in
  // locals, since the launcher's C1 compiler neither inlines a per-pixel helper of this size nor hoists
  // field loads out of a loop. The floats are those argb() and the luma pass give.

  /** 8-bit RGB: opaque, so composing on white leaves each sample as it is. */
  private void rgb8(byte[] row, int w) {
    float[] red = r;
    float[] green = g;
    float[] blue = b;
    for (int x = 0, i = 1; x < w; x++, i += 3) {
      red[x] = row[i] & 0xFF;
      green[x] = row[i + 1] & 0xFF;
      blue[x] = row[i + 2] & 0xFF;
    }
  }

  /** 8-bit RGBA composed on white; an opaque pixel (alpha 255) composes to itself. */
  private void rgba8(byte[] row, int w) {
    float[] red = r;
    float[] green = g;
    float[] blue = b;
    for (int x = 0, i = 1; x < w; x++, i += 4) {
      int alpha = row[i + 3] & 0xFF;
      float vr = row[i] & 0xFF;
      float vg = row[i + 1] & 0xFF;
      float vb = row[i + 2] & 0xFF;
      if (alpha != 255) {
        float a = alpha / 255f;
        float white = 255f * (1 - a);
        vr = vr * a + white;
        vg = vg * a + white;
        vb = vb * a + white;
      }
      red[x] = vr;
      green[x] = vg;
      blue[x] = vb;
    }
  }

  // Gray thumbnails of 8-bit RGB and RGBA rows: each pixel's luma is computed where the horizontal average
  // weighs it, instead of into a row of luma that addRow reads back; the same floats summed in the same order.

  private float[] reducedRow(int columns) {
    if (reduced == null) {
      reduced = new float[columns];
    }
    return reduced;
  }

  private void lumaRgb8(int y, byte[] row, AreaAccumulator acc) {
    if (!acc.wants(y)) {
      return;
    }
    int[] first = acc.tapFirst();
    float[][] weights = acc.tapWeights();
    float[] sums = reducedRow(first.length);
    float[] redLuma = RED_LUMA;
    float[] greenLuma = GREEN_LUMA;
    float[] blueLuma = BLUE_LUMA;
    for (int j = 0; j < first.length; j++) {
      float[] w = weights[j];
      float sum = 0;
      for (int k = 0, i = 1 + 3 * first[j]; k < w.length; k++, i += 3) {
        sum += w[k] * (redLuma[row[i] & 0xFF] + greenLuma[row[i + 1] & 0xFF] + blueLuma[row[i + 2] & 0xFF]);
      }
      sums[j] = sum;
    }
    acc.addReduced(y, 0, sums);
  }

  private void lumaRgba8(int y, byte[] row, AreaAccumulator acc) {
    if (!acc.wants(y)) {
      return;
    }
    int[] first = acc.tapFirst();
    float[][] weights = acc.tapWeights();
    float[] sums = reducedRow(first.length);
    float[] redLuma = RED_LUMA;
    float[] greenLuma = GREEN_LUMA;
    float[] blueLuma = BLUE_LUMA;
    for (int j = 0; j < first.length; j++) {
      float[] w = weights[j];
      float sum = 0;
      for (int k = 0, i = 1 + 4 * first[j]; k < w.length; k++, i += 4) {
        int alpha = row[i + 3] & 0xFF;
        float luma;
        if (alpha == 255) {
          luma = redLuma[row[i] & 0xFF] + greenLuma[row[i + 1] & 0xFF] + blueLuma[row[i + 2] & 0xFF];
        } else {
          float a = alpha / 255f;
          float white = 255f * (1 - a);
          float vr = (row[i] & 0xFF) * a + white;
          float vg = (row[i + 1] & 0xFF) * a + white;
          float vb = (row[i + 2] & 0xFF) * a + white;
          luma = 0.299f * vr + 0.587f * vg + 0.114f * vb;
        }
        sum += w[k] * luma;
      }
      sums[j] = sum;
    }
    acc.addReduced(y, 0, sums);
  }

  /** A 16-bit sample as sRGB conversion gives it to getRGB: rounded to 8 bits. */
  private static int to8(byte[] row, int i) {
    int v = ((row[1 + 2 * i] & 0xFF) << 8) | (row[2 + 2 * i] & 0xFF);
    return (v * 255 + 32767) / 65535;
  }

  private void argb(int x, int p) {
    float a = (p >>> 24) / 255f;
    r[x] = ((p >> 16) & 0xFF) * a + 255f * (1 - a);
    g[x] = ((p >> 8) & 0xFF) * a + 255f * (1 - a);
    b[x] = (p & 0xFF) * a + 255f * (1 - a);
  }
}
