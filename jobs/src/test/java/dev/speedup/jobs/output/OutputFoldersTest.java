package dev.speedup.jobs.output;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.jobs.Cli;
import dev.speedup.jobs.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** An output folder a run cannot make or write to is a usage error on --output, before the run starts. */
public class OutputFoldersTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aFileInTheWayIsAUsageErrorInEveryCommand() throws Exception {
    Path file = tmp.newFile("a-file").toPath();
    Path in = tmp.newFolder("in").toPath();
    String[][] commands = {
        {"fetch", "--days=1", "--output=" + file.resolve("out")},
        {"images", "--input=" + in, "--output=" + file.resolve("out")},
        {"compare", "--output=" + file.resolve("out")}};
    for (String[] command : commands) {
      Cli.Result r = Cli.run(command);
      assertEquals(command[0] + ": " + r.err(), 2, r.code());
      assertThat(r.err(), allOf(containsString("--output"), containsString(file.resolve("out").toString()),
          containsString("a folder this run can create (Not a directory)")));
    }
    // compare had no check of its own: the folder itself a file.
    Cli.Result r = Cli.run("compare", "--output=" + file);
    assertEquals(r.err(), 2, r.code());
    assertThat(r.err(), allOf(containsString("--output"), containsString("a file is in the way: " + file)));
  }

  @Test
  public void aReadOnlyFilesystemIsAUsageErrorAndNothingRuns() throws Exception {
    Path disk = tmp.newFolder("disk").toPath();
    try (Tmpfs mounted = Tmpfs.mount(disk, "ro,size=64k")) {
      Path in = tmp.newFolder("in").toPath();
      Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + disk.resolve("out"));
      assertEquals(r.err(), 2, r.code());
      assertThat(r.err(), allOf(containsString("--output"), containsString("Read-only file system")));
      assertFalse(Files.exists(disk.resolve("out")));
    }
  }

  @Test
  public void aFolderThatCanBeMadeIsMadeWithItsParents() throws Exception {
    Path deep = tmp.getRoot().toPath().resolve("a/b/c");
    assertEquals(deep, OutputFolders.create("output", deep));
    assertTrue(Files.isDirectory(deep));
    assertEquals("an existing folder is kept", deep, OutputFolders.create("output", deep));
  }
}
