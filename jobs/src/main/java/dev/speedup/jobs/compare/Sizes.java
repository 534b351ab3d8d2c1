package dev.speedup.jobs.compare;

import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.images.ImagesJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The input sizes a comparison runs at: per workload the sizes the cost model is fitted on and the larger
 * one its check runs at. Images always come from one folder (the generated corpus at the check size, or the
 * user's own), and each smaller size is an evenly spread subset of it, linked into a folder of its own, so
 * every size sees the same kind of files.
 */
final class Sizes {
  /** The generated corpus's seed: the images job's default, so a user's `images` run sees the same files. */
  static final long CORPUS_SEED = 42;

  /** The model check's size, against the largest fitted one: beyond every fit, not so far that it costs the run its budget. */
  static final double CHECK_FACTOR = 1.5;

  private final Map<String, List<Long>> fit = new LinkedHashMap<>();
  private final Map<String, Long> check = new LinkedHashMap<>();
  private final Map<Long, Path> imageFolders = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  private Sizes() {}

  static Sizes plan(CompareSettings s, Path inputs, PrintStream err) throws IOException {
    Sizes z = new Sizes();
    if (s.workloads().contains("fetch")) {
      z.fit.put("fetch", multiples(s.days(), s.sizes()));
      z.check.put("fetch", checkSize(z.fit.get("fetch")));
    }
    if (s.workloads().contains("images")) {
      Path folder;
      List<Long> fit;
      if (s.input() != null) {
        folder = Path.of(s.input()).toAbsolutePath().normalize();
        long n = files(folder).size();
        if (n < 4) {
          throw UsageException.badValue("input", s.input(), "a folder of at least 4 images (the model is fitted on a quarter and a half of them)");
        }
        fit = distinct(List.of(n / 4, n / 2));
        z.notes.add("images were fitted on " + fit + " of the " + n + " files in " + folder + " (evenly spread subsets) and checked on all of them.");
      } else {
        fit = multiples(s.images(), s.sizes());
        folder = ImagesJob.ensureCorpus((int) checkSize(fit), CORPUS_SEED, err);
      }
      List<Path> files = files(folder);
      z.fit.put("images", fit);
      z.check.put("images", s.input() != null ? (long) files.size() : checkSize(fit));
      for (long n : fit) {
        z.imageFolders.put(n, subset(folder, files, (int) n, inputs.resolve("images-" + n)));
      }
      long all = z.check.get("images");
      z.imageFolders.put(all, all == files.size() ? folder : subset(folder, files, (int) all, inputs.resolve("images-" + all)));
    }
    return z;
  }

  List<Long> fit(String workload) {
    return fit.get(workload);
  }

  long check(String workload) {
    return check.get(workload);
  }

  /** The folder holding {@code n} images. */
  Path images(long n) {
    return imageFolders.get(n);
  }

  List<String> notes() {
    return notes;
  }

  private static List<Long> multiples(int base, List<Double> factors) {
    List<Long> out = new ArrayList<>();
    for (double f : factors) {
      out.add(Math.max(1, Math.round(base * f)));
    }
    List<Long> d = distinct(out);
    if (d.size() < 2) {
      throw UsageException.badValue("sizes", factors, "multiples that give two different sizes of " + base + " items");
    }
    return d;
  }

  private static List<Long> distinct(List<Long> sizes) {
    return List.copyOf(new TreeSet<>(sizes));
  }

  private static long checkSize(List<Long> fit) {
    return Math.max(last(fit) + 1, Math.round(CHECK_FACTOR * last(fit)));
  }

  private static long last(List<Long> sizes) {
    return sizes.get(sizes.size() - 1);
  }

  /** The images job's inputs under {@code root}: regular files and links to them, not its junk, in path order. */
  static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(p -> !ImagesJob.isJunk(root.relativize(p).toString())).sorted().toList();
    }
  }

  /** {@code n} of the files, evenly spread in path order (so across splits and labels), linked under {@code into}. */
  static Path subset(Path root, List<Path> files, int n, Path into) throws IOException {
    CompareJob.deleteTree(into);
    for (int j = 0; j < n; j++) {
      Path f = files.get((int) ((long) j * files.size() / n));
      Path link = into.resolve(root.relativize(f).toString());
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, f.toRealPath());
    }
    return into;
  }
}
