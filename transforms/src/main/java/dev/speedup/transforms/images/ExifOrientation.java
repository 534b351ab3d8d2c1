package dev.speedup.transforms.images;

/**
 * The EXIF orientation a JPEG's APP1 segment, a WebP's {@code EXIF} chunk or a PNG's {@code eXIf} chunk
 * carries, read defensively (any offset checked against the segment or chunk). Browsers, libvips and Pillow
 * apply it in all three formats.
 */
final class ExifOrientation {
  private ExifOrientation() {}

  /** EXIF orientation (tag 0x0112 of IFD0) in an APP1 segment, else {@code current}. */
  static int of(byte[] d, int start, int end, int current) {
    if (end - start < 14 || !exifPrefix(d, start)) {
      return current;
    }
    return ofTiff(d, start + 6, end, current);
  }

  private static boolean exifPrefix(byte[] d, int start) {
    return d[start] == 'E' && d[start + 1] == 'x' && d[start + 2] == 'i' && d[start + 3] == 'f';
  }

  /** The orientation in EXIF data that starts with its TIFF header (or, as some writers put it, "Exif\0\0"). */
  private static int ofPayload(byte[] d, int start, int end) {
    if (end - start < 8) {
      return 1;
    }
    return exifPrefix(d, start) ? of(d, start, end, 1) : ofTiff(d, start, end, 1);
  }

  /** A WebP's orientation: its {@code EXIF} chunk's, 1 if it has none. */
  static int ofWebp(byte[] d) {
    // RIFF, size, WEBP, then chunks: a FourCC, a little-endian length, the payload padded to an even length.
    for (long at = 12; at + 8 <= d.length; ) {
      long length = (d[(int) at + 4] & 0xFF) | (d[(int) at + 5] & 0xFF) << 8 | (d[(int) at + 6] & 0xFF) << 16 | (d[(int) at + 7] & 0xFFL) << 24;
      long end = at + 8 + length;
      if (end > d.length) {
        return 1;
      }
      if (d[(int) at] == 'E' && d[(int) at + 1] == 'X' && d[(int) at + 2] == 'I' && d[(int) at + 3] == 'F') {
        return ofPayload(d, (int) at + 8, (int) end);
      }
      at = end + (length & 1);
    }
    return 1;
  }

  /** A PNG's orientation: its {@code eXIf} chunk's, which comes before the image data; 1 if it has none. */
  static int ofPng(byte[] d) {
    // The signature, then chunks: a big-endian length, the type, the data, a CRC.
    for (long at = 8; at + 12 <= d.length; ) {
      long length = (d[(int) at] & 0xFFL) << 24 | (d[(int) at + 1] & 0xFF) << 16 | (d[(int) at + 2] & 0xFF) << 8 | (d[(int) at + 3] & 0xFF);
      long end = at + 8 + length;
      if (end + 4 > d.length) {
        return 1;
      }
      int t = (int) at + 4;
      if (d[t] == 'I' && d[t + 1] == 'D' && d[t + 2] == 'A' && d[t + 3] == 'T') {
        return 1;
      }
      if (d[t] == 'e' && d[t + 1] == 'X' && d[t + 2] == 'I' && d[t + 3] == 'f') {
        return ofPayload(d, (int) at + 8, (int) end);
      }
      at = end + 4;
    }
    return 1;
  }

  /** EXIF orientation in EXIF data from its TIFF header at {@code tiff}, else {@code current}. */
  private static int ofTiff(byte[] d, int tiff, int end, int current) {
    if (end - tiff < 8) {
      return current;
    }
    boolean little = d[tiff] == 'I';
    java.util.function.IntUnaryOperator s16 = k -> little ? (d[k] & 0xFF) | ((d[k + 1] & 0xFF) << 8) : JpegFrame.u16(d, k);
    java.util.function.IntUnaryOperator s32 =
        k -> little ? s16.applyAsInt(k) | (s16.applyAsInt(k + 2) << 16) : (JpegFrame.u16(d, k) << 16) | JpegFrame.u16(d, k + 2);
    long ifd = tiff + (s32.applyAsInt(tiff + 4) & 0xFFFFFFFFL);
    if (ifd < tiff || ifd + 2 > end) {
      return current;
    }
    int entries = s16.applyAsInt((int) ifd);
    for (int e = 0; e < entries; e++) {
      long at = ifd + 2 + 12L * e;
      if (at + 12 > end) {
        break;
      }
      if (s16.applyAsInt((int) at) == 0x0112) {
        int value = s16.applyAsInt((int) at + 8);
        return value >= 1 && value <= 8 ? value : current;
      }
    }
    return current;
  }

  /**
   * Applies EXIF orientation to a {@code w x h} image (unrotated); returns the displayed image, which is
   * {@code h x w} for orientations 5 to 8.
   */
  static byte[] apply(byte[] src, int w, int h, int c, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return src;
    }
    boolean swap = orientation >= 5;
    int dw = swap ? h : w;
    int dh = swap ? w : h;
    byte[] out = new byte[src.length];
    for (int y = 0; y < dh; y++) {
      for (int x = 0; x < dw; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; }
        }
        System.arraycopy(src, (sy * w + sx) * c, out, (y * dw + x) * c, c);
      }
    }
    return out;
  }
}
