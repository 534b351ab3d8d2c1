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
 * buffers cost several times the compression itself. The deflater (about 270 KB of native memory at level 4)
 * is kept per thread and reset between images, which gives the same bytes as a fresh one.
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
    byte[] rows = new byte[(rowBytes + 1) * height];
    for (int y = 0; y < height; y++) {
      System.arraycopy(pixels, y * rowBytes, rows, y * (rowBytes + 1) + 1, rowBytes); // filter byte 0 before each row
    }
    byte[] compressed = deflate(rows);

    ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length + 64);
    out.writeBytes(SIGNATURE);
    byte[] header = new byte[13];
    putInt(header, 0, width);
    putInt(header, 4, height);
    header[8] = 8; // bits a sample
    header[9] = (byte) (channels == 1 ? 0 : 2); // gray, or RGB
    chunk(out, "IHDR", header, 0, header.length);
    int offset = 0;
    do {
      int length = Math.min(IDAT_LENGTH, compressed.length - offset);
      chunk(out, "IDAT", compressed, offset, length);
      offset += length;
    } while (offset < compressed.length);
    chunk(out, "IEND", compressed, 0, 0);
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = DEFLATERS.get();
    deflater.reset();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    byte[] buffer = new byte[Math.min(data.length + 64, 65_536)];
    while (!deflater.finished()) {
      int n = deflater.deflate(buffer);
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
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
