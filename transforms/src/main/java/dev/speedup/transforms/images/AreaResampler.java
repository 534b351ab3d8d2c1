package dev.speedup.transforms.images;

/**
 * Area-averaging resampler: each output pixel is the mean of the source area it covers, fractional
 * overlaps weighted by their share. This is the anti-aliased reduction: a 1-pixel checkerboard comes out
 * mid-grey, whatever the factor. Sources are grids of cells in source-pixel units: single pixels for a
 * full decode, 8x8 block means for a shrink-on-load decode (the last row and column may be partial).
 * The taps are applied separably, rows first, by {@link AreaAccumulator}.
 */
final class AreaResampler {
  private AreaResampler() {}

  /** Per output index: the first source cell and the weights of the cells it covers. */
  record Taps(int[] first, float[][] weights) {}

  /**
   * Taps mapping {@code cells} cells, each {@code cell} source pixels wide (the last cut at {@code extent}),
   * onto {@code out} pixels covering source pixels {@code [from, to)}.
   */
  static Taps taps(int cells, int cell, int extent, double from, double to, int out) {
    int[] first = new int[out];
    float[][] weights = new float[out][];
    double step = (to - from) / out;
    for (int j = 0; j < out; j++) {
      double a = from + j * step;
      double b = from + (j + 1) * step;
      int c0 = Math.max(0, Math.min(cells - 1, (int) Math.floor(a / cell)));
      int c1 = Math.max(c0, Math.min(cells - 1, (int) Math.ceil(b / cell) - 1));
      float[] w = new float[c1 - c0 + 1];
      double total = 0;
      for (int c = c0; c <= c1; c++) {
        double lo = Math.max(a, (double) c * cell);
        double hi = Math.min(b, Math.min((double) (c + 1) * cell, extent));
        double overlap = Math.max(0, hi - lo);
        w[c - c0] = (float) overlap;
        total += overlap;
      }
      if (total <= 0) {
        w[0] = 1;
        total = 1;
        java.util.Arrays.fill(w, 1, w.length, 0f);
      }
      for (int k = 0; k < w.length; k++) {
        w[k] /= (float) total;
      }
      first[j] = c0;
      weights[j] = w;
    }
    return new Taps(first, weights);
  }
}
