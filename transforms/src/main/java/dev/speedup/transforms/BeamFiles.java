package dev.speedup.transforms;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystemException;
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

  /**
   * Writes {@code path} (a local path or a filesystem URI) through {@code body}, then renames it into place.
   * When that fails (a full disk, a folder that is gone) the temporary sibling is removed and the exception
   * names {@code path}: the filesystem's own message for a full disk names no file.
   */
  public static void writeAtomically(String path, Body body) throws WriteFailedException {
    ResourceId target;
    try {
      target = FileSystems.matchNewResource(path, false);
    } catch (RuntimeException e) {
      throw new WriteFailedException(path, e, WriteFailedException.reasonOf(e, ""));
    }
    // A name of fixed length, not the target's name plus a suffix: a target near the filesystem's limit on
    // name length (255 bytes) must still have a temporary sibling.
    ResourceId temp =
        target.getCurrentDirectory().resolve(".tmp-" + UUID.randomUUID(), ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    try {
      try (OutputStream os = Channels.newOutputStream(FileSystems.create(temp, "application/octet-stream"))) {
        body.writeTo(os);
      }
      // No move options: the temporary sibling was just written, and Beam's local filesystem implements none, so
      // with one it threw, caught and matched the source again for every file.
      FileSystems.rename(List.of(temp), List.of(target));
    } catch (IOException | RuntimeException e) {
      removeQuietly(temp, e);
      throw new WriteFailedException(path, e, WriteFailedException.reasonOf(e, temp.toString()));
    }
  }

  private static void removeQuietly(ResourceId temp, Exception failure) {
    try {
      FileSystems.delete(List.of(temp), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  public static void writeAtomically(String path, byte[] content) throws WriteFailedException {
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

  /** A file {@link #writeAtomically} could not write: its message names the file and why, in one line. */
  public static final class WriteFailedException extends IOException {
    private final String reason;

    /** {@code path} could not be written, for {@code cause}: for writers of their own, so every such failure reads alike. */
    public static WriteFailedException of(String path, Exception cause) {
      return new WriteFailedException(path, cause, reasonOf(cause, ""));
    }

    private WriteFailedException(String path, Exception cause, String reason) {
      super("cannot write " + path + ": " + reason, cause);
      this.reason = reason;
    }

    /** Why, without the file's name: "No space left on device", "AccessDeniedException". */
    public String reason() {
      return reason;
    }

    /**
     * The filesystem's words without the temporary sibling's name, which they often lead with ("/out/.tmp-…
     * (Not a directory)") and which means nothing to a reader; the exception's kind when no words are left.
     */
    private static String reasonOf(Exception e, String temporary) {
      String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
      if (why != null && !temporary.isEmpty()) {
        why = why.replace(temporary, "").strip();
        if (why.startsWith("(") && why.endsWith(")")) {
          why = why.substring(1, why.length() - 1);
        }
      }
      return why == null || why.isBlank() ? e.getClass().getSimpleName() : why.replaceAll("\\s+", " ").strip();
    }
  }

  /** What goes into the file. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }
}
