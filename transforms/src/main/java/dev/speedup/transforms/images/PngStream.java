package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG as a stream: each row is inflated, unfiltered and folded into an {@link AreaAccumulator} as it
 * arrives, so only two rows of the image are ever held, whatever its size. Every chunk's CRC is checked, and
 * a file that ends before its last row is corrupt.
 *
 * <p>Non-interlaced 8-bit gray, RGB, palette, gray+alpha and RGBA, and 16-bit gray, RGB, gray+alpha and
 * RGBA. Anything else (interlaced, 1 to 4 bits a sample, a tRNS colour key on gray or RGB) returns
 * {@code null} from {@link #header}: ImageIO reads it instead. Samples become floats as ImageIO's path
 * makes them ({@link RasterRows}): 16 bits scaled to 8, alpha composed on white, BT.601 luma for gray.
 */
final class PngStream {
  /** What IHDR (and PLTE, tRNS) say, for a file this class reads. */
  record Header(int width, int height, int bitDepth, int colorType, int channels, int[] palette, int dataStart) {}

  private PngStream() {}

  private static int u32(byte[] d, int i) {
    return ((d[i] & 0xFF) << 24) | ((d[i + 1] & 0xFF) << 16) | ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
  }

  private static boolean type(byte[] d, int at, String name) {
    return d[at] == name.charAt(0) && d[at + 1] == name.charAt(1) && d[at + 2] == name.charAt(2) && d[at + 3] == name.charAt(3);
  }

  /** The length of the chunk at {@code at}, its CRC checked; throws if the chunk runs past the file or is damaged. */
  private static int chunk(byte[] d, int at, CRC32 crc) throws CorruptException {
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
    boolean depthOk = bits == 8 || bits == 16 && colorType != 3;
    if (!depthOk || interlace != 0) {
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
    return new Header(width, height, bits, colorType, channels, palette, at);
  }

  /** Inflates, unfilters and accumulates every row; gray or RGB per {@code color}. */
  static void decode(byte[] d, Header h, Thumbnailer.Color color, AreaAccumulator acc) throws CorruptException {
    int bpp = h.channels() * h.bitDepth() / 8;
    int stride = h.width() * bpp;
    byte[] cur = new byte[stride + 1];
    byte[] prev = new byte[stride + 1];
    Rows rows = new Rows(h, color);
    Inflater inflater = new Inflater();
    CRC32 crc = new CRC32();
    try {
      int at = h.dataStart();
      int length = chunk(d, at, crc);
      inflater.setInput(d, at + 8, length);
      at += 12 + length;
      for (int y = 0; y < h.height(); y++) {
        int filled = 0;
        while (filled < cur.length) {
          int n = inflater.inflate(cur, filled, cur.length - filled);
          filled += n;
          if (n == 0) {
            if (inflater.finished()) {
              throw new CorruptException("the PNG's image data ends before its last row (truncated file)");
            }
            if (inflater.needsInput()) {
              // The next IDAT chunk (other chunks may not come between them, but are skipped if they do).
              while (true) {
                length = chunk(d, at, crc);
                boolean idat = type(d, at + 4, "IDAT");
                if (type(d, at + 4, "IEND")) {
                  throw new CorruptException("the PNG's image data ends before its last row (truncated file)");
                }
                int start = at;
                at += 12 + length;
                if (idat) {
                  inflater.setInput(d, start + 8, length);
                  break;
                }
              }
            } else if (inflater.needsDictionary()) {
              throw new CorruptException("the PNG's image data asks for a preset dictionary");
            }
          }
        }
        unfilter(cur, prev, bpp, stride);
        if (acc.wants(y)) {
          rows.add(y, cur, acc);
        }
        byte[] t = prev;
        prev = cur;
        cur = t;
      }
    } catch (DataFormatException e) {
      throw new CorruptException("the PNG's image data is not valid zlib data (damaged file)");
    } finally {
      inflater.end();
    }
  }

  /** Undoes the row's filter in place (byte 0 names it), given the previous row, already unfiltered. */
  static void unfilter(byte[] row, byte[] prev, int bpp, int stride) throws CorruptException {
    int filter = row[0];
    switch (filter) {
      case 0 -> {}
      case 1 -> {
        for (int i = 1 + bpp; i <= stride; i++) {
          row[i] += row[i - bpp];
        }
      }
      case 2 -> {
        for (int i = 1; i <= stride; i++) {
          row[i] += prev[i];
        }
      }
      case 3 -> {
        for (int i = 1; i <= bpp; i++) {
          row[i] += (prev[i] & 0xFF) >>> 1;
        }
        for (int i = 1 + bpp; i <= stride; i++) {
          row[i] += ((row[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1;
        }
      }
      case 4 -> {
        for (int i = 1; i <= bpp; i++) {
          row[i] += prev[i]; // no left neighbour: Paeth picks the one above
        }
        paeth(row, prev, bpp, stride);
      }
      default -> throw new CorruptException("a PNG row has an unknown filter type " + filter);
    }
  }

  /**
   * The Paeth filter without branches (photos make the predictor's choice unpredictable): the masks pick a,
   * b or c as the standard's comparisons do, ties to a, then b.
   */
  private static void paeth(byte[] row, byte[] prev, int bpp, int stride) {
    for (int i = 1 + bpp; i <= stride; i++) {
      row[i] += (byte) predict(row[i - bpp] & 0xFF, prev[i] & 0xFF, prev[i - bpp] & 0xFF);
    }
  }

  private static int predict(int a, int b, int c) {
    int db = b - c;
    int da = a - c;
    int dc = da + db;
    int pa = (db ^ (db >> 31)) - (db >> 31);
    int pb = (da ^ (da >> 31)) - (da >> 31);
    int pc = (dc ^ (dc >> 31)) - (dc >> 31);
    int notA = ((pb - pa) | (pc - pa)) >> 31; // -1 unless pa <= pb and pa <= pc
    int notB = (pc - pb) >> 31; // -1 unless pb <= pc
    int bOrC = b ^ ((b ^ c) & notB);
    return a ^ ((a ^ bOrC) & notA);
  }

  /** One unfiltered row to floats, as {@link RasterRows} makes them from ImageIO's decode. */
  private static final class Rows {
    final Header h;
    final boolean rgb;
    final float[] r;
    final float[] g;
    final float[] b;
    final float[] gray;
    final float[][] out;

    Rows(Header h, Thumbnailer.Color color) {
      this.h = h;
      this.rgb = color == Thumbnailer.Color.RGB;
      int w = h.width();
      gray = new float[w];
      boolean colourSource = h.colorType() == 2 || h.colorType() == 3 || h.colorType() == 6;
      r = colourSource ? new float[w] : gray;
      g = colourSource ? new float[w] : gray;
      b = colourSource ? new float[w] : gray;
      out = rgb ? new float[][] {r, g, b} : new float[][] {gray};
    }

    /** Sample {@code i} of a row: 8 bits as they are, 16 bits scaled to 8 as ImageIO's path does. */
    private float sample(byte[] row, int i) {
      if (h.bitDepth() == 8) {
        return row[1 + i] & 0xFF;
      }
      int v = ((row[1 + 2 * i] & 0xFF) << 8) | (row[2 + 2 * i] & 0xFF);
      return v * 255f / 65535;
    }

    void add(int y, byte[] row, AreaAccumulator acc) {
      int w = h.width();
      switch (h.colorType()) {
        case 0 -> {
          for (int x = 0; x < w; x++) {
            gray[x] = sample(row, x);
          }
        }
        case 4 -> {
          for (int x = 0; x < w; x++) {
            float a = h.bitDepth() == 8 ? (row[2 + 2 * x] & 0xFF) / 255f : (((row[3 + 4 * x] & 0xFF) << 8) | (row[4 + 4 * x] & 0xFF)) / 65535f;
            gray[x] = sample(row, 2 * x) * a + 255f * (1 - a);
          }
        }
        case 3 -> {
          int[] palette = h.palette();
          for (int x = 0; x < w; x++) {
            argb(x, palette[row[1 + x] & 0xFF]);
          }
        }
        case 2 -> {
          if (h.bitDepth() == 8) {
            // Opaque: ImageIO's path composes alpha 1 on white, which leaves each sample as it is.
            for (int x = 0, i = 1; x < w; x++, i += 3) {
              r[x] = row[i] & 0xFF;
              g[x] = row[i + 1] & 0xFF;
              b[x] = row[i + 2] & 0xFF;
            }
          } else {
            for (int x = 0; x < w; x++) {
              argb(x, 0xFF000000 | to8(row, 3 * x) << 16 | to8(row, 3 * x + 1) << 8 | to8(row, 3 * x + 2));
            }
          }
        }
        default -> {
          if (h.bitDepth() == 8) {
            for (int x = 0, i = 1; x < w; x++, i += 4) {
              argb(x, (row[i + 3] & 0xFF) << 24 | (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | (row[i + 2] & 0xFF));
            }
          } else {
            for (int x = 0; x < w; x++) {
              argb(x, to8(row, 4 * x + 3) << 24 | to8(row, 4 * x) << 16 | to8(row, 4 * x + 1) << 8 | to8(row, 4 * x + 2));
            }
          }
        }
      }
      if (!rgb && r != gray) {
        for (int x = 0; x < w; x++) {
          gray[x] = 0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x];
        }
      }
      acc.addRow(y, out, 0);
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
}
