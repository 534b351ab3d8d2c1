package dev.speedup.transforms.images;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run in a small-heap JVM by {@link WebpAndBudgetTest}: decodes large PNGs on 8 threads, or with an argument
 * the JPEG file it names 4 times on 4 threads; prints what happened.
 */
public final class BudgetProbe {
  private BudgetProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      byte[] file = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[0]));
      ExecutorService pool = daemonPool(4);
      List<Future<Thumbnailer.Result>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(() -> Thumbnailer.thumbnail(file,
            new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L))));
      }
      for (Future<Thumbnailer.Result> r : results) {
        r.get();
      }
      pool.shutdown();
      System.out.println("decoded " + results.size() + " of 4");
      return;
    }
    // Rasters: 2500x2000 RGB 8-bit with a colour key (RGBA once decoded) = 20 MB each; 4000x3000 RGB 16-bit = 72
    // MB or more, over the 22 MB budget alone and over this whole heap. The files are written row by row: the
    // probe never holds such a raster itself. A colour key (tRNS) on RGB is left to ImageIO, which decodes
    // such files whole (PngStream streams the rest).
    byte[] rgba = png(2500, 2000, 2, 8, true);
    byte[] rgb16 = png(4000, 3000, 2, 16, true);
    ExecutorService pool = daemonPool(8);
    List<Future<Thumbnailer.Result>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      byte[] file = i % 4 == 0 ? rgb16 : rgba;
      results.add(pool.submit(() -> Thumbnailer.thumbnail(file,
          new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.RGB, 100_000_000L))));
    }
    int decoded = 0;
    int subsampled = 0;
    for (Future<Thumbnailer.Result> r : results) {
      Thumbnailer.Result result = r.get();
      decoded++;
      subsampled += result.reducedOnLoad() ? 1 : 0;
    }
    pool.shutdown();
    System.out.println("decoded " + decoded + " of 16, subsampled " + subsampled + ", budget " + MemoryBudget.decoding().capacity());
  }

  /** A pool of daemon threads: a failure in main ends the JVM instead of leaving it waiting on them. */
  private static ExecutorService daemonPool(int threads) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
  }

  /** Adam7's passes: first column, first row, column step, row step. */
  private static final int[][] PASSES = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

  /**
   * A PNG of a gradient, {@code colorType} 2 (RGB) or 6 (RGBA), 8 or 16 bits, encoded a row at a time,
   * interlaced (Adam7) or not; an RGB one with a colour key (tRNS) for black.
   */
  static byte[] png(int w, int h, int colorType, int bits, boolean interlaced) throws Exception {
    int channels = colorType == 6 ? 4 : 3;
    int bytes = bits / 8;
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
      for (int[] pass : interlaced ? PASSES : new int[][] {{0, 0, 1, 1}}) {
        int pw = (w - pass[0] + pass[2] - 1) / pass[2];
        if (pw <= 0 || h <= pass[1]) {
          continue;
        }
        byte[] row = new byte[1 + pw * channels * bytes];
        for (int y = pass[1]; y < h; y += pass[3]) {
          for (int i = 0, x = pass[0]; x < w; i++, x += pass[2]) {
            for (int c = 0; c < channels; c++) {
              int v = c == 3 ? 255 : (x * (c + 1) + y) & 0xFF;
              for (int b = 0; b < bytes; b++) {
                row[1 + (i * channels + c) * bytes + b] = (byte) v;
              }
            }
          }
          z.write(row);
        }
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bits).put((byte) colorType)
        .put(new byte[] {0, 0, (byte) (interlaced ? 1 : 0)});
    chunk(png, "IHDR", header.array());
    if (colorType == 2) {
      chunk(png, "tRNS", new byte[6]);
    }
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    java.io.DataOutputStream d = new java.io.DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
