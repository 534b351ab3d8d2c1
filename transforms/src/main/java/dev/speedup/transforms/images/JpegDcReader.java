package dev.speedup.transforms.images;

/**
 * Shrink-on-load for baseline JPEGs: decodes the entropy-coded data but keeps only each 8x8 block's DC
 * coefficient, which is the block's mean, so the result is the luma image at 1/8 scale without any inverse
 * DCT (as libjpeg's {@code scale_denom=8}, used by libvips and Pillow's {@code draft()}).
 *
 * <p>Handles baseline and extended Huffman JPEGs (SOF0, SOF1) with 8-bit samples, one component or three
 * YCbCr components in one interleaved scan, any sampling factors and restart intervals. Anything else
 * (progressive, arithmetic, lossless, 12-bit, CMYK/YCCK, Adobe RGB, several scans) returns {@code null}:
 * the caller decodes it fully instead. A stream that ends before its last block throws
 * {@link CorruptException}.
 */
public final class JpegDcReader {
  /** The 1/8-scale luma image: one mean per 8x8 block of the (unrotated) image. */
  public record DcImage(
      int width, int height, int cellsX, int cellsY, int cellWidth, int cellHeight, float[] means, int orientation) {}

  /** Structural damage found while decoding (e.g. the data ends early). */
  public static final class CorruptException extends Exception {
    CorruptException(String message) {
      super(message);
    }
  }

  /** The header facts a caller needs before deciding anything: size, components, orientation. */
  public record Header(int width, int height, int components, int precision, boolean baseline, int orientation) {}

  private JpegDcReader() {}

  private static final class Component {
    int id;
    int h;
    int v;
    int tq;
    int dcTable;
    int acTable;
    int pred;
  }

  private static final class Huffman {
    // Fast lookup on the next 9 bits: (length << 8) | value, or 0 when the code is longer.
    final int[] fast = new int[512];
    final int[] maxCode = new int[18];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    final byte[] values;

    Huffman(byte[] counts, byte[] values) throws CorruptException {
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
        }
        maxCode[len] = n == 0 ? -1 : code - 1;
        code <<= 1;
      }
      maxCode[17] = Integer.MAX_VALUE;
    }
  }

  /** Reads the header (up to the first frame header); null if this is not a JPEG. */
  public static Header header(byte[] data) throws CorruptException {
    Parsed p = parse(data, false);
    return p == null || p.width == 0 ? null : new Header(p.width, p.height, p.components.length, p.precision, p.baseline, p.orientation);
  }

  /** The 1/8-scale luma image, or null when this JPEG needs a full decoder. */
  public static DcImage read(byte[] data) throws CorruptException {
    Parsed p = parse(data, true);
    if (p == null || !p.supported) {
      return null;
    }
    return decode(data, p);
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

  /** Bit reader over entropy-coded data: removes stuffed zero bytes, stops at markers. */
  private static final class Bits {
    final byte[] d;
    int pos;
    long acc;
    int count;
    int padding; // zero bits appended past a marker or the end; consuming them means the data ran out
    boolean exhausted;
    int markerAt = -1;

    Bits(byte[] d, int pos) {
      this.d = d;
      this.pos = pos;
    }

    void fill() {
      while (count <= 48) {
        int b;
        if (markerAt >= 0 || pos >= d.length) {
          b = 0;
          padding += 8;
        } else {
          b = d[pos] & 0xFF;
          if (b == 0xFF) {
            int next = pos + 1 < d.length ? d[pos + 1] & 0xFF : -1;
            if (next == 0) {
              pos += 2;
            } else {
              markerAt = pos;
              b = 0;
              padding += 8;
            }
          } else {
            pos++;
          }
        }
        acc = (acc << 8) | b;
        count += 8;
      }
    }

    int peek(int n) {
      if (count < n) {
        fill();
      }
      return (int) (acc >>> (count - n)) & ((1 << n) - 1);
    }

    void skip(int n) {
      count -= n;
      if (count < padding) {
        exhausted = true;
      }
    }

    int decode(Huffman h) throws CorruptException {
      int look = peek(9);
      int e = h.fast[look];
      if (e != 0) {
        skip(e >>> 8);
        return e & 0xFF;
      }
      int code = peek(16);
      for (int len = 10; len <= 16; len++) {
        int c = code >>> (16 - len);
        if (c <= h.maxCode[len]) {
          skip(len);
          int idx = h.valPtr[len] + c - h.minCode[len];
          if (idx < 0 || idx >= h.values.length) {
            throw new CorruptException("bad Huffman code");
          }
          return h.values[idx] & 0xFF;
        }
      }
      throw new CorruptException("bad Huffman code in the image data");
    }

    /** At a restart: drop the partial byte, step over RSTn. */
    void restart() throws CorruptException {
      count = 0;
      acc = 0;
      padding = 0;
      if (markerAt >= 0) {
        pos = markerAt;
        markerAt = -1;
      }
      while (pos < d.length && (d[pos] & 0xFF) == 0xFF) {
        pos++;
      }
      if (pos >= d.length) {
        exhausted = true;
        return;
      }
      int m = d[pos] & 0xFF;
      if (m < 0xD0 || m > 0xD7) {
        throw new CorruptException("expected a restart marker in the image data");
      }
      pos++;
    }
  }

  private static int extend(int v, int s) {
    return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
  }

  private static DcImage decode(byte[] d, Parsed p) throws CorruptException {
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
    float[] dc = new float[yBlocksX * yBlocksY];
    float scale = p.quant[y.tq][0] / 8f;
    Bits bits = new Bits(d, p.scanStart);
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
          int[] acFast = acTable.fast;
          for (int by = 0; by < bv; by++) {
            for (int bx = 0; bx < bh; bx++) {
              // The bit buffer lives in locals here: this loop is most of the work, and small method
              // calls are not inlined by the quick (C1) compiler short runs use.
              long acc = bits.acc;
              int count = bits.count;
              if (count < 32) {
                bits.count = count;
                bits.fill();
                acc = bits.acc;
                count = bits.count;
              }
              int e = dcFast[(int) (acc >>> (count - 9)) & 511];
              int s;
              if (e != 0) {
                count -= e >>> 8;
                s = e & 0xFF;
              } else {
                bits.acc = acc;
                bits.count = count;
                s = bits.decode(dcTable);
                acc = bits.acc;
                count = bits.count;
              }
              if (s > 11) {
                throw new CorruptException("bad DC difference in the image data");
              }
              int diff = 0;
              if (s > 0) {
                diff = extend((int) (acc >>> (count - s)) & ((1 << s) - 1), s);
                count -= s;
              }
              c.pred += diff;
              for (int k = 1; k < 64; ) {
                if (count < 32) {
                  bits.count = count;
                  bits.fill();
                  acc = bits.acc;
                  count = bits.count;
                }
                int rs;
                int a = acFast[(int) (acc >>> (count - 9)) & 511];
                if (a != 0) {
                  count -= a >>> 8;
                  rs = a & 0xFF;
                } else {
                  bits.acc = acc;
                  bits.count = count;
                  rs = bits.decode(acTable);
                  acc = bits.acc;
                  count = bits.count;
                }
                int sz = rs & 15;
                if (sz == 0) {
                  if (rs != 0xF0) {
                    break; // end of block
                  }
                  k += 16;
                } else {
                  k += (rs >> 4) + 1;
                  count -= sz; // the coefficient itself is not needed: only the DC term is kept
                }
              }
              bits.acc = acc;
              bits.count = count;
              if (c == y) {
                int gx = single ? mx : mx * y.h + bx;
                int gy = single ? my : my * y.v + by;
                dc[gy * yBlocksX + gx] = c.pred * scale + 128f;
              }
            }
          }
        }
        if (bits.count < bits.padding) {
          bits.exhausted = true;
        }
        if (bits.exhausted) {
          throw new CorruptException("the JPEG data ends early (truncated file)");
        }
      }
    }
    // Keep the blocks that cover the image (the rest is MCU padding).
    if (hmax % y.h != 0 || vmax % y.v != 0) {
      return null; // luma blocks that do not tile the image evenly: leave it to the full decoder
    }
    int cellsX = ceilDiv(ceilDiv(p.width * y.h, hmax), 8);
    int cellsY = ceilDiv(ceilDiv(p.height * y.v, vmax), 8);
    float[] means = new float[cellsX * cellsY];
    for (int row = 0; row < cellsY; row++) {
      for (int col = 0; col < cellsX; col++) {
        means[row * cellsX + col] = Math.max(0f, Math.min(255f, dc[row * yBlocksX + col]));
      }
    }
    return new DcImage(p.width, p.height, cellsX, cellsY, 8 * hmax / y.h, 8 * vmax / y.v, means, p.orientation);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
