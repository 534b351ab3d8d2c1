package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * Which bits of each coefficient a progressive JPEG's scans have given so far, so that a scan that repeats or
 * skips some is refused (libjpeg's checks on a scan's spectral selection and successive approximation, and its
 * per-coefficient "inconsistent progression sequence"). Each scan a decoder reads touches every block of its
 * component; with every coefficient's bits read at most once, a file's scans cost at most about fourteen passes
 * over its coefficients however many scans it lists, where repeats of one scan of a few bytes could make a file
 * of a few hundred kilobytes cost minutes.
 */
final class JpegProgression {
  /** Scans a file may have, whatever else: a usual progressive file has about ten. */
  static final int MAX_SCANS = 1000;

  /** Per component, per coefficient: the lowest bit read so far, or -1 before its first scan. */
  private final int[][] lowestBit;
  private int scans;

  JpegProgression(int components) {
    lowestBit = new int[components][64];
    for (int[] bits : lowestBit) {
      java.util.Arrays.fill(bits, -1);
    }
  }

  /** Admits the scan whose components are {@code components} (indices in the frame), or says why not. */
  void admit(int[] components, int spectralStart, int spectralEnd, int approxHigh, int approxLow) throws CorruptException {
    if (++scans > MAX_SCANS) {
      throw new CorruptException("more than " + MAX_SCANS + " scans");
    }
    boolean dc = spectralStart == 0;
    if (dc ? spectralEnd != 0 : spectralEnd < spectralStart || spectralEnd > 63 || components.length != 1) {
      throw new CorruptException("bad progressive scan: spectral selection " + spectralStart + ".." + spectralEnd
          + " over " + components.length + " component(s)");
    }
    if (approxHigh == 0 ? approxLow > 13 : approxLow != approxHigh - 1) {
      throw new CorruptException("bad progressive scan: successive approximation " + approxHigh + " to " + approxLow);
    }
    for (int c : components) {
      int[] bits = lowestBit[c];
      for (int k = spectralStart; k <= spectralEnd; k++) {
        if (approxHigh == 0 ? bits[k] != -1 : bits[k] != approxHigh) {
          throw new CorruptException("inconsistent progression: coefficient " + k + " of component " + c + " is "
              + (bits[k] < 0 ? "not read yet" : "read down to bit " + bits[k]) + ", and a scan "
              + (approxHigh == 0 ? "reads it afresh" : "refines its bit " + approxLow));
        }
        bits[k] = approxLow;
      }
    }
  }
}
