package dev.speedup.jobs.images;

import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.Help;
import dev.speedup.jobs.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code make-images}: writes the X-ray-like fixture corpus. */
public final class MakeImages {
  private MakeImages() {}

  public static String help() {
    return Help.of("make-images",
        "Writes, deterministically, a corpus shaped like the Kaggle chest X-ray (pneumonia) set: its folders, class\n"
            + "ratios and file names, grayscale JPEGs of X-ray-like content (sides 384-2916 px, ~5% RGB) and archive junk.",
        MakeImagesOptions.class, "Example: make-images --output=/tmp/xray --count=1000 --seed=42");
  }

  /** Writes the corpus, with a progress line every tenth of the way, prefixed by {@code who}. */
  static List<XrayCorpus.Entry> writeCorpus(Path dir, int count, long seed, String who, PrintStream err) throws IOException {
    long t0 = System.nanoTime();
    AtomicInteger written = new AtomicInteger();
    int every = Math.max(1, count / 10);
    return XrayCorpus.write(dir, count, seed, i -> {
      int k = written.incrementAndGet();
      if (k % every == 0) {
        err.printf(Locale.ROOT, "%s: generated %d/%d, %.1fs%n", who, k, count, (System.nanoTime() - t0) / 1e9);
      }
    });
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    MakeImagesOptions o = Args.parse(args, MakeImagesOptions.class, "make-images");
    if (o.getCount() < 1 || o.getCount() > 1_000_000) {
      throw UsageException.badValue("count", o.getCount(), "1..1000000");
    }
    Path dir = UsageException.path("output", o.getOutput() == null ? "target/xray-corpus/custom" : o.getOutput()).toAbsolutePath().normalize();
    long t0 = System.nanoTime();
    List<XrayCorpus.Entry> entries = writeCorpus(dir, o.getCount(), o.getSeed(), "make-images", err);
    long bytes;
    try (var files = Files.walk(dir.resolve("chest_xray"))) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    out.printf(Locale.ROOT, "Wrote %d images (%.1f MB, %.0f KB on average) under %s in %.1f s.%n",
        entries.size(), bytes / 1e6, bytes / 1024.0 / entries.size(), dir.resolve("chest_xray"), (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
