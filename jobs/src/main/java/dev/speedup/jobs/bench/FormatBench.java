package dev.speedup.jobs.bench;

import dev.speedup.transforms.images.Thumbnailer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Benchmark: what each image format costs the shipped path, on one thread: every file under DIR read into
 * memory first, grouped by extension, thumbnailed to 64x64 gray round after round after a warm-up round;
 * prints per format the median seconds a round, milliseconds a file and milliseconds a MB of file. Run with
 * the launcher's JVM settings to see what `bin/speedup` gets (bench/images-real.sh does).
 *
 * <p>Run: {@code java -cp jobs/target/speedup.jar dev.speedup.jobs.bench.FormatBench DIR [ROUNDS=5]}
 */
public final class FormatBench {
  private FormatBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Map<String, List<byte[]>> byFormat = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.substring(name.lastIndexOf('.') + 1).replace("jpeg", "jpg");
        if (List.of("jpg", "png", "webp").contains(ext) && !name.startsWith("._")) {
          byFormat.computeIfAbsent(ext, k -> new ArrayList<>()).add(Files.readAllBytes(p));
        }
      }
    }
    Thumbnailer.Settings gray64 = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L);
    Map<String, double[]> seconds = new TreeMap<>();
    for (int r = -1; r < rounds; r++) { // round -1 warms up
      for (Map.Entry<String, List<byte[]>> e : byFormat.entrySet()) {
        long t0 = System.nanoTime();
        for (byte[] f : e.getValue()) {
          try {
            Thumbnailer.thumbnail(f, gray64);
          } catch (Thumbnailer.ImageFailure failed) {
            // a bad file costs what it costs; the job would count it too
          }
        }
        if (r >= 0) {
          seconds.computeIfAbsent(e.getKey(), k -> new double[rounds])[r] = (System.nanoTime() - t0) / 1e9;
        }
      }
    }
    for (Map.Entry<String, double[]> e : seconds.entrySet()) {
      List<byte[]> files = byFormat.get(e.getKey());
      double mb = files.stream().mapToLong(f -> f.length).sum() / 1e6;
      double[] s = e.getValue();
      Arrays.sort(s);
      double median = s[rounds / 2];
      System.out.printf(Locale.ROOT, "format %s: files=%d MB=%.1f median_s=%.2f (range %.2f..%.2f) ms_per_file=%.1f ms_per_MB=%.1f%n",
          e.getKey(), files.size(), mb, median, s[0], s[rounds - 1], median * 1e3 / files.size(), median * 1e3 / mb);
    }
  }
}
