package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.PngStream.ADAM7;
import static dev.speedup.transforms.images.PngStream.chunk;
import static dev.speedup.transforms.images.PngStream.type;
import static dev.speedup.transforms.images.PngStream.u32;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;
import dev.speedup.transforms.images.PngStream.Header;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG's image data (its IDAT chunks' zlib stream) as the rows it inflates to, each filter byte first, in the
 * order they are stored. Inflated whole by libdeflate ({@link WholeInflate}) where the decoding budget has room
 * for all the rows now; otherwise streamed through zlib a row at a time, so that only two rows are held,
 * whatever the image's size.
 */
abstract class PngImageData {
  /** The next {@code length} bytes of the image data into {@code row}. */
  abstract void read(byte[] row, int length) throws CorruptException;

  /** Gives back what the data holds. */
  abstract void end();

  /**
   * The image data of {@code d}, whose header is {@code h}, at {@code bpp} bytes a pixel: inflated whole into
   * a buffer from {@code buffers} if it has room now (null: never), else streamed.
   */
  static PngImageData of(byte[] d, Header h, int bpp, InflateBuffers buffers) {
    PngImageData whole = buffers == null ? null : Whole.of(d, h, bpp, buffers);
    return whole != null ? whole : new Streamed(d, h.dataStart());
  }

  /** The bytes the image data inflates to: each row of each pass, its filter byte first. */
  static long inflatedSize(Header h, int bpp) {
    if (!h.interlaced()) {
      return (long) h.height() * ((long) h.width() * bpp + 1);
    }
    long size = 0;
    for (int[] pass : ADAM7) {
      long columns = h.width() > pass[0] ? (h.width() - pass[0] + pass[2] - 1) / pass[2] : 0;
      long passRows = h.height() > pass[1] ? (h.height() - pass[1] + pass[3] - 1) / pass[3] : 0;
      if (columns > 0 && passRows > 0) {
        size += passRows * (columns * bpp + 1);
      }
    }
    return size;
  }

  /**
   * The image data inflated whole into a buffer from {@link InflateBuffers}, the rows then copied out of it.
   * At any doubt (no buffer free now, a chunk that fails its check, data that does not inflate to exactly the
   * image's rows) {@link #of} returns null, and the data is streamed instead: the stream names what is wrong,
   * or reads what it can, as it did before there was a whole path. So a file's outcome, and its thumbnail, do
   * not depend on which path read it.
   */
  private static final class Whole extends PngImageData {
    private final InflateBuffers buffers;
    private final ByteBuffer buffer;
    private final ByteBuffer rows;
    private int at;

    private Whole(InflateBuffers buffers, ByteBuffer buffer, ByteBuffer rows) {
      this.buffers = buffers;
      this.buffer = buffer;
      this.rows = rows;
    }

    static Whole of(byte[] d, Header h, int bpp, InflateBuffers buffers) {
      long size = inflatedSize(h, bpp);
      if (!WholeInflate.available()) {
        return null;
      }
      CRC32 crc = new CRC32();
      long compressed = 0;
      int first = -1;
      try {
        for (int at = h.dataStart(); ; ) {
          int length = chunk(d, at, crc);
          if (type(d, at + 4, "IEND")) {
            break;
          }
          if (type(d, at + 4, "IDAT")) {
            compressed += length;
            first = first < 0 ? at : first;
          }
          at += 12 + length;
        }
      } catch (CorruptException e) {
        return null;
      }
      if (compressed < 2) {
        return null;
      }
      // The IDAT chunks' data put together, then the rows it inflates to.
      ByteBuffer buffer = buffers.take(compressed + size);
      if (buffer == null) {
        return null;
      }
      boolean kept = false;
      try {
        int n = 0;
        for (int at = first; !type(d, at + 4, "IEND"); ) {
          int length = u32(d, at);
          if (type(d, at + 4, "IDAT")) {
            buffer.put(n, d, at + 8, length);
            n += length;
          }
          at += 12 + length;
        }
        if (!ZlibHeader.valid(buffer.get(0) & 0xFF, buffer.get(1) & 0xFF)) {
          return null;
        }
        ByteBuffer rows = buffer.slice(n, (int) size);
        if (!WholeInflate.inflate(buffer.slice(2, n - 2), rows.duplicate())) {
          return null;
        }
        kept = true;
        return new Whole(buffers, buffer, rows);
      } finally {
        if (!kept) {
          buffers.give(buffer);
        }
      }
    }

    @Override
    void read(byte[] row, int length) {
      rows.get(at, row, 0, length);
      at += length;
    }

    @Override
    void end() {
      buffers.give(buffer);
    }
  }

  /** The image data inflated a row at a time, each chunk's CRC checked as it is reached. */
  private static final class Streamed extends PngImageData {
    private final byte[] d;
    private final Inflater inflater = new Inflater(true);
    private final ZlibHeader zlib = new ZlibHeader();
    private final CRC32 crc = new CRC32();
    private int at;

    /** The first IDAT chunk is fed at the first read, as the inflater then needs input. */
    Streamed(byte[] d, int firstIdat) {
      this.d = d;
      this.at = firstIdat;
    }

    @Override
    void read(byte[] row, int length) throws CorruptException {
      try {
        int filled = 0;
        while (filled < length) {
          int n = inflater.inflate(row, filled, length - filled);
          filled += n;
          if (n == 0) {
            if (inflater.finished()) {
              throw new CorruptException("the PNG's image data ends before its last row (truncated file)");
            }
            if (!inflater.needsInput()) {
              throw new CorruptException("the PNG's image data is not valid zlib data (damaged file)");
            }
            nextIdat();
          }
        }
      } catch (DataFormatException e) {
        throw new CorruptException("the PNG's image data is not valid zlib data (damaged file)");
      }
    }

    /** The next IDAT chunk (other chunks may not come between them, but are skipped if they do). */
    private void nextIdat() throws CorruptException {
      while (true) {
        int length = chunk(d, at, crc);
        boolean idat = type(d, at + 4, "IDAT");
        if (type(d, at + 4, "IEND")) {
          throw new CorruptException("the PNG's image data ends before its last row (truncated file)");
        }
        int start = at;
        at += 12 + length;
        if (idat) {
          zlib.feed(inflater, d, start + 8, length);
          return;
        }
      }
    }

    @Override
    void end() {
      inflater.end();
    }
  }

  /**
   * The IDAT chunks hold a zlib stream; it is inflated as raw deflate, its 2-byte header checked here, so
   * neither inflater computes its Adler-32 over every byte: each chunk's CRC already guards the data.
   */
  private static final class ZlibHeader {
    private int read;
    private int cmf;

    void feed(Inflater inflater, byte[] d, int off, int len) throws CorruptException {
      while (read < 2 && len > 0) {
        int b = d[off++] & 0xFF;
        len--;
        if (read++ == 0) {
          cmf = b;
        } else if (!wellFormed(cmf, b)) {
          throw new CorruptException("the PNG's image data is not valid zlib data (damaged file)");
        } else if (presetDictionary(b)) {
          throw new CorruptException("the PNG's image data asks for a preset dictionary");
        }
      }
      inflater.setInput(d, off, len);
    }

    /** A zlib header this class accepts: well formed, and no preset dictionary. */
    static boolean valid(int cmf, int flg) {
      return wellFormed(cmf, flg) && !presetDictionary(flg);
    }

    /** Deflate, a window of at most 32 KB, and the header's check right. */
    private static boolean wellFormed(int cmf, int flg) {
      return (cmf & 0x0F) == 8 && (cmf >>> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
    }

    private static boolean presetDictionary(int flg) {
      return (flg & 0x20) != 0;
    }
  }
}
