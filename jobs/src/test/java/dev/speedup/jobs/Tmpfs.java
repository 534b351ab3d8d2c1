package dev.speedup.jobs;

import java.nio.file.Path;
import org.junit.Assume;

/** A tmpfs mounted on a test's folder (a disk that fills, or one that is read-only); the test is skipped unless root. */
public final class Tmpfs implements AutoCloseable {
  private final Path at;

  private Tmpfs(Path at) {
    this.at = at;
  }

  /** Mounts a tmpfs with mount's {@code options} (e.g. {@code size=256k}, {@code ro,size=64k}) on {@code at}. */
  public static Tmpfs mount(Path at, String options) throws Exception {
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()).redirectErrorStream(true).start();
    Assume.assumeTrue("mounting a tmpfs needs root", mount.waitFor() == 0);
    return new Tmpfs(at);
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("umount", at.toString()).start().waitFor();
  }
}
