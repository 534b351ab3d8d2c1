package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The entropy-coded data with byte stuffing taken out, cut at restart markers: the bit reader then reads
 * plain bytes with no per-byte checks (most of the decoding time otherwise). Segment i, the data up to
 * the i-th restart marker, ends at {@code segmentEnds[i]}; each starts where the previous ended. Any other
 * marker, or the end of the file, ends the data.
 */
final class JpegEntropy {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * The most bytes one block can take: 64 symbols of at most 16 code bits and 11 magnitude bits, and the
   * 4 bytes loaded ahead. The decoder checks after every block that it has not read this far past the
   * data, so a crafted file (blocks that never end, more blocks an MCU than the standard's 10) cannot read
   * past the zeros that follow it.
   */
  static final int BLOCK_READ = 64 * 27 / 8 + 8;

  /** Zero bytes after the entropy-coded data: room for a few blocks to be read past its end. */
  static final int READ_AHEAD = 4 * BLOCK_READ;

  final byte[] bytes;
  final int[] segmentEnds;
  final int segments;
  /** Where in the file the data ended: the offset of the marker that ended it, or the file's length. */
  final int endInFile;
  // Bit reader: acc holds count unread bits in its low end; pos is the next byte of bytes to load.
  int segment;
  /** The current segment's end in bits, so that {@link #overrun} stays small enough for C1 to inline. */
  private long segmentEndBits;
  int pos;
  long acc;
  int count;

  private JpegEntropy(byte[] bytes, int[] segmentEnds, int segments, int endInFile) {
    this.bytes = bytes;
    this.segmentEnds = segmentEnds;
    this.segments = segments;
    this.endInFile = endInFile;
    this.segmentEndBits = 8L * segmentEnds[0];
  }

  /** True if the reader has gone past the data by more than the zeros after it allow for one more block. */
  boolean pastLimit(int position) {
    return position > bytes.length - BLOCK_READ;
  }

  static JpegEntropy of(byte[] d, int from, boolean restarts) {
    byte[] out = new byte[Math.max(0, d.length - from) + READ_AHEAD];
    int[] ends = new int[16];
    int segments = 0;
    int o = 0;
    int i = from;
    while (i < d.length) {
      int run = nextFF(d, i) - i;
      System.arraycopy(d, i, out, o, run);
      o += run;
      i += run;
      if (i >= d.length) {
        break;
      }
      int j = i + 1;
      while (j < d.length && d[j] == (byte) 0xFF) {
        j++; // fill bytes
      }
      if (j >= d.length) {
        i = d.length;
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
    return new JpegEntropy(out, ends, segments, Math.min(i, d.length));
  }

  /**
   * The offset of the first 0xFF byte at or after {@code i}, or the array's length. Eight bytes are tested at
   * once: entropy-coded data has a 0xFF about every 256 bytes, and the rest is copied as a run between them.
   */
  private static int nextFF(byte[] d, int i) {
    while (i + 8 <= d.length) {
      long inverted = ~(long) LONGS.get(d, i);
      // A byte of the inverted word is zero (an 0xFF in the data) where this sets its top bit.
      long zeros = (inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
      i += 8;
    }
    while (i < d.length && d[i] != (byte) 0xFF) {
      i++;
    }
    return i;
  }

  /** True if more bits were taken than the current segment holds: the data ended early. */
  boolean overrun() {
    return 8L * pos - count > segmentEndBits;
  }

  /** Decodes a code too long for the lookup tables (needs count >= 16). */
  int decodeLong(JpegHuffman h) throws CorruptException {
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

  /**
   * Before each MCU of a scan with restart interval {@code interval} (0: none): true if a restart marker
   * comes first, the reader then at the next segment, and the caller resets its DC predictions.
   */
  boolean restartBeforeMcu(int interval) throws CorruptException {
    return interval > 0 && restartDue(interval); // small enough for C1 to inline: called before every MCU
  }

  private boolean restartDue(int interval) throws CorruptException {
    boolean restarted = false;
    if (mcusSinceRestart == interval) {
      restart();
      mcusSinceRestart = 0;
      restarted = true;
    }
    mcusSinceRestart++;
    return restarted;
  }

  private int mcusSinceRestart;

  /**
   * After the last MCU of a segment (before a restart marker, or at the end of a scan): a decoder that went
   * astray in damaged data (a flipped bit, zeroed bytes) usually stops short of the segment's end. Only the
   * padding of the last byte may be left; libjpeg warns of "extraneous bytes before marker" there, which the
   * full decoder's path treats as damage too.
   */
  void checkSegmentEnd() throws CorruptException {
    long left = segmentEndBits - (8L * pos - count);
    if (left >= 8) {
      throw new CorruptException("damaged image data: " + left / 8 + " bytes left over at the end of a scan or restart interval");
    }
  }

  /** At a restart marker: the next segment, from its first byte. */
  private void restart() throws CorruptException {
    checkSegmentEnd();
    if (segment + 1 >= segments) {
      throw new CorruptException("the JPEG data ends early (truncated file)");
    }
    pos = segmentEnds[segment];
    segment++;
    segmentEndBits = 8L * segmentEnds[segment];
    acc = 0;
    count = 0;
  }

  /** Loads bytes until at least 32 bits are ready (the plain reader of the slower paths). */
  void fill() {
    if (count < 32) {
      acc = (acc << 32) | ((bytes[pos] & 0xFFL) << 24) | ((bytes[pos + 1] & 0xFF) << 16) | ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
      pos += 4;
      count += 32;
    }
  }

  /** The next {@code n} bits (at most 16, after {@link #fill}). */
  int take(int n) {
    count -= n;
    return (int) (acc >>> count) & ((1 << n) - 1);
  }

  /** The next Huffman symbol (after {@link #fill}). */
  int decode(JpegHuffman h) throws CorruptException {
    int e = h.fast[(int) (acc >>> (count - 9)) & 511];
    if (e != 0) {
      count -= e >>> 8;
      return e & 0xFF;
    }
    return decodeLong(h);
  }
}
