package dev.speedup.transforms.images;

/**
 * The reductions' arithmetic: how each quantised DCT coefficient of an 8x8 block adds to the means of the
 * block's cells, its four 4x4 quadrants (1/4 scale) or its sixteen 2x2 cells (1/2 scale): the inverse DCT
 * averaged over the cell, dequantisation folded in. Used by the sequential reader ({@link JpegReducedReader})
 * and the progressive one ({@link JpegProgressive}) alike.
 */
final class JpegCellWeights {
  private JpegCellWeights() {}

  /** Room for coefficient positions up to 79: a corrupt zero run may point past 63. */
  static final int POSITIONS = 80;

  /** The natural (row-major) index of each zigzag position. */
  private static final int[] ZIGZAG = {
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63
  };

  /** The mean of the DCT basis cos((2x+1) u pi / 16) over x = 0..3, the first half of a block. */
  private static double halfBlockMean(int u) {
    double sum = 0;
    for (int x = 0; x < 4; x++) {
      sum += Math.cos((2 * x + 1) * u * Math.PI / 16);
    }
    return sum / 4;
  }

  /**
   * For each zigzag position k, the weights with which a quantised coefficient adds to the means of the
   * block's four 4x4 quadrants (top left, top right, bottom left, bottom right: {@code [4k .. 4k+3]}):
   * the inverse DCT averaged over the quadrant, dequantisation folded in. Over the second half of a block a
   * basis function of odd frequency is the first half's negated, of even frequency the same; even
   * frequencies above 0 average to zero over a half, so only 24 of the 63 AC terms count.
   */
  static float[] quadrants(int[] quant) {
    float[] w = new float[4 * POSITIONS];
    for (int k = 1; k < 64; k++) {
      int u = ZIGZAG[k] % 8;
      int v = ZIGZAG[k] / 8;
      double cu = u == 0 ? Math.sqrt(0.5) : 1;
      double cv = v == 0 ? Math.sqrt(0.5) : 1;
      double weight = 0.25 * cu * cv * halfBlockMean(u) * halfBlockMean(v) * quant[k];
      if (Math.abs(weight) < 1e-9) {
        continue;
      }
      float sx = u % 2 == 1 ? -1f : 1f;
      float sy = v % 2 == 1 ? -1f : 1f;
      w[4 * k] = (float) weight;
      w[4 * k + 1] = (float) weight * sx;
      w[4 * k + 2] = (float) weight * sy;
      w[4 * k + 3] = (float) weight * sx * sy;
    }
    return w;
  }

  /** The mean of the DCT basis cos((2x+1) u pi / 16) over x = 2i, 2i+1: the i-th pair of a block's columns. */
  private static double pairMean(int u, int i) {
    return (Math.cos((4 * i + 1) * u * Math.PI / 16) + Math.cos((4 * i + 3) * u * Math.PI / 16)) / 2;
  }

  /**
   * For each zigzag position k, the weights with which a quantised coefficient adds to the means of the
   * block's sixteen 2x2 cells, row by row: {@code [16k .. 16k+15]}. Nearly every term counts here.
   */
  static float[] sixteenths(int[] quant) {
    float[] w = new float[16 * POSITIONS];
    for (int k = 1; k < 64; k++) {
      int u = ZIGZAG[k] % 8;
      int v = ZIGZAG[k] / 8;
      double cu = u == 0 ? Math.sqrt(0.5) : 1;
      double cv = v == 0 ? Math.sqrt(0.5) : 1;
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          w[16 * k + 4 * i + j] = (float) (0.25 * cu * cv * pairMean(u, j) * pairMean(v, i) * quant[k]);
        }
      }
    }
    return w;
  }
}
