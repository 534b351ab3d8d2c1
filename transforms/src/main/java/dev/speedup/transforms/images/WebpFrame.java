package dev.speedup.transforms.images;

import java.io.ByteArrayOutputStream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A WebP image as libwebp's simple decoder takes it, and where it sits on its canvas: a still WebP is its own
 * canvas; an animation's first frame is taken out of its container as a still WebP for libwebp, whose simple
 * decoder refuses animations (the pure-Java reader that would take them decodes some lossy frames wrongly:
 * dark, with blocks, where libwebp and browsers show the picture). The frame's bitstream is copied as it
 * is, with its alpha if it has one; where it sits on the canvas comes with it, since a first frame may
 * cover only part of the canvas (the rest is transparent until a later frame).
 *
 * <p>Read from the WebP container specification: chunks of a FourCC, a little-endian 32-bit length and the
 * payload padded to even length; {@code VP8X} gives the canvas, each {@code ANMF} a frame: its offset (in
 * units of two pixels), its size and then its own chunks, an optional {@code ALPH} and one {@code VP8} or
 * {@code VP8L}.
 *
 * @param still the frame as a still WebP
 * @param canvasWidth the canvas width (an animation's, or the still's own)
 * @param canvasHeight and its height
 * @param x where the frame's left edge falls on the canvas
 * @param y where its top edge falls
 * @param width the frame's width
 * @param height the frame's height
 */
record WebpFrame(byte[] still, int canvasWidth, int canvasHeight, int x, int y, int width, int height) {

  /** A still WebP of {@code width x height}: one frame, the whole canvas. */
  static WebpFrame ofStill(byte[] d, int width, int height) {
    return new WebpFrame(d, width, height, 0, 0, width, height);
  }

  /** Whether the frame covers the whole canvas. */
  boolean whole() {
    return x == 0 && y == 0 && width == canvasWidth && height == canvasHeight;
  }

  /** The first frame of {@code d}, an animated WebP; null if the container has none or is cut short. */
  static @Nullable WebpFrame firstOf(byte[] d) {
    int canvasWidth = -1;
    int canvasHeight = -1;
    for (long at = 12; at + 8 <= d.length; ) {
      long length = u32(d, (int) at + 4);
      long end = at + 8 + length;
      if (end > d.length) {
        return null;
      }
      int payload = (int) at + 8;
      if (is(d, (int) at, "VP8X") && length >= 10) {
        canvasWidth = u24(d, payload + 4) + 1;
        canvasHeight = u24(d, payload + 7) + 1;
      } else if (is(d, (int) at, "ANMF") && length >= 16 && canvasWidth > 0) {
        return frame(d, payload, (int) end, canvasWidth, canvasHeight);
      }
      at = end + (length & 1);
    }
    return null;
  }

  private static @Nullable WebpFrame frame(byte[] d, int payload, int end, int canvasWidth, int canvasHeight) {
    int x = 2 * u24(d, payload);
    int y = 2 * u24(d, payload + 3);
    int width = u24(d, payload + 6) + 1;
    int height = u24(d, payload + 9) + 1;
    if ((long) x + width > canvasWidth || (long) y + height > canvasHeight) {
      return null; // the specification's rule; a frame outside its canvas is damage
    }
    int alpha = -1;
    for (long at = payload + 16; at + 8 <= end; ) {
      long length = u32(d, (int) at + 4);
      long chunkEnd = at + 8 + length;
      if (chunkEnd > end) {
        return null;
      }
      if (is(d, (int) at, "ALPH")) {
        alpha = (int) at;
      } else if (is(d, (int) at, "VP8 ") || is(d, (int) at, "VP8L")) {
        byte[] still = still(d, alpha, (int) at, width, height);
        return new WebpFrame(still, canvasWidth, canvasHeight, x, y, width, height);
      }
      at = chunkEnd + (length & 1);
    }
    return null;
  }

  /**
   * A still WebP of the bitstream chunk at {@code bitstream}: the simple format, or with its alpha chunk
   * the extended one, whose {@code VP8X} declares the alpha and the frame's size.
   */
  private static byte[] still(byte[] d, int alpha, int bitstream, int width, int height) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {'W', 'E', 'B', 'P'});
    if (alpha >= 0 && is(d, bitstream, "VP8 ")) {
      body.writeBytes(new byte[] {'V', 'P', '8', 'X', 10, 0, 0, 0, 0x10, 0, 0, 0});
      writeU24(body, width - 1);
      writeU24(body, height - 1);
      chunk(body, d, alpha);
    }
    chunk(body, d, bitstream);
    ByteArrayOutputStream file = new ByteArrayOutputStream(body.size() + 8);
    file.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
    writeU24(file, body.size() & 0xFFFFFF);
    file.write(body.size() >>> 24);
    file.writeBytes(body.toByteArray());
    return file.toByteArray();
  }

  /** Copies the chunk at {@code at}, header, payload and padding. */
  private static void chunk(ByteArrayOutputStream out, byte[] d, int at) {
    int length = (int) u32(d, at + 4);
    out.write(d, at, 8 + length);
    if ((length & 1) != 0) {
      out.write(0);
    }
  }

  private static boolean is(byte[] d, int at, String fourCc) {
    for (int i = 0; i < 4; i++) {
      if (d[at + i] != fourCc.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long u32(byte[] d, int at) {
    return (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8 | (d[at + 2] & 0xFF) << 16 | (d[at + 3] & 0xFFL) << 24;
  }

  private static int u24(byte[] d, int at) {
    return (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8 | (d[at + 2] & 0xFF) << 16;
  }

  private static void writeU24(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >>> 8) & 0xFF);
    out.write((v >>> 16) & 0xFF);
  }
}
