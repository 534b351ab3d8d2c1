package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * A JPEG's headers, parsed once: the frame (size, precision, components and their sampling), the tables ({@link JpegTables}),
 * the restart interval, EXIF orientation, and the first scan's header. Every length and table id is checked
 * against the file before it is used: a crafted header is a {@link CorruptException}, never an index out of
 * bounds. Progressive files go on with {@link #nextScan}, which reads the tables and the header of the scan
 * after a given offset.
 */
final class JpegFrame {
  /** One component of the frame, with the tables its current scan uses. */
  static final class Component {
    int id;
    int h;
    int v;
    int tq;
    int dcTable;
    int acTable;
    int pred;
  }

  /** A scan's header: its components, spectral selection and successive approximation, where its data starts. */
  record Scan(Component[] components, int spectralStart, int spectralEnd, int approxHigh, int approxLow, int dataStart) {}

  int width;
  int height;
  int precision;
  int sof = -1;
  int orientation = 1;
  int adobeTransform = -1;
  /** The APP2 {@code ICC_PROFILE} segments in file order: each {start, end} of what follows the 12-byte name. */
  final java.util.List<int[]> iccChunks = new java.util.ArrayList<>(1);
  Component[] components = new Component[0];
  /** The quantisation and Huffman tables as the segments read so far left them. */
  final JpegTables tables = new JpegTables();
  int restartInterval;
  /** The first scan, or null if the file ends (or reaches EOI) before one. */
  Scan scan;
  /** Whether {@link #nextScan} has met the end-of-image marker (not merely the end of the file). */
  boolean endOfImage;
  /** A progressive file's scans so far, each checked against those before it as it is read. */
  private JpegProgression progression;

  private JpegFrame() {}

  /** Baseline or extended sequential Huffman (SOF0, SOF1). */
  boolean sequential() {
    return sof == 0xC0 || sof == 0xC1;
  }

  boolean progressive() {
    return sof == 0xC2;
  }

  /** Arithmetic-coded (SOF9-11, 13-15) or lossless (SOF3, 7): no decoder here or in ImageIO reads them. */
  boolean exotic() {
    return sof == 0xC3 || sof == 0xC7 || sof >= 0xC9 && sof != 0xCC;
  }

  /** How a frame's components are read into colour, as far as the reduced reader takes them. */
  enum Colors {
    /** One luma component, or three YCbCr ones. */
    LUMA_OR_YCC,
    /** Four: cyan, magenta, yellow, black, stored inverted (as Adobe's applications write them). */
    CMYK,
    /** Four: YCbCr of the inverted C, M and Y, then K stored inverted (Adobe's transform 2). */
    YCCK
  }

  /**
   * The components' colours, decided as TwelveMonkeys' JPEG reader (the full decoder here) decides them for
   * four components: an Adobe segment's transform 0 means CMYK and any other YCCK (an Adobe segment claiming
   * YCC for four components is ignored); without one, components numbered 1 to 4 or named RGBA or YCcA hold
   * alpha and go to the full decoder, anything else is CMYK. Null: not read here.
   */
  Colors colors() {
    if (ycc()) {
      return Colors.LUMA_OR_YCC;
    }
    if (components.length != 4) {
      return null;
    }
    if (adobeTransform == 0) {
      return Colors.CMYK;
    }
    if (adobeTransform > 1) {
      return Colors.YCCK;
    }
    if (idsAre(1, 2, 3, 4) || idsAre('R', 'G', 'B', 'A') || idsAre('Y', 'C', 'c', 'A')) {
      return null;
    }
    return Colors.CMYK;
  }

  private boolean idsAre(int... ids) {
    for (int c = 0; c < ids.length; c++) {
      if (components[c].id != ids[c]) {
        return false;
      }
    }
    return true;
  }

  /** One luma component, or three YCbCr ones (not Adobe RGB, not components named R, G, B). */
  boolean ycc() {
    if (components.length == 1) {
      return true;
    }
    boolean rgbIds = components.length == 3 && components[0].id == 'R' && components[1].id == 'G' && components[2].id == 'B';
    return components.length == 3 && adobeTransform != 0 && !rgbIds;
  }

  int maxH() {
    int m = 1;
    for (Component c : components) {
      m = Math.max(m, c.h);
    }
    return m;
  }

  int maxV() {
    int m = 1;
    for (Component c : components) {
      m = Math.max(m, c.v);
    }
    return m;
  }

  /** Blocks of component {@code c} across the image (a one-component scan's MCUs): no MCU padding. */
  int blocksX(Component c) {
    return JpegReducedReader.ceilDiv(JpegReducedReader.ceilDiv(width * c.h, maxH()), 8);
  }

  int blocksY(Component c) {
    return JpegReducedReader.ceilDiv(JpegReducedReader.ceilDiv(height * c.v, maxV()), 8);
  }

  static int u16(byte[] d, int i) {
    return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
  }

  /** The headers up to the first scan; null if this is not a JPEG. */
  static JpegFrame parse(byte[] d) throws CorruptException {
    if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
      return null;
    }
    JpegFrame f = new JpegFrame();
    f.scan = f.nextScan(d, 2);
    if (f.sof < 0) {
      throw new CorruptException(f.scan == null ? "the JPEG has no frame header" : "image data before the frame header");
    }
    return f;
  }

  /**
   * Reads segments from {@code from} up to the next scan header and returns it; null at EOI or the end of
   * the file. Tables and restart intervals met on the way replace the current ones, as the standard says.
   */
  Scan nextScan(byte[] d, int from) throws CorruptException {
    int i = from;
    while (true) {
      while (i < d.length && (d[i] & 0xFF) != 0xFF) {
        i++; // tolerate junk between segments, as decoders do
      }
      while (i < d.length && (d[i] & 0xFF) == 0xFF) {
        i++;
      }
      if (i >= d.length) {
        return null;
      }
      int marker = d[i++] & 0xFF;
      if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        continue;
      }
      if (marker == 0xD9) {
        endOfImage = true;
        return null;
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
        case 0xE1 -> orientation = ExifOrientation.of(d, start, end, orientation);
        case 0xEE -> {
          if (len >= 14 && d[start] == 'A' && d[start + 1] == 'd' && d[start + 2] == 'o' && d[start + 3] == 'b' && d[start + 4] == 'e') {
            adobeTransform = d[start + 11] & 0xFF;
          }
        }
        case 0xE2 -> {
          if (len >= 16 && new String(d, start, 12, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE\0")) {
            iccChunks.add(new int[] {start + 12, end});
          }
        }
        case 0xDB -> tables.readQuantisation(d, start, end);
        case 0xC4 -> tables.readHuffman(d, start, end);
        case 0xDD -> {
          if (len < 4) {
            throw new CorruptException("bad restart interval segment");
          }
          restartInterval = u16(d, start);
        }
        case 0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> readFrame(d, marker, start, len);
        case 0xDA -> {
          return readScan(d, start, len, end);
        }
        default -> {
          // APPn, COM and the rest: skipped.
        }
      }
      i = end;
    }
  }

  private void readFrame(byte[] d, int marker, int start, int len) throws CorruptException {
    if (sof >= 0) {
      throw new CorruptException("a second frame header");
    }
    if (len < 8) {
      throw new CorruptException("bad frame header");
    }
    sof = marker;
    precision = d[start] & 0xFF;
    height = u16(d, start + 1);
    width = u16(d, start + 3);
    int n = d[start + 5] & 0xFF;
    if (n == 0 || len < 8 + 3 * n) {
      throw new CorruptException("bad frame header");
    }
    components = new Component[n];
    for (int c = 0; c < n; c++) {
      Component comp = new Component();
      comp.id = d[start + 6 + 3 * c] & 0xFF;
      comp.h = (d[start + 7 + 3 * c] & 0xFF) >> 4;
      comp.v = d[start + 7 + 3 * c] & 0x0F;
      comp.tq = d[start + 8 + 3 * c] & 0x0F;
      if (comp.h < 1 || comp.h > 4 || comp.v < 1 || comp.v > 4 || comp.tq > 3) {
        throw new CorruptException("bad sampling factors or table in the frame header");
      }
      components[c] = comp;
    }
  }

  private Scan readScan(byte[] d, int start, int len, int end) throws CorruptException {
    if (sof < 0) {
      throw new CorruptException("image data before the frame header");
    }
    int ns = len >= 3 ? d[start] & 0xFF : 0;
    if (ns < 1 || ns > 4 || len != 6 + 2 * ns) {
      throw new CorruptException("bad scan header");
    }
    Component[] scanned = new Component[ns];
    for (int s = 0; s < ns; s++) {
      int id = d[start + 1 + 2 * s] & 0xFF;
      int tables = d[start + 2 + 2 * s] & 0xFF;
      Component comp = null;
      for (Component c : components) {
        if (c.id == id) {
          comp = c;
        }
      }
      if (comp == null) {
        throw new CorruptException("a scan names a component the frame does not have");
      }
      comp.dcTable = tables >> 4;
      comp.acTable = tables & 0x0F;
      if (comp.dcTable > 3 || comp.acTable > 3) {
        throw new CorruptException("a scan names Huffman table " + Math.max(comp.dcTable, comp.acTable) + " (0 to 3 exist)");
      }
      scanned[s] = comp;
    }
    int at = start + 1 + 2 * ns;
    int approx = d[at + 2] & 0xFF;
    Scan scan = new Scan(scanned, d[at] & 0xFF, d[at + 1] & 0xFF, approx >> 4, approx & 0x0F, end);
    if (progressive()) {
      if (progression == null) {
        progression = new JpegProgression(components.length);
      }
      int[] indices = new int[ns];
      for (int s = 0; s < ns; s++) {
        indices[s] = java.util.Arrays.asList(components).indexOf(scanned[s]);
      }
      progression.admit(indices, scan.spectralStart(), scan.spectralEnd(), scan.approxHigh(), scan.approxLow());
    }
    return scan;
  }
}
