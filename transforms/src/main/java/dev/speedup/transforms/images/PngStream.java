package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;
import java.util.zip.CRC32;

/**
 * PNG as a stream of rows: each row is unfiltered and folded into an {@link AreaAccumulator} as it comes,
 * so the decoder holds two rows of pixels, whatever the image's size. The rows come from {@link PngImageData}:
 * inflated whole by libdeflate into a reused native buffer where there is room, else through zlib a row at a
 * time. Every chunk's CRC is checked, and a file that ends before its last row is corrupt.
 *
 * <p>8-bit gray, RGB, palette, gray+alpha and RGBA, and 16-bit gray, RGB, gray+alpha and RGBA, plain or
 * interlaced (Adam7: each of the seven passes' rows is folded in where its pixels fall). Anything else (1 to 4
 * bits a sample, a tRNS colour key on gray or RGB) returns {@code null} from {@link #header}: ImageIO reads
 * it instead. Samples become floats as ImageIO's path
 * makes them ({@link PngRows}, as {@link RasterRows} does): 16 bits scaled to 8, alpha composed on white,
 * BT.601 luma for gray. The filters are undone by {@link PngFilters}.
 */
final class PngStream {
  /** What IHDR (and PLTE, tRNS) say, for a file this class reads. */
  record Header(int width, int height, int bitDepth, int colorType, int channels, int[] palette, int dataStart, boolean interlaced) {}

  /** Adam7's passes: first column, first row, column step, row step. */
  static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

  private PngStream() {}

  static int u32(byte[] d, int i) {
    return ((d[i] & 0xFF) << 24) | ((d[i + 1] & 0xFF) << 16) | ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
  }

  static boolean type(byte[] d, int at, String name) {
    return d[at] == name.charAt(0) && d[at + 1] == name.charAt(1) && d[at + 2] == name.charAt(2) && d[at + 3] == name.charAt(3);
  }

  /** The length of the chunk at {@code at}, its CRC checked; throws if the chunk runs past the file or is damaged. */
  static int chunk(byte[] d, int at, CRC32 crc) throws CorruptException {
    if (at + 12 > d.length) {
      throw new CorruptException("the PNG ends inside a chunk header (truncated file)");
    }
    long length = u32(d, at) & 0xFFFFFFFFL;
    if (at + 12 + length > d.length) {
      throw new CorruptException("a PNG chunk runs past the end of the file (truncated file)");
    }
    crc.reset();
    crc.update(d, at + 4, 4 + (int) length);
    if ((int) crc.getValue() != u32(d, at + 8 + (int) length)) {
      throw new CorruptException("a PNG chunk fails its CRC check (damaged file)");
    }
    return (int) length;
  }

  /** The header of a PNG this class reads, or null for one ImageIO must read. */
  static Header header(byte[] d) throws CorruptException {
    CRC32 crc = new CRC32();
    int at = 8;
    int length = chunk(d, at, crc);
    if (!type(d, at + 4, "IHDR") || length != 13) {
      throw new CorruptException("the PNG does not start with its header chunk");
    }
    int width = u32(d, at + 8);
    int height = u32(d, at + 12);
    int bits = d[at + 16] & 0xFF;
    int colorType = d[at + 17] & 0xFF;
    int interlace = d[at + 20] & 0xFF;
    if (width <= 0 || height <= 0) {
      throw new CorruptException("the PNG header declares an empty or negative size");
    }
    int channels = switch (colorType) {
      case 0, 3 -> 1;
      case 2 -> 3;
      case 4 -> 2;
      case 6 -> 4;
      default -> throw new CorruptException("the PNG header has an unknown colour type " + colorType);
    };
    if (interlace > 1) {
      throw new CorruptException("the PNG header has an unknown interlace method " + interlace);
    }
    boolean depthOk = bits == 8 || bits == 16 && colorType != 3;
    if (!depthOk) {
      return null;
    }
    at += 12 + length;
    int[] palette = null;
    while (true) {
      length = chunk(d, at, crc);
      if (type(d, at + 4, "IDAT")) {
        break;
      }
      if (type(d, at + 4, "IEND")) {
        throw new CorruptException("the PNG has no image data");
      }
      if (type(d, at + 4, "PLTE")) {
        palette = new int[256];
        java.util.Arrays.fill(palette, 0xFF000000);
        for (int i = 0; i < Math.min(256, length / 3); i++) {
          int p = at + 8 + 3 * i;
          palette[i] = 0xFF000000 | ((d[p] & 0xFF) << 16) | ((d[p + 1] & 0xFF) << 8) | (d[p + 2] & 0xFF);
        }
      } else if (type(d, at + 4, "tRNS")) {
        if (colorType != 3 || palette == null) {
          return null; // a colour key on gray or RGB: ImageIO's handling
        }
        for (int i = 0; i < Math.min(256, length); i++) {
          palette[i] = (palette[i] & 0xFFFFFF) | ((d[at + 8 + i] & 0xFF) << 24);
        }
      }
      at += 12 + length;
    }
    if (colorType == 3 && palette == null) {
      throw new CorruptException("a palette PNG without its palette");
    }
    return new Header(width, height, bits, colorType, channels, palette, at, interlace == 1);
  }

  /** Inflates, unfilters and accumulates every row (of every pass, if interlaced); gray or RGB per {@code color}. */
  static void decode(byte[] d, Header h, Thumbnailer.Color color, AreaAccumulator acc) throws CorruptException {
    decode(d, h, color, acc, InflateBuffers.shared());
  }

  /** The same, the image data inflated whole into a buffer from {@code buffers} where it has room (null: never). */
  static void decode(byte[] d, Header h, Thumbnailer.Color color, AreaAccumulator acc, InflateBuffers buffers)
      throws CorruptException {
    int bpp = h.channels() * h.bitDepth() / 8;
    byte[] cur = new byte[h.width() * bpp + 1];
    byte[] prev = new byte[cur.length];
    PngRows rows = new PngRows(h, color);
    PngImageData data = PngImageData.of(d, h, bpp, buffers);
    try {
      if (!h.interlaced()) {
        for (int y = 0; y < h.height(); y++) {
          data.read(cur, cur.length);
          PngFilters.unfilter(cur, prev, bpp, cur.length - 1);
          if (acc.wants(y)) {
            rows.add(y, cur, acc);
          }
          byte[] t = prev;
          prev = cur;
          cur = t;
        }
        return;
      }
      for (int[] pass : ADAM7) {
        int columns = h.width() > pass[0] ? (h.width() - pass[0] + pass[2] - 1) / pass[2] : 0;
        int passRows = h.height() > pass[1] ? (h.height() - pass[1] + pass[3] - 1) / pass[3] : 0;
        if (columns == 0 || passRows == 0) {
          continue; // an empty pass has no bytes at all
        }
        int length = columns * bpp + 1;
        java.util.Arrays.fill(prev, 0, length, (byte) 0);
        for (int j = 0; j < passRows; j++) {
          data.read(cur, length);
          PngFilters.unfilter(cur, prev, bpp, length - 1);
          int y = pass[1] + j * pass[3];
          if (acc.wants(y)) {
            rows.addPass(y, cur, columns, pass[0], pass[2], acc);
          }
          byte[] t = prev;
          prev = cur;
          cur = t;
        }
      }
    } finally {
      data.end();
    }
  }
}
