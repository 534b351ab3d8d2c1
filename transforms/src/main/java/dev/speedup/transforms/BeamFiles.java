package dev.speedup.transforms;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Files written from pipeline workers, whole or not at all, on any Beam filesystem: into a temporary
 * sibling, then renamed into place, so a reader never sees half a file.
 */
public final class BeamFiles {
  private BeamFiles() {}

  /** Writes {@code path} (a local path or a filesystem URI) through {@code body}, then renames it into place. */
  public static void writeAtomically(String path, Body body) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    // A name of fixed length, not the target's name plus a suffix: a target near the filesystem's limit on
    // name length (255 bytes) must still have a temporary sibling.
    ResourceId temp =
        target.getCurrentDirectory().resolve(".tmp-" + UUID.randomUUID(), ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream os = Channels.newOutputStream(FileSystems.create(temp, "application/octet-stream"))) {
      body.writeTo(os);
    }
    FileSystems.rename(List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  public static void writeAtomically(String path, byte[] content) throws IOException {
    writeAtomically(path, os -> os.write(content));
  }

  /**
   * Deletes the temporary siblings {@link #writeAtomically} leaves when a worker dies mid-write (a
   * TaskManager lost on a cluster; the restarted task writes the file again). Call once the job is done.
   * Returns how many were removed.
   */
  public static int removeLeftoverTemporaries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> leftovers;
    try (Stream<Path> walk = Files.walk(dir)) {
      leftovers = walk.filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)).toList();
    }
    for (Path p : leftovers) {
      Files.deleteIfExists(p);
    }
    return leftovers.size();
  }

  private static final Pattern TEMPORARY = Pattern.compile("\\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** What goes into the file. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }
}
