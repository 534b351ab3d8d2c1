package dev.speedup.transforms.images;

/**
 * Shrink-on-load for baseline JPEGs: decodes the entropy-coded data but never runs an inverse DCT. At 1/8
 * scale each 8x8 luma block gives its DC coefficient, which is the block's mean (as libjpeg's
 * {@code scale_denom=8}, used by libvips and Pillow's {@code draft()}). At 1/4 scale each block gives the
 * means of its four 4x4 quadrants, computed exactly from the coefficients that do not cancel over a
 * quadrant (row and column frequencies 0, 1, 3, 5 and 7): the same numbers as a full decode averaged 4x4,
 * before rounding.
 *
 * <p>Handles baseline and extended Huffman JPEGs (SOF0, SOF1) with 8-bit samples, one component or three
 * YCbCr components in one interleaved scan, any sampling factors and restart intervals. Anything else
 * (progressive, arithmetic, lossless, 12-bit, CMYK/YCCK, Adobe RGB, several scans) returns {@code null}:
 * the caller decodes it fully instead. A stream that ends before its last block throws
 * {@link CorruptException}.
 */
public final class JpegReducedReader {
  /**
   * The reduced luma image: {@code cellsX x cellsY} means, each over a cell of {@code cellWidth x cellHeight}
   * pixels of the (unrotated) image; the last row and column of cells may reach past the image's edge.
   */
  public record Reduced(
      int width, int height, int cellsX, int cellsY, int cellWidth, int cellHeight, float[] means, int orientation) {}

  /** Structural damage found while decoding (e.g. the data ends early). */
  public static final class CorruptException extends Exception {
    CorruptException(String message) {
      super(message);
    }
  }

  /** The header facts a caller needs before deciding anything: size, components, orientation. */
  public record Header(int width, int height, int components, int precision, boolean baseline, int orientation) {}

  private JpegReducedReader() {}

  private static final class Component {
    int id;
    int h;
    int v;
    int tq;
    int dcTable;
    int acTable;
    int pred;
  }

  /** Bits looked up at once for an AC symbol (1 KB of ints per table: stays in the L1 cache). */
  private static final int AC_LOOKUP_BITS = 10;

  private static final class Huffman {
    // Fast lookup on the next 9 bits: (length << 8) | value, or 0 when the code is longer.
    final int[] fast = new int[512];
    final int[] maxCode = new int[18];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    final byte[] counts;
    final byte[] values;
    // AC tables: one lookup on the next AC_LOOKUP_BITS bits gives what a symbol does as a whole (code and
    // magnitude bits to consume, zero run, where the next coefficient is): see acStep. 0: code too long.
    final int[] acSteps = new int[1 << AC_LOOKUP_BITS];
    private int[] skips;

    Huffman(byte[] counts, byte[] values) throws CorruptException {
      this.counts = counts;
      this.values = values;
      int code = 0;
      int k = 0;
      for (int len = 1; len <= 16; len++) {
        int n = counts[len - 1] & 0xFF;
        valPtr[len] = k;
        minCode[len] = code;
        for (int i = 0; i < n; i++, k++, code++) {
          if (len <= 9) {
            int shift = 9 - len;
            for (int j = 0; j < (1 << shift); j++) {
              int index = (code << shift) | j;
              if (index >= 512) {
                throw new CorruptException("bad Huffman table");
              }
              fast[index] = (len << 8) | (values[k] & 0xFF);
            }
          }
          if (len <= AC_LOOKUP_BITS) {
            int shift = AC_LOOKUP_BITS - len;
            int step = acStep(values[k] & 0xFF, len);
            if ((code + 1) << shift > acSteps.length) {
              throw new CorruptException("bad Huffman table");
            }
            for (int j = 0; j < (1 << shift); j++) {
              acSteps[(code << shift) | j] = step;
            }
          }
        }
        maxCode[len] = n == 0 ? -1 : code - 1;
        code <<= 1;
      }
      maxCode[17] = Integer.MAX_VALUE;
    }
  }

  /**
   * Bits looked up at once when AC coefficients are only skipped: a 64 KB table (measured on the corpus
   * against one symbol a lookup: 12 bits 1.33x as fast, 14 bits 1.4x, 16 bits no better).
   */
  private static final int SKIP_BITS = 14;

  private static final int SKIP_END_OF_BLOCK = 1 << 13;

  /** Skip tables already built, by Huffman table content: files from one encoder share theirs. */
  private static final java.util.concurrent.ConcurrentHashMap<String, int[]> SKIP_TABLES = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * For 1/8 scale, where AC coefficients are skipped, not used: for each value of the next SKIP_BITS bits,
   * the whole AC symbols (code and magnitude) they hold, packed: bits 0-4 the bits they take, 5-12 how far
   * the coefficient index moves, bit 13 set if the last is end-of-block; 0 if not even one symbol fits.
   * About two symbols a lookup on typical data instead of one.
   */
  private static int[] skipTable(Huffman h) {
    if (h.skips != null) {
      return h.skips;
    }
    String key = new String(h.counts, java.nio.charset.StandardCharsets.ISO_8859_1) + new String(h.values, java.nio.charset.StandardCharsets.ISO_8859_1);
    int[] table = SKIP_TABLES.get(key);
    if (table == null) {
      table = new int[1 << SKIP_BITS];
      for (int w = 0; w < table.length; w++) {
        int used = 0;
        int advance = 0;
        boolean end = false;
        while (true) {
          // The next code, left-aligned in the lookup (the bits past the window read as zeros: a code or
          // magnitude reaching into them does not count).
          int step = h.acSteps[((w << used) >>> (SKIP_BITS - AC_LOOKUP_BITS)) & ((1 << AC_LOOKUP_BITS) - 1)];
          int bits = step & 31;
          if (step == 0 || used + bits > SKIP_BITS) {
            break;
          }
          used += bits;
          if (step >>> 13 == 64) {
            end = true;
            break;
          }
          advance += step >>> 13;
        }
        table[w] = used == 0 ? 0 : used | (advance << 5) | (end ? SKIP_END_OF_BLOCK : 0);
      }
      if (SKIP_TABLES.size() > 256) {
        SKIP_TABLES.clear(); // bounded: a run over files from many encoders rebuilds now and then
      }
      SKIP_TABLES.put(key, table);
    }
    h.skips = table;
    return table;
  }

  /**
   * One AC symbol {@code rs} (zero run r, magnitude size s) with a code of {@code codeLength} bits, packed:
   * bits 0-4 the bits to consume (code + magnitude), 5-8 the magnitude size, 9-12 the zero run, 13+ how far
   * the coefficient index moves (r + 1; 16 for a run of 16 zeros; 64 for end-of-block, which ends the block).
   */
  static int acStep(int rs, int codeLength) {
    int size = rs & 15;
    int run = rs >> 4;
    int advance = size != 0 ? run + 1 : rs == 0xF0 ? 16 : 64;
    return (codeLength + size) | (size << 5) | ((size != 0 ? run : 0) << 9) | (advance << 13);
  }

  /** Reads the header (up to the first frame header); null if this is not a JPEG. */
  public static Header header(byte[] data) throws CorruptException {
    Parsed p = parse(data, false);
    return p == null || p.width == 0 ? null : new Header(p.width, p.height, p.components.length, p.precision, p.baseline, p.orientation);
  }

  /**
   * The luma image reduced on load by {@code scale} (8: one mean per 8x8 block; 4: one per 4x4 quadrant), or
   * null when this JPEG needs a full decoder.
   */
  public static Reduced read(byte[] data, int scale) throws CorruptException {
    if (scale != 8 && scale != 4) {
      throw new IllegalArgumentException("scale must be 8 or 4, not " + scale);
    }
    Parsed p = parse(data, true);
    if (p == null || !p.supported) {
      return null;
    }
    return decode(data, p, scale);
  }

  private static final class Parsed {
    int width;
    int height;
    int precision;
    boolean baseline;
    boolean supported = true;
    int orientation = 1;
    int adobeTransform = -1;
    boolean jfif;
    Component[] components = new Component[0];
    final int[][] quant = new int[4][];
    final Huffman[] dc = new Huffman[4];
    final Huffman[] ac = new Huffman[4];
    int restartInterval;
    int scanStart = -1;
    Component[] scan;
  }

  private static int u16(byte[] d, int i) {
    return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
  }

  private static Parsed parse(byte[] d, boolean toScan) throws CorruptException {
    if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
      return null;
    }
    Parsed p = new Parsed();
    int i = 2;
    while (true) {
      while (i < d.length && (d[i] & 0xFF) != 0xFF) {
        i++; // tolerate junk between segments, as decoders do
      }
      while (i < d.length && (d[i] & 0xFF) == 0xFF) {
        i++;
      }
      if (i >= d.length) {
        throw new CorruptException("the JPEG ends before its image data");
      }
      int marker = d[i++] & 0xFF;
      if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        continue;
      }
      if (marker == 0xD9) {
        throw new CorruptException("the JPEG has no image data");
      }
      if (i + 2 > d.length) {
        throw new CorruptException("the JPEG ends inside a segment header");
      }
      int len = u16(d, i);
      int start = i + 2;
      int end = i + len;
      if (len < 2 || end > d.length) {
        throw new CorruptException("a JPEG segment runs past the end of the file");
      }
      switch (marker) {
        case 0xE0 -> p.jfif |= len >= 7 && d[start] == 'J' && d[start + 1] == 'F' && d[start + 2] == 'I' && d[start + 3] == 'F';
        case 0xE1 -> p.orientation = exifOrientation(d, start, end, p.orientation);
        case 0xEE -> {
          if (len >= 14 && d[start] == 'A' && d[start + 1] == 'd' && d[start + 2] == 'o' && d[start + 3] == 'b' && d[start + 4] == 'e') {
            p.adobeTransform = d[start + 11] & 0xFF;
          }
        }
        case 0xDB -> {
          int k = start;
          while (k < end) {
            int pq = (d[k] & 0xFF) >> 4;
            int tq = d[k] & 0x0F;
            if (tq > 3) {
              throw new CorruptException("bad quantisation table id " + tq);
            }
            int[] q = new int[64];
            k++;
            for (int j = 0; j < 64; j++) {
              q[j] = pq == 0 ? d[k++] & 0xFF : u16(d, (k += 2) - 2);
            }
            p.quant[tq] = q;
          }
        }
        case 0xC4 -> {
          int k = start;
          while (k < end) {
            int tc = (d[k] & 0xFF) >> 4;
            int th = d[k] & 0x0F;
            if (th > 3 || tc > 1 || k + 17 > end) {
              throw new CorruptException("bad Huffman table header");
            }
            byte[] counts = java.util.Arrays.copyOfRange(d, k + 1, k + 17);
            int total = 0;
            for (byte c : counts) {
              total += c & 0xFF;
            }
            if (k + 17 + total > end || total > 256) {
              throw new CorruptException("bad Huffman table length");
            }
            byte[] values = java.util.Arrays.copyOfRange(d, k + 17, k + 17 + total);
            Huffman h = new Huffman(counts, values);
            if (tc == 0) {
              p.dc[th] = h;
            } else {
              p.ac[th] = h;
            }
            k += 17 + total;
          }
        }
        case 0xDD -> p.restartInterval = u16(d, start);
        case 0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> {
          p.precision = d[start] & 0xFF;
          p.height = u16(d, start + 1);
          p.width = u16(d, start + 3);
          int n = d[start + 5] & 0xFF;
          if (len < 8 + 3 * n) {
            throw new CorruptException("bad frame header");
          }
          p.components = new Component[n];
          for (int c = 0; c < n; c++) {
            Component comp = new Component();
            comp.id = d[start + 6 + 3 * c] & 0xFF;
            comp.h = (d[start + 7 + 3 * c] & 0xFF) >> 4;
            comp.v = d[start + 7 + 3 * c] & 0x0F;
            comp.tq = d[start + 8 + 3 * c] & 0x0F;
            if (comp.h < 1 || comp.h > 4 || comp.v < 1 || comp.v > 4 || comp.tq > 3) {
              throw new CorruptException("bad sampling factors or table in the frame header");
            }
            p.components[c] = comp;
          }
          p.baseline = marker == 0xC0 || marker == 0xC1;
          boolean ycc = n == 1 || (n == 3 && p.adobeTransform != 0 && !(comp0IsR(p)));
          p.supported = p.baseline && p.precision == 8 && ycc && p.height > 0 && p.width > 0;
          if (!toScan) {
            return p;
          }
        }
        case 0xDA -> {
          int ns = d[start] & 0xFF;
          p.scan = new Component[ns];
          for (int s = 0; s < ns; s++) {
            int id = d[start + 1 + 2 * s] & 0xFF;
            int tables = d[start + 2 + 2 * s] & 0xFF;
            Component comp = null;
            for (Component c : p.components) {
              if (c.id == id) {
                comp = c;
              }
            }
            if (comp == null) {
              throw new CorruptException("a scan names a component the frame does not have");
            }
            comp.dcTable = tables >> 4;
            comp.acTable = tables & 0x0F;
            p.scan[s] = comp;
          }
          if (p.width == 0) {
            throw new CorruptException("image data before the frame header");
          }
          // One scan must carry every component, or the luma of a one-component image.
          if (ns != p.components.length) {
            p.supported = false;
          }
          p.scanStart = end;
          return p;
        }
        default -> {
          // APPn, COM and the rest: skipped.
        }
      }
      i = end;
    }
  }

  private static boolean comp0IsR(Parsed p) {
    return p.components.length == 3 && p.components[0].id == 'R' && p.components[1].id == 'G' && p.components[2].id == 'B';
  }

  /** EXIF orientation (tag 0x0112 of IFD0) in an APP1 segment, else {@code current}. */
  static int exifOrientation(byte[] d, int start, int end, int current) {
    if (end - start < 14 || d[start] != 'E' || d[start + 1] != 'x' || d[start + 2] != 'i' || d[start + 3] != 'f') {
      return current;
    }
    int tiff = start + 6;
    boolean little = d[tiff] == 'I';
    java.util.function.IntUnaryOperator s16 = k -> little ? (d[k] & 0xFF) | ((d[k + 1] & 0xFF) << 8) : u16(d, k);
    java.util.function.IntUnaryOperator s32 =
        k -> little ? s16.applyAsInt(k) | (s16.applyAsInt(k + 2) << 16) : (u16(d, k) << 16) | u16(d, k + 2);
    int ifd = tiff + s32.applyAsInt(tiff + 4);
    if (ifd < tiff || ifd + 2 > end) {
      return current;
    }
    int entries = s16.applyAsInt(ifd);
    for (int e = 0; e < entries; e++) {
      int at = ifd + 2 + 12 * e;
      if (at + 12 > end) {
        break;
      }
      if (s16.applyAsInt(at) == 0x0112) {
        int value = s16.applyAsInt(at + 8);
        return value >= 1 && value <= 8 ? value : current;
      }
    }
    return current;
  }

  /**
   * Zero bytes after the entropy-coded data: room for the widest MCU (10 blocks of at most 64 codes of 16
   * bits and 11 magnitude bits) to be read past the end before the end-of-MCU check notices.
   */
  private static final int READ_AHEAD = 4096;

  /**
   * The entropy-coded data with byte stuffing taken out, cut at restart markers: the bit reader then reads
   * plain bytes with no per-byte checks (most of the decoding time otherwise). Segment i, the data up to
   * the i-th restart marker, ends at {@code segmentEnds[i]}; each starts where the previous ended. Any other
   * marker, or the end of the file, ends the data.
   */
  private static final class Entropy {
    final byte[] bytes;
    final int[] segmentEnds;
    final int segments;
    // Bit reader: acc holds count unread bits in its low end; pos is the next byte of bytes to load.
    int segment;
    int pos;
    long acc;
    int count;

    private Entropy(byte[] bytes, int[] segmentEnds, int segments) {
      this.bytes = bytes;
      this.segmentEnds = segmentEnds;
      this.segments = segments;
    }

    static Entropy of(byte[] d, int from, boolean restarts) {
      byte[] out = new byte[Math.max(0, d.length - from) + READ_AHEAD];
      int[] ends = new int[16];
      int segments = 0;
      int o = 0;
      int i = from;
      while (i < d.length) {
        byte b = d[i];
        if (b != (byte) 0xFF) {
          out[o++] = b;
          i++;
          continue;
        }
        int j = i + 1;
        while (j < d.length && d[j] == (byte) 0xFF) {
          j++; // fill bytes
        }
        if (j >= d.length) {
          break;
        }
        int m = d[j] & 0xFF;
        if (m == 0) {
          out[o++] = (byte) 0xFF; // a stuffed 0xFF data byte
        } else if (restarts && m >= 0xD0 && m <= 0xD7) {
          if (segments == ends.length) {
            ends = java.util.Arrays.copyOf(ends, 2 * segments);
          }
          ends[segments++] = o;
        } else {
          break;
        }
        i = j + 1;
      }
      if (segments == ends.length) {
        ends = java.util.Arrays.copyOf(ends, segments + 1);
      }
      ends[segments++] = o;
      return new Entropy(out, ends, segments);
    }

    /** True if more bits were taken than the current segment holds: the data ended early. */
    boolean overrun() {
      return 8L * pos - count > 8L * segmentEnds[segment];
    }

    /** Decodes a code too long for the lookup tables (needs count >= 16). */
    int decodeLong(Huffman h) throws CorruptException {
      int code = (int) (acc >>> (count - 16)) & 0xFFFF;
      for (int len = 1; len <= 16; len++) {
        int c = code >>> (16 - len);
        if (c <= h.maxCode[len]) {
          count -= len;
          int idx = h.valPtr[len] + c - h.minCode[len];
          if (idx < 0 || idx >= h.values.length) {
            throw new CorruptException("bad Huffman code");
          }
          return h.values[idx] & 0xFF;
        }
      }
      throw new CorruptException("bad Huffman code in the image data");
    }

    /** At a restart marker: the next segment, from its first byte. */
    void restart() throws CorruptException {
      if (segment + 1 >= segments) {
        throw new CorruptException("the JPEG data ends early (truncated file)");
      }
      pos = segmentEnds[segment];
      segment++;
      acc = 0;
      count = 0;
    }
  }

  private static int extend(int v, int s) {
    return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
  }

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
   * frequencies above 0 average to zero over a half, so only 24 of the 63 AC terms count. Room up to
   * position 79: a corrupt zero run may point past 63.
   */
  private static float[] quadrantWeights(int[] quant) {
    float[] w = new float[4 * 80];
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

  private static Reduced decode(byte[] d, Parsed p, int scale) throws CorruptException {
    Component[] comps = p.scan;
    int hmax = 1;
    int vmax = 1;
    for (Component c : p.components) {
      hmax = Math.max(hmax, c.h);
      vmax = Math.max(vmax, c.v);
    }
    for (Component c : comps) {
      if (p.dc[c.dcTable] == null || p.ac[c.acTable] == null || p.quant[c.tq] == null) {
        throw new CorruptException("the scan uses a table the file does not define");
      }
    }
    Component y = p.components[0];
    if (hmax % y.h != 0 || vmax % y.v != 0) {
      return null; // luma blocks that do not tile the image evenly: leave it to the full decoder
    }
    boolean single = comps.length == 1;
    int mcusX;
    int mcusY;
    if (single) {
      // A one-component scan is not interleaved: its MCU is one block of that component.
      mcusX = (ceilDiv(p.width * y.h, hmax) + 7) / 8;
      mcusY = (ceilDiv(p.height * y.v, vmax) + 7) / 8;
    } else {
      mcusX = ceilDiv(p.width, 8 * hmax);
      mcusY = ceilDiv(p.height, 8 * vmax);
    }
    int yBlocksX = single ? mcusX : mcusX * y.h;
    int yBlocksY = single ? mcusY : mcusY * y.v;
    int perBlock = 8 / scale; // cells along each side of a block
    int gridW = yBlocksX * perBlock;
    float[] grid = new float[gridW * yBlocksY * perBlock];
    float dcScale = p.quant[y.tq][0] / 8f;
    float[] lumaWeights = perBlock == 2 ? quadrantWeights(p.quant[y.tq]) : null;
    Entropy bits = Entropy.of(d, p.scanStart, p.restartInterval > 0);
    byte[] data = bits.bytes;
    int restartsLeft = p.restartInterval;
    for (Component c : comps) {
      c.pred = 0;
    }
    for (int my = 0; my < mcusY; my++) {
      for (int mx = 0; mx < mcusX; mx++) {
        if (p.restartInterval > 0) {
          if (restartsLeft == 0) {
            bits.restart();
            restartsLeft = p.restartInterval;
            for (Component c : comps) {
              c.pred = 0;
            }
          }
          restartsLeft--;
        }
        for (Component c : comps) {
          int bh = single ? 1 : c.h;
          int bv = single ? 1 : c.v;
          Huffman dcTable = p.dc[c.dcTable];
          Huffman acTable = p.ac[c.acTable];
          int[] dcFast = dcTable.fast;
          int[] acSteps = acTable.acSteps;
          float[] weights = c == y ? lumaWeights : null;
          int[] skips = weights == null ? skipTable(acTable) : null;
          for (int by = 0; by < bv; by++) {
            for (int bx = 0; bx < bh; bx++) {
              // The bit reader lives in locals here: this loop is most of the work, and short runs use the
              // quick (C1) compiler, which keeps fields in memory. 32 bits are loaded whenever fewer are left
              // (a symbol takes at most 27).
              long acc = bits.acc;
              int count = bits.count;
              int pos = bits.pos;
              if (count < 32) {
                acc = (acc << 32) | ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
                pos += 4;
                count += 32;
              }
              int e = dcFast[(int) (acc >>> (count - 9)) & 511];
              int s;
              if (e != 0) {
                count -= e >>> 8;
                s = e & 0xFF;
              } else {
                bits.acc = acc;
                bits.count = count;
                s = bits.decodeLong(dcTable);
                acc = bits.acc;
                count = bits.count;
              }
              if (s > 11) {
                throw new CorruptException("bad DC difference in the image data");
              }
              if (s > 0) {
                c.pred += extend((int) (acc >>> (count - s)) & ((1 << s) - 1), s);
                count -= s;
              }
              float q0 = 0;
              float q1 = 0;
              float q2 = 0;
              float q3 = 0;
              for (int k = 1; k < 64; ) {
                if (count < 32) {
                  acc = (acc << 32) | ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
                  pos += 4;
                  count += 32;
                }
                if (skips != null) {
                  int skip = skips[(int) (acc >>> (count - SKIP_BITS)) & ((1 << SKIP_BITS) - 1)];
                  // Unless the symbols would run past the block's last coefficient (then one at a time).
                  if (skip != 0 && k + ((skip >>> 5) & 0xFF) < 64) {
                    count -= skip & 31;
                    if ((skip & SKIP_END_OF_BLOCK) != 0) {
                      break;
                    }
                    k += (skip >>> 5) & 0xFF;
                    continue;
                  }
                }
                int step = acSteps[(int) (acc >>> (count - AC_LOOKUP_BITS)) & ((1 << AC_LOOKUP_BITS) - 1)];
                if (step == 0) {
                  bits.acc = acc;
                  bits.count = count;
                  step = acStep(bits.decodeLong(acTable), 0);
                  acc = bits.acc;
                  count = bits.count;
                }
                count -= step & 31; // the code and the magnitude bits after it
                int size = (step >>> 5) & 15;
                if (weights != null && size != 0) {
                  int at = 4 * (k + ((step >>> 9) & 15));
                  float w = weights[at];
                  if (w != 0f) {
                    float coefficient = extend((int) (acc >>> count) & ((1 << size) - 1), size);
                    q0 += coefficient * w;
                    q1 += coefficient * weights[at + 1];
                    q2 += coefficient * weights[at + 2];
                    q3 += coefficient * weights[at + 3];
                  }
                }
                k += step >>> 13;
              }
              bits.acc = acc;
              bits.count = count;
              bits.pos = pos;
              if (c == y) {
                int gx = (single ? mx : mx * y.h + bx) * perBlock;
                int gy = (single ? my : my * y.v + by) * perBlock;
                float mean = c.pred * dcScale + 128f;
                int at = gy * gridW + gx;
                grid[at] = mean + q0;
                if (perBlock == 2) {
                  grid[at + 1] = mean + q1;
                  grid[at + gridW] = mean + q2;
                  grid[at + gridW + 1] = mean + q3;
                }
              }
            }
          }
        }
        if (bits.overrun()) {
          throw new CorruptException("the JPEG data ends early (truncated file)");
        }
      }
    }
    // Keep the cells that cover the image (the rest is MCU padding).
    int cellsX = ceilDiv(ceilDiv(p.width * y.h, hmax), scale);
    int cellsY = ceilDiv(ceilDiv(p.height * y.v, vmax), scale);
    float[] means = new float[cellsX * cellsY];
    for (int row = 0; row < cellsY; row++) {
      for (int col = 0; col < cellsX; col++) {
        means[row * cellsX + col] = Math.max(0f, Math.min(255f, grid[row * gridW + col]));
      }
    }
    return new Reduced(p.width, p.height, cellsX, cellsY, scale * hmax / y.h, scale * vmax / y.v, means, p.orientation);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
