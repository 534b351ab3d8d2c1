package dev.speedup.jobs.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The archive the compare job's children start from, kept as bin/speedup keeps it (LauncherIT runs that). */
public class ClassDataArchiveTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void eachCommandRecordsOnceAndTheArchiveHoldsEveryCommandsClasses() throws Exception {
    Path jar = tmp.getRoot().toPath().resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, new Manifest())) {
      j.closeEntry();
    }
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000)); // built a minute ago
    ClassDataArchive archive = new ClassDataArchive(jar);
    assertEquals("no archive yet", List.of(), archive.flags());
    assertTrue(archive.wantsRecordingOf("images", List.of()));
    assertFalse("only images and fetch record", archive.wantsRecordingOf("compare", List.of()));
    assertFalse("not a run on Flink", archive.wantsRecordingOf("images", List.of("--runner=FlinkRunner", "--parallelism=2")));
    Path flinkArgs = Files.writeString(tmp.getRoot().toPath().resolve("flink.args"), "# a mode file\n--runner=FlinkRunner\n");
    assertFalse("nor through an @file", archive.wantsRecordingOf("fetch", List.of("@" + flinkArgs)));
    assertTrue("the last --runner counts", archive.wantsRecordingOf("fetch", List.of("@" + flinkArgs, "--runner=DirectRunner")));
    assertFalse("a command line the run will refuse records nothing", archive.wantsRecordingOf("fetch", List.of("@/no/such/file")));
    Files.delete(flinkArgs);

    Path log = tmp.getRoot().toPath().resolve("dump.log");
    assertTrue(archive.write("images", recorded(archive, "images", "java/util/concurrent/LinkedTransferQueue"), JAVA, log));
    assertThat(archive.flags(), hasItem("-XX:SharedArchiveFile=" + jar.resolveSibling("app.jsa")));
    assertFalse("images has recorded", archive.wantsRecordingOf("images", List.of()));
    assertTrue("fetch has not", archive.wantsRecordingOf("fetch", List.of()));
    assertThat(archived(jar), holds("java.util.concurrent.LinkedTransferQueue", "java.util.concurrent.ConcurrentSkipListMap", true, false));

    assertTrue(archive.write("fetch", recorded(archive, "fetch", "java/util/concurrent/ConcurrentSkipListMap"), JAVA, log));
    assertFalse(archive.wantsRecordingOf("fetch", List.of()));
    assertThat(archived(jar), holds("java.util.concurrent.LinkedTransferQueue", "java.util.concurrent.ConcurrentSkipListMap", true, true));
    try (var left = Files.list(tmp.getRoot().toPath())) {
      assertEquals("the lists, the jar, the archive and the dump's log; no temporary files",
          List.of("app.fetch.classlist", "app.images.classlist", "app.jar", "app.jsa", "dump.log"),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }

    // A newer jar makes every list and the archive stale.
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertEquals(List.of(), archive.flags());
    assertTrue(archive.wantsRecordingOf("images", List.of()));
  }

  private static Path recorded(ClassDataArchive archive, String command, String className) throws Exception {
    Path list = archive.recordingFile(command);
    Files.writeString(list, className + "\n", StandardCharsets.UTF_8);
    return list;
  }

  /** What the JVM says the archive holds. */
  private static String archived(Path jar) throws Exception {
    Process p = new ProcessBuilder(JAVA, "-XX:SharedArchiveFile=" + jar.resolveSibling("app.jsa"), "-cp", jar.toString(),
        "-XX:+PrintSharedArchiveAndExit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(out, 0, p.waitFor());
    return out;
  }

  /** The JVM's list names {@code first} and {@code second}, or not, as asked. */
  private static org.hamcrest.Matcher<String> holds(String first, String second, boolean hasFirst, boolean hasSecond) {
    return org.hamcrest.Matchers.allOf(
        hasFirst ? containsString(" " + first + " ") : not(containsString(" " + first + " ")),
        hasSecond ? containsString(" " + second + " ") : not(containsString(" " + second + " ")));
  }
}
