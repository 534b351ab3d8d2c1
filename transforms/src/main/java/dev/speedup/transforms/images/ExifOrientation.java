package dev.speedup.transforms.images;

/** The EXIF orientation a JPEG's APP1 segment carries, read defensively (any offset checked against the segment). */
final class ExifOrientation {
  private ExifOrientation() {}

  /** EXIF orientation (tag 0x0112 of IFD0) in an APP1 segment, else {@code current}. */
  static int of(byte[] d, int start, int end, int current) {
    if (end - start < 14 || d[start] != 'E' || d[start + 1] != 'x' || d[start + 2] != 'i' || d[start + 3] != 'f') {
      return current;
    }
    int tiff = start + 6;
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
}
