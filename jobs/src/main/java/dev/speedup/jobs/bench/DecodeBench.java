package dev.speedup.jobs.bench;

import dev.speedup.transforms.images.Thumbnailer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Benchmark: one image file to its 64x64 gray thumbnail on one thread, the shipped path (shrink-on-load for
 * baseline JPEGs) against ImageIO's full decode with the same area-averaging downscale, on the same files
 * (read into memory first: decoding only). Prints median milliseconds per image over rounds, after a
 * warm-up round, and how the two thumbnails differ.
 *
 * <p>With THREADS above 1 it instead measures how the shipped path scales: every thread thumbnails every
 * file, and the throughput is compared with one thread's, rounds alternating between the two.
 *
 * <p>Run: {@code java -cp jobs/target/speedup.jar dev.speedup.jobs.bench.DecodeBench DIR [FILES] [ROUNDS] [THREADS]}
 */
public final class DecodeBench {
  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    List<byte[]> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> p.toString().endsWith(".jpeg") && !p.getFileName().toString().startsWith("._")).sorted().limit(limit).toList()) {
        files.add(Files.readAllBytes(p));
      }
    }
    Thumbnailer.Settings gray64 = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L);
    if (threads > 1) {
      scaling(files, gray64, rounds, threads);
      return;
    }
    long bytes = 0;
    long reduced = 0;
    double absDiff = 0;
    int worst = 0;
    for (byte[] f : files) {
      bytes += f.length;
      Thumbnailer.Result fast = Thumbnailer.thumbnail(f, gray64);
      Thumbnailer.Result full = Thumbnailer.thumbnailFully(f, gray64);
      reduced += fast.reducedOnLoad() ? 1 : 0;
      for (int i = 0; i < fast.pixels().length; i++) {
        int d = Math.abs((fast.pixels()[i] & 0xFF) - (full.pixels()[i] & 0xFF));
        absDiff += d;
        worst = Math.max(worst, d);
      }
    }
    double[] shipped = new double[rounds];
    double[] imageio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (byte[] f : files) {
        Thumbnailer.thumbnail(f, gray64);
      }
      long t1 = System.nanoTime();
      for (byte[] f : files) {
        Thumbnailer.thumbnailFully(f, gray64);
      }
      long t2 = System.nanoTime();
      shipped[r] = (t1 - t0) / 1e6 / files.size();
      imageio[r] = (t2 - t1) / 1e6 / files.size();
    }
    Arrays.sort(shipped);
    Arrays.sort(imageio);
    double s = shipped[rounds / 2];
    double full = imageio[rounds / 2];
    System.out.printf(Locale.ROOT,
        "decode: files=%d avg_kb=%.0f reduced_on_load=%d rounds=%d shipped_median_ms_per_image=%.2f (%.0f MB/s)"
            + " imageio_full_median_ms_per_image=%.2f ratio=%.1fx thumbnail_mean_abs_diff=%.3f worst_pixel_diff=%d%n",
        files.size(), bytes / 1024.0 / files.size(), reduced, rounds, s, bytes / (double) files.size() / 1e3 / s, full, full / s,
        absDiff / files.size() / (64 * 64), worst);
  }

  /** Median images/s of the shipped path on one thread and on {@code threads}, rounds interleaved. */
  private static void scaling(List<byte[]> files, Thumbnailer.Settings settings, int rounds, int threads) throws Exception {
    for (byte[] f : files) {
      Thumbnailer.thumbnail(f, settings); // warm-up
    }
    double[] one = new double[rounds];
    double[] many = new double[rounds];
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      for (int r = 0; r < rounds; r++) {
        one[r] = imagesPerSecond(files, settings, 1, pool);
        many[r] = imagesPerSecond(files, settings, threads, pool);
      }
    } finally {
      pool.shutdownNow();
    }
    Arrays.sort(one);
    Arrays.sort(many);
    System.out.printf(Locale.ROOT, "decode scaling: files=%d rounds=%d threads=%d median_images_per_s_1_thread=%.0f median_images_per_s_%d_threads=%.0f scaling=%.2fx (range %.2f..%.2f)%n",
        files.size(), rounds, threads, one[rounds / 2], threads, many[rounds / 2], many[rounds / 2] / one[rounds / 2],
        many[0] / one[rounds - 1], many[rounds - 1] / one[0]);
  }

  private static double imagesPerSecond(List<byte[]> files, Thumbnailer.Settings settings, int threads,
      java.util.concurrent.ExecutorService pool) throws Exception {
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      running.add(pool.submit(() -> {
        for (byte[] f : files) {
          Thumbnailer.thumbnail(f, settings);
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : running) {
      f.get();
    }
    return files.size() * (double) threads / ((System.nanoTime() - t0) / 1e9);
  }
}
