package dev.speedup.jobs.images;

import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.output.OutputLock;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The {@code --output} folder of {@code images}: checked before anything is written (a folder, not inside
 * the input, compared by real paths so a symlink cannot hide it), and cleared of an earlier run's outputs
 * once this run holds its {@link OutputLock}, so a rerun leaves no stale thumbnails and no mix of sizes.
 */
final class OutputFolder {
  /** What a run writes at the top of the folder, besides images/. */
  static final List<String> FILES =
      List.of(ImagesJob.MANIFEST, ImagesJob.FAILURES, ImagesJob.SUMMARY, ImagesJob.NPY, ImagesJob.LABELS, OutputLock.INCOMPLETE);

  private OutputFolder() {}

  static void check(Path output, String flag, Path inputRoot) throws IOException {
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw UsageException.badValue("output", flag, "a folder (" + output + " is an existing file)");
    }
    Path realOutput = real(output);
    Path realInput = real(inputRoot);
    if (realOutput.startsWith(realInput)) {
      // Thumbnails written inside the input tree would be read back as inputs by the next run.
      throw UsageException.badValue("output", flag, "a folder outside the input folder " + realInput
          + (realOutput.equals(output) ? "" : " (" + output + " is " + realOutput + ")"));
    }
    if (realInput.startsWith(realOutput.resolve("images"))) {
      throw UsageException.badValue("output", flag, "a folder whose images/ does not hold the input (" + realInput + ")");
    }
    Path images = output.resolve("images");
    if (Files.isDirectory(images) && FILES.stream().noneMatch(f -> Files.exists(output.resolve(f)))) {
      throw UsageException.badValue("output", flag, "an empty folder or one an earlier images run wrote (" + images
          + " exists, with no manifest.csv or summary.json beside it: not ours to replace)");
    }
  }

  /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
  static Path real(Path p) throws IOException {
    Path absolute = p.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    return existing.toRealPath().resolve(existing.relativize(absolute));
  }

  /** Deletes an earlier run's outputs: images/ (its links removed, never followed) and the files beside it. */
  static int clearEarlierRun(Path output) throws IOException {
    int[] deleted = {0};
    Path images = output.resolve("images");
    if (Files.isDirectory(images, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.walkFileTree(images, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          deleted[0]++;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    }
    for (String f : FILES) {
      if (!f.equals(OutputLock.INCOMPLETE) && Files.deleteIfExists(output.resolve(f))) {
        deleted[0]++;
      }
    }
    return deleted[0];
  }
}
