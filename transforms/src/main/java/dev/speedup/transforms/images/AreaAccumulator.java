package dev.speedup.transforms.images;

/**
 * Area averaging fed one source row at a time, so no decoder has to hold a whole image as floats: each row
 * is reduced horizontally at once and added, weighted, into the output rows it falls in. The source is a
 * grid of cells in source-pixel units (single pixels for a full decode, block or quadrant means for a JPEG
 * reduced on load). The arithmetic is {@link AreaResampler}'s separable sum in the same order, rows first,
 * then columns, so a result does not depend on how the rows arrived.
 */
final class AreaAccumulator {
  /** Where the fitted image lies on the target canvas, and the part of the source it shows. */
  record Geometry(double x0, double x1, double y0, double y1, int width, int height, int offsetX, int offsetY) {
    static Geometry of(int srcW, int srcH, int tw, int th, Thumbnailer.Fit fit) {
      switch (fit) {
        case CONTAIN -> {
          double scale = Math.min((double) tw / srcW, (double) th / srcH);
          int ow = Math.max(1, Math.min(tw, (int) Math.round(srcW * scale)));
          int oh = Math.max(1, Math.min(th, (int) Math.round(srcH * scale)));
          return new Geometry(0, srcW, 0, srcH, ow, oh, (tw - ow) / 2, (th - oh) / 2);
        }
        case COVER -> {
          double scale = Math.max((double) tw / srcW, (double) th / srcH);
          double cw = tw / scale;
          double ch = th / scale;
          double x0 = (srcW - cw) / 2;
          double y0 = (srcH - ch) / 2;
          return new Geometry(x0, x0 + cw, y0, y0 + ch, tw, th, 0, 0);
        }
        default -> {
          return new Geometry(0, srcW, 0, srcH, tw, th, 0, 0);
        }
      }
    }
  }

  private final int channels;
  private final int tw;
  private final int th;
  private final Geometry g;
  private final AreaResampler.Taps tx;
  private final AreaResampler.Taps ty;
  private final float[][] sums;
  private final float[] reduced;
  /** The output rows source row r adds to: {@code outCount[r]} rows from {@code firstOut[r]}. */
  private final int[] firstOut;
  private final int[] outCount;
  private final int rowLo;
  private final int rowHi;

  /**
   * A {@code cellsX x cellsY} grid of cells {@code cellW x cellH} source pixels each, covering a
   * {@code srcW x srcH} image, fitted onto {@code tw x th}.
   */
  AreaAccumulator(int channels, int cellsX, int cellsY, int cellW, int cellH, int srcW, int srcH, int tw, int th, Thumbnailer.Fit fit) {
    this.channels = channels;
    this.tw = tw;
    this.th = th;
    this.g = Geometry.of(srcW, srcH, tw, th, fit);
    this.tx = AreaResampler.taps(cellsX, cellW, srcW, g.x0(), g.x1(), g.width());
    this.ty = AreaResampler.taps(cellsY, cellH, srcH, g.y0(), g.y1(), g.height());
    this.sums = new float[channels][g.width() * g.height()];
    this.reduced = new float[g.width()];
    int oh = g.height();
    rowLo = ty.first()[0];
    rowHi = ty.first()[oh - 1] + ty.weights()[oh - 1].length;
    firstOut = new int[cellsY];
    outCount = new int[cellsY];
    java.util.Arrays.fill(firstOut, -1);
    for (int i = 0; i < oh; i++) {
      for (int k = 0; k < ty.weights()[i].length; k++) {
        int r = ty.first()[i] + k;
        if (firstOut[r] < 0) {
          firstOut[r] = i;
        }
        outCount[r]++;
      }
    }
  }

  /** Whether row {@code r} counts at all (rows outside a cover crop do not): a decoder may skip converting it. */
  boolean wants(int r) {
    return r >= rowLo && r < rowHi && firstOut[r] >= 0;
  }

  /** Adds source row {@code r}: per channel, {@code cellsX} values from {@code offset} in {@code rows[c]}. */
  void addRow(int r, float[][] rows, int offset) {
    if (!wants(r)) {
      return;
    }
    int ow = g.width();
    for (int c = 0; c < channels; c++) {
      float[] src = rows[c];
      for (int j = 0; j < ow; j++) {
        float[] w = tx.weights()[j];
        int at = offset + tx.first()[j];
        float sum = 0;
        for (int k = 0; k < w.length; k++) {
          sum += w[k] * src[at + k];
        }
        reduced[j] = sum;
      }
      addReduced(r, c, reduced);
    }
  }

  /**
   * Adds what an interlaced pass holds of source row {@code r}: per channel, {@code n} values for the columns
   * x0, x0 + dx, ... Each output column takes the sum of its taps over those columns; the row's other
   * passes add the rest (the sums are additive), so a whole interlaced image adds up to the same averages.
   */
  void addSparseRow(int r, float[][] rows, int n, int x0, int dx) {
    if (!wants(r)) {
      return;
    }
    int ow = g.width();
    int end = x0 + (n - 1) * dx; // the last column held
    for (int c = 0; c < channels; c++) {
      float[] src = rows[c];
      for (int j = 0; j < ow; j++) {
        float[] w = tx.weights()[j];
        int first = tx.first()[j];
        int x = first <= x0 ? x0 : x0 + (first - x0 + dx - 1) / dx * dx; // the first column held within the taps
        float sum = 0;
        for (int last = Math.min(first + w.length - 1, end), i = (x - x0) / dx; x <= last; x += dx, i++) {
          sum += w[x - first] * src[i];
        }
        reduced[j] = sum;
      }
      addReduced(r, c, reduced);
    }
  }

  /**
   * The horizontal taps, for a decoder that reduces its rows itself ({@link #addReduced}): output column j
   * is the sum, in this order, of {@code tapWeights()[j][k]} times cell {@code tapFirst()[j] + k}.
   */
  int[] tapFirst() {
    return tx.first();
  }

  float[][] tapWeights() {
    return tx.weights();
  }

  /**
   * Adds channel {@code c} of source row {@code r}, already reduced horizontally by the taps above: the
   * second half of {@link #addRow}, so a row reduced elsewhere in the same order gives the same sums.
   */
  void addReduced(int r, int c, float[] reducedRow) {
    if (!wants(r)) {
      return;
    }
    int ow = g.width();
    float[] out = sums[c];
    for (int n = 0; n < outCount[r]; n++) {
      int i = firstOut[r] + n;
      float w = ty.weights()[i][r - ty.first()[i]];
      int o = i * ow;
      for (int j = 0; j < ow; j++) {
        out[o + j] += w * reducedRow[j];
      }
    }
  }

  /** The fitted planes on the {@code tw x th} canvas (outside the fitted image: 0, black). */
  float[][] result() {
    if (g.width() == tw && g.height() == th) {
      return sums;
    }
    float[][] out = new float[channels][];
    for (int c = 0; c < channels; c++) {
      float[] canvas = new float[tw * th];
      for (int y = 0; y < g.height(); y++) {
        System.arraycopy(sums[c], y * g.width(), canvas, (y + g.offsetY()) * tw + g.offsetX(), g.width());
      }
      out[c] = canvas;
    }
    return out;
  }
}
