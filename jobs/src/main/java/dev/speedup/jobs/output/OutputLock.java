package dev.speedup.jobs.output;

import dev.speedup.jobs.cli.UsageException;
import dev.speedup.transforms.BeamFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One run at a time in an output folder: a lock on {@code .speedup.lock} in it, held until the run ends (the
 * operating system drops it if the process dies), so a second run on the same folder stops at once instead
 * of deleting the first one's temporaries. While a run writes, the folder holds {@code INCOMPLETE}; only a
 * run that finishes removes it, so an interrupted run leaves the folder marked.
 */
public final class OutputLock implements AutoCloseable {
  public static final String LOCK = ".speedup.lock";
  public static final String INCOMPLETE = "INCOMPLETE";

  private final FileChannel channel;
  private final FileLock lock;
  private final Path folder;

  private OutputLock(FileChannel channel, FileLock lock, Path folder) {
    this.channel = channel;
    this.lock = lock;
    this.folder = folder;
  }

  /** Takes the folder (created if missing) for {@code command}; a folder another run holds is a usage error on {@code flag}. */
  public static OutputLock take(Path folder, String flag, String command) throws IOException {
    OutputFolders.create(flag, folder);
    FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this same JVM
    }
    if (lock == null) {
      channel.close();
      throw UsageException.badValue(flag, folder.toString(), "a folder no other run is writing to (another " + command
          + " run holds " + folder.resolve(LOCK) + "; wait for it, or choose another folder)");
    }
    Path marker = folder.resolve(INCOMPLETE);
    try {
      Files.writeString(marker, command + " started at " + Instant.now()
          + " is writing this folder; if this file is still here, that run did not finish and the contents are partial\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      // A full disk. The marker stays, even empty: the folder may hold an earlier run's partial output.
      lock.release();
      channel.close();
      throw BeamFiles.WriteFailedException.of(marker.toString(), e);
    }
    return new OutputLock(channel, lock, folder);
  }

  /** The run finished: the folder is complete. */
  public void finished() throws IOException {
    Files.deleteIfExists(folder.resolve(INCOMPLETE));
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
