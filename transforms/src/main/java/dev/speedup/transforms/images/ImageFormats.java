package dev.speedup.transforms.images;

import org.checkerframework.checker.nullness.qual.Nullable;

/** What a file is, told from its first bytes (never from its name): the formats read here, and others named. */
final class ImageFormats {
  private ImageFormats() {}

  /** The format a file's first bytes announce, or null. */
  static @Nullable String sniff(byte[] d) {
    if (d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF) {
      return "jpeg";
    }
    if (d.length >= 8 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') {
      return "png";
    }
    if (d.length >= 6 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8') {
      return "gif";
    }
    if (d.length >= 2 && d[0] == 'B' && d[1] == 'M') {
      return "bmp";
    }
    if (d.length >= 4 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42))) {
      return "tiff";
    }
    if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F' && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
      return "webp";
    }
    // Netpbm: P1-P6 (PBM, PGM, PPM as text or binary), P7 (PAM), and PF or Pf (PFM: colour or gray floats), then
    // whitespace.
    if (d.length >= 3 && d[0] == 'P' && (d[1] >= '1' && d[1] <= '7' || d[1] == 'F' || d[1] == 'f')
        && (d[2] == ' ' || d[2] == '\t' || d[2] == '\n' || d[2] == '\r')) {
      return "pnm";
    }
    return null;
  }

  /** Image formats recognised by signature that no decoder here reads. */
  static @Nullable String unsupported(byte[] d) {
    if (d.length >= 12 && d[4] == 'f' && d[5] == 't' && d[6] == 'y' && d[7] == 'p') {
      // ISO media: HEIF and AVIF by their brand (an iPhone's photos are HEIC), else a video or the like.
      String brand = new String(d, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      return java.util.Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis").contains(brand)
          ? "HEIF/AVIF" : null;
    }
    if (d.length >= 2 && (d[0] & 0xFF) == 0xFF && d[1] == 0x0A
        || d.length >= 12 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0x0C && d[4] == 'J' && d[5] == 'X' && d[6] == 'L' && d[7] == ' ') {
      return "JPEG XL";
    }
    if (d.length >= 9 && new String(d, 0, 9, java.nio.charset.StandardCharsets.ISO_8859_1).equals("gimp xcf ")) {
      return "GIMP XCF";
    }
    if (d.length >= 4 && (d[0] & 0xFF) == 0x76 && d[1] == 0x2F && d[2] == 0x31 && d[3] == 0x01) {
      return "OpenEXR";
    }
    if (d.length >= 12 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0x0C && d[4] == 'j' && d[5] == 'P') {
      return "JPEG 2000";
    }
    if (d.length >= 4 && d[0] == '8' && d[1] == 'B' && d[2] == 'P' && d[3] == 'S') {
      return "Photoshop";
    }
    if (d.length >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 1 && d[3] == 0) {
      return "ICO";
    }
    if (d.length >= 4 && d[0] == 'X' && d[1] == 'c' && d[2] == 'u' && d[3] == 'r') {
      return "X cursor";
    }
    // Text formats, common in icon folders: recognised from their first kilobyte.
    String head = new String(d, 0, Math.min(d.length, 1024), java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
    if (head.startsWith("\u00EF\u00BB\u00BF")) {
      head = head.substring(3).stripLeading(); // a UTF-8 byte-order mark
    }
    if (head.startsWith("/* XPM */")) {
      return "XPM";
    }
    String lower = head.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("<") && lower.contains("<svg") && !lower.startsWith("<!doctype html") && !lower.startsWith("<html")) {
      return "SVG (vector)";
    }
    return null;
  }
}
