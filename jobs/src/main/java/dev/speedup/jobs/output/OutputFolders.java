package dev.speedup.jobs.output;

import dev.speedup.jobs.cli.UsageException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The folder an output flag names, made before a run starts: one the run could not write to is a usage error. */
public final class OutputFolders {
  private OutputFolders() {}

  /**
   * Creates {@code folder} and its parents if missing. A folder that cannot be made (a read-only filesystem, no
   * permission, a file in the way) or written to fails now as a usage error on {@code flag}, naming the reason,
   * instead of as the run's first write.
   */
  public static Path create(String flag, Path folder) throws IOException {
    try {
      Files.createDirectories(folder);
    } catch (FileAlreadyExistsException e) {
      throw UsageException.badValue(flag, folder, "a folder this run can create (a file is in the way: " + e.getFile() + ")");
    } catch (FileSystemException e) {
      String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      throw UsageException.badValue(flag, folder, "a folder this run can create (" + reason + ")");
    }
    if (!Files.isWritable(folder)) {
      throw UsageException.badValue(flag, folder, "a folder this run can write to (it cannot write to this one)");
    }
    return folder;
  }
}
