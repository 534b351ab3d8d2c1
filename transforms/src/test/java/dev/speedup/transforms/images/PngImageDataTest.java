package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.PngStreamTest.everyFilter;
import static dev.speedup.transforms.images.PngStreamTest.fixCrc;
import static dev.speedup.transforms.images.PngStreamTest.idatData;
import static dev.speedup.transforms.images.PngStreamTest.indexOf;
import static dev.speedup.transforms.images.PngStreamTest.interlaced;
import static dev.speedup.transforms.images.PngStreamTest.picture;
import static dev.speedup.transforms.images.PngStreamTest.png;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.Test;

/**
 * A PNG's image data inflated whole (libdeflate) gives the rows the zlib stream gives, and a damaged file the
 * same outcome either way.
 */
public class PngImageDataTest {
  private static final int MB = 1 << 20;

  /** Every row of {@code d} as the image data gives it, one array of filtered row bytes in all. */
  private static byte[] rows(byte[] d, InflateBuffers buffers) throws CorruptException {
    PngStream.Header h = PngStream.header(d);
    int bpp = h.channels() * h.bitDepth() / 8;
    long size = PngImageData.inflatedSize(h, bpp);
    PngImageData data = PngImageData.of(d, h, bpp, buffers);
    try {
      byte[] all = new byte[(int) size];
      byte[] row = new byte[h.width() * bpp + 1];
      for (int at = 0; at < size; at += row.length) {
        int length = (int) Math.min(row.length, size - at); // interlaced passes have shorter rows; read in pieces
        data.read(row, length);
        System.arraycopy(row, 0, all, at, length);
      }
      return all;
    } finally {
      data.end();
    }
  }

  /** {@code png} (as the JDK writes it: IEND right after the image data), its IDAT chunks at most {@code most} bytes. */
  static byte[] splitIdat(byte[] png, int most) throws Exception {
    byte[] data = idatData(png);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, indexOf(png, "IDAT") - 4);
    for (int i = 0; i < data.length; i += most) {
      out.write(chunk("IDAT", Arrays.copyOfRange(data, i, Math.min(data.length, i + most))));
    }
    out.write(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  static byte[] chunk(String type, byte[] data) {
    byte[] c = new byte[12 + data.length];
    ByteBuffer.wrap(c).putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    fixCrc(c, 0);
    return c;
  }

  @Test
  public void wholeAndStreamedGiveTheSameRows() throws Exception {
    List<byte[]> files = new ArrayList<>();
    int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_BYTE_INDEXED,
        BufferedImage.TYPE_USHORT_GRAY};
    for (int type : types) {
      byte[] plain = png(picture(type, 613, 421));
      files.add(plain);
      files.add(splitIdat(plain, 1)); // the zlib header itself split over two chunks
      files.add(splitIdat(plain, 8192));
      files.add(interlaced(picture(type, 77, 5)));
      if (type != BufferedImage.TYPE_BYTE_INDEXED) {
        files.add(everyFilter(plain));
      }
    }
    for (int i = 0; i < files.size(); i++) {
      InflateBuffers buffers = new InflateBuffers(64L * MB);
      byte[] whole = rows(files.get(i), buffers);
      assertTrue("file " + i + " was inflated whole", buffers.allocated() > 0);
      assertArrayEquals("file " + i, rows(files.get(i), null), whole);
    }
  }

  @Test
  public void withoutRoomTheDataIsStreamedAndGivesTheSamePixels() throws Exception {
    byte[] file = png(picture(BufferedImage.TYPE_INT_ARGB, 900, 700)); // 2.5 MB of rows
    InflateBuffers small = new InflateBuffers(MB);
    for (Thumbnailer.Color color : Thumbnailer.Color.values()) {
      assertArrayEquals(color.toString(), decode(file, color, new InflateBuffers(64L * MB)), decode(file, color, small));
    }
    assertEquals("nothing taken", 0, small.allocated());
  }

  private static byte[] decode(byte[] file, Thumbnailer.Color color, InflateBuffers buffers) throws CorruptException {
    PngStream.Header h = PngStream.header(file);
    AreaAccumulator acc = new AreaAccumulator(color.channels, h.width(), h.height(), 1, 1, h.width(), h.height(), 48, 32, Thumbnailer.Fit.STRETCH);
    PngStream.decode(file, h, color, acc, buffers);
    float[][] planes = acc.result();
    ByteBuffer out = ByteBuffer.allocate(planes.length * planes[0].length * 4);
    for (float[] plane : planes) {
      for (float v : plane) {
        out.putFloat(v);
      }
    }
    return out.array();
  }

  /** The outcome of decoding {@code file}: its failure's message, or its pixels as text. */
  private static String outcome(byte[] file, InflateBuffers buffers) {
    try {
      return "pixels " + Arrays.toString(decode(file, Thumbnailer.Color.RGB, buffers));
    } catch (CorruptException e) {
      return "failed: " + e.getMessage();
    }
  }

  /**
   * Damage the whole path cannot take (data cut short, a flipped byte, more data than the rows, a CRC broken
   * after the rows' data, a zlib header that is not one) goes to the stream, which says what it said before.
   */
  @Test
  public void aDamagedFileHasTheSameOutcomeWholeOrStreamed() throws Exception {
    byte[] file = splitIdat(png(picture(BufferedImage.TYPE_INT_RGB, 300, 200)), 4096);
    int idat = indexOf(file, "IDAT") - 4;
    List<byte[]> damaged = new ArrayList<>();
    byte[] flipped = file.clone();
    flipped[idat + 2000] ^= 0x55;
    fixCrc(flipped, idat);
    damaged.add(flipped);
    byte[] header = file.clone();
    header[idat + 9] = (byte) 0xBB;
    fixCrc(header, idat);
    damaged.add(header);
    byte[] badCrc = file.clone();
    badCrc[idat + 100] ^= 1; // CRC left as it was
    damaged.add(badCrc);
    int iend = indexOf(file, "IEND") - 4;
    byte[] noEnd = Arrays.copyOf(file, iend); // every IDAT whole, no IEND
    damaged.add(noEnd);
    // The rows' data of a larger image: more than this header's rows, which the stream reads and stops.
    byte[] bigger = png(picture(BufferedImage.TYPE_INT_RGB, 300, 260));
    damaged.add(spliceData(file, bigger));
    // A zlib stream of exactly the rows, then junk after its end in the same chunk.
    damaged.add(withTrailingJunk(file));
    int whole = 0;
    for (int i = 0; i < damaged.size(); i++) {
      String streamed = outcome(damaged.get(i), null);
      InflateBuffers buffers = new InflateBuffers(64L * MB);
      assertEquals("damage " + i, streamed, outcome(damaged.get(i), buffers));
      whole += buffers.allocated() > 0 ? 1 : 0;
    }
    assertTrue("some of them reached libdeflate", whole > 0);
  }

  /** {@code file} with the image data of {@code donor} in place of its own. */
  private static byte[] spliceData(byte[] file, byte[] donor) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int idat = indexOf(file, "IDAT") - 4;
    out.write(file, 0, idat);
    int d = indexOf(donor, "IDAT") - 4;
    int e = indexOf(donor, "IEND") - 4;
    out.write(donor, d, e - d);
    out.write(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  /** {@code file} with its rows deflated again, four bytes of junk after the zlib stream's end. */
  private static byte[] withTrailingJunk(byte[] file) throws Exception {
    byte[] raw = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(idatData(file))).readAllBytes();
    Deflater deflater = new Deflater(6);
    deflater.setInput(raw);
    deflater.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!deflater.finished()) {
      z.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    z.write(new byte[] {1, 2, 3, 4});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int idat = indexOf(file, "IDAT") - 4;
    out.write(file, 0, idat);
    out.write(chunk("IDAT", z.toByteArray()));
    out.write(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }
}
