package dev.speedup.transforms.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes 8-bit gray or RGB pixels as PNG, byte for byte as the JDK's ImageIO PNG writer writes a
 * {@code TYPE_BYTE_GRAY} or {@code TYPE_3BYTE_BGR} image with its default settings: IHDR, the rows unfiltered
 * (filter type 0, which that writer uses for every image that has no palette) deflated by zlib at level 4 into
 * IDAT chunks of at most 32,768 bytes, and IEND. Thumbnails written before this class existed keep their bytes.
 *
 * <p>Why not ImageIO: for a 64x64 thumbnail, looking up the writer and building its metadata, streams and row
 * buffers cost more than the compression itself. The deflater (about 270 KB of native memory at level 4)
 * is kept per thread and reset between images, which gives the same bytes as a fresh one. Memory beyond the
 * pixels is one row and one chunk, whatever the thumbnail's size.
 */
final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int LEVEL = 4;
  private static final int IDAT_LENGTH = 32_768;
  private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(LEVEL));

  private PngEncoder() {}

  /** {@code pixels}: {@code channels} (1 = gray, 3 = RGB) bytes a pixel, row after row. */
  static byte[] encode(int width, int height, int channels, byte[] pixels) {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
      throw new IllegalArgumentException("cannot write " + width + "x" + height + " with " + channels + " channels");
    }
    int rowBytes = width * channels;
    if ((long) rowBytes * height != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " bytes for " + width + "x" + height + "x" + channels);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 2 + 128);
    out.writeBytes(SIGNATURE);
    byte[] header = new byte[13];
    putInt(header, 0, width);
    putInt(header, 4, height);
    header[8] = 8; // bits a sample
    header[9] = (byte) (channels == 1 ? 0 : 2); // gray, or RGB
    chunk(out, "IHDR", header, 0, header.length);
    // Row by row, as that writer feeds its deflater (zlib's output does not depend on how its input is cut).
    long raw = (long) (rowBytes + 1) * height;
    // zlib's deflateBound, with room to spare: a thumbnail's few KB never fill a whole chunk's buffer.
    Idat idat = new Idat(out, (int) Math.min(IDAT_LENGTH, raw + (raw >> 12) + (raw >> 14) + 64));
    Deflater deflater = DEFLATERS.get();
    deflater.reset();
    byte[] row = new byte[rowBytes + 1]; // filter byte 0, then the row
    for (int y = 0; y < height; y++) {
      System.arraycopy(pixels, y * rowBytes, row, 1, rowBytes);
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.take(deflater);
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.take(deflater);
    }
    idat.close();
    chunk(out, "IEND", header, 0, 0);
    return out.toByteArray();
  }

  /**
   * Deflated bytes gathered into IDAT chunks of {@link #IDAT_LENGTH}, each written once full. The buffer is
   * smaller only where the whole stream is bound to fit in it, so the chunks fall where that writer's fall.
   */
  private static final class Idat {
    private final ByteArrayOutputStream out;
    private final byte[] data;
    private int filled;
    private boolean any;

    Idat(ByteArrayOutputStream out, int capacity) {
      this.out = out;
      this.data = new byte[capacity];
    }

    void take(Deflater deflater) {
      filled += deflater.deflate(data, filled, data.length - filled);
      if (filled == data.length) {
        chunk(out, "IDAT", data, 0, filled);
        filled = 0;
        any = true;
      }
    }

    void close() {
      if (filled > 0 || !any) {
        chunk(out, "IDAT", data, 0, filled);
      }
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int offset, int length) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    byte[] lengthBytes = new byte[4];
    putInt(lengthBytes, 0, length);
    out.writeBytes(lengthBytes);
    out.writeBytes(typeBytes);
    out.write(data, offset, length);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data, offset, length);
    byte[] crcBytes = new byte[4];
    putInt(crcBytes, 0, (int) crc.getValue());
    out.writeBytes(crcBytes);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
