package dev.speedup.jobs;

import static dev.speedup.jobs.Launch.JAR;
import static dev.speedup.jobs.Launch.ROOT;
import static dev.speedup.jobs.Launch.launch;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.jobs.Launch.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/speedup's class-data archive, on a copy of the packaged jar: the first DirectRunner run of each command
 * records its classes and writes the archive beside the jar from every command's list; later runs load the
 * project's classes from it and write the same thumbnails; a run on Flink records nothing.
 */
public class ClassDataArchiveIT {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void theFirstRunOfEachCommandAddsItsClassesToTheArchiveAndLaterRunsLoadFromIt() throws Exception {
    Path jar = jarCopy("app");
    Path app = jar.getParent();
    Path input = corpus("in", 12, 3);

    Result help = launch(jar, Map.of(), "images", "--help");
    assertEquals(help.output(), 0, help.code());
    assertFalse("--help must not train the archive", Files.exists(app.resolve("speedup.jsa")));

    Result first = launch(jar, Map.of(), "images", "--input=" + input, "--output=" + tmp.getRoot().toPath().resolve("out1"));
    assertEquals(first.output(), 0, first.code());
    assertThat(first.output(), containsString("writing the class-data archive"));
    assertTrue(first.output(), Files.size(app.resolve("speedup.jsa")) > 1_000_000);
    try (Stream<Path> left = Files.list(app)) {
      assertEquals("only the jar, the run's class list and the archive remain",
          List.of("speedup.images.classlist", "speedup.jar", "speedup.jsa"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }

    Path classLog = tmp.getRoot().toPath().resolve("classes.log");
    Result second = launch(jar, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "images",
        "--input=" + input, "--output=" + tmp.getRoot().toPath().resolve("out2"));
    assertEquals(second.output(), 0, second.code());
    assertThat(second.output(), not(containsString("class-data archive")));
    assertTrue(loadedFromArchive(classLog, "dev.speedup.transforms.images.Thumbnailer"));
    assertTrue("Byte Buddy's old-format classes are archived too", loadedFromArchive(classLog, "net.bytebuddy.ByteBuddy"));

    Path out1 = tmp.getRoot().toPath().resolve("out1");
    Path out2 = tmp.getRoot().toPath().resolve("out2");
    List<Path> written;
    try (Stream<Path> walk = Files.walk(out1.resolve("images"))) {
      written = walk.filter(Files::isRegularFile).toList();
    }
    assertEquals(12, written.size());
    for (Path p : written) {
      assertArrayEquals(p.toString(), Files.readAllBytes(p), Files.readAllBytes(out2.resolve(out1.relativize(p))));
    }
    assertArrayEquals(Files.readAllBytes(out1.resolve("manifest.csv")), Files.readAllBytes(out2.resolve("manifest.csv")));

    // The first fetch run records its own classes and the archive is written again from both lists, so it
    // holds fetch's classes (about a thousand images never loads) without losing images'.
    Result fetch = launch(jar, Map.of(), "fetch", "--days=2", "--fixtureLatency=0s", "--output=" + tmp.getRoot().toPath().resolve("fetch1"));
    assertEquals(fetch.output(), 0, fetch.code());
    assertThat(fetch.output(), containsString("writing the class-data archive"));
    Path fetchLog = tmp.getRoot().toPath().resolve("fetch-classes.log");
    Result fetchAgain = launch(jar, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + fetchLog), "fetch", "--days=2",
        "--fixtureLatency=0s", "--output=" + tmp.getRoot().toPath().resolve("fetch2"));
    assertEquals(fetchAgain.output(), 0, fetchAgain.code());
    assertThat(fetchAgain.output(), not(containsString("class-data archive")));
    assertTrue("fetch's classes are archived", loadedFromArchive(fetchLog, "com.fasterxml.jackson.core.json.async.NonBlockingJsonParser"));
    Path imagesLog = tmp.getRoot().toPath().resolve("images-classes.log");
    Result third = launch(jar, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + imagesLog), "images",
        "--input=" + input, "--output=" + tmp.getRoot().toPath().resolve("out3"));
    assertEquals(third.output(), 0, third.code());
    assertTrue("images' classes are still archived", loadedFromArchive(imagesLog, "dev.speedup.transforms.images.Thumbnailer"));

    // Profiling with Java Flight Recorder on the archive: JDK 17 crashed here while the archive held the
    // regenerated method-handle classes.
    Path recording = tmp.getRoot().toPath().resolve("run.jfr");
    Result profiled = launch(jar, Map.of("JAVA_OPTS", "-XX:StartFlightRecording=filename=" + recording), "images",
        "--input=" + input, "--output=" + tmp.getRoot().toPath().resolve("out4"));
    assertEquals(profiled.output(), 0, profiled.code());
    assertTrue("the recording was written", Files.size(recording) > 0);
  }

  /** {@code count} X-ray-like images in a new folder. */
  private Path corpus(String folder, int count, long seed) throws IOException {
    Path input = tmp.newFolder(folder).toPath();
    XrayCorpus.write(input, count, seed, i -> {});
    return input;
  }

  /** A copy of the packaged jar in a folder of its own, so its archive and class lists start from nothing. */
  private Path jarCopy(String folder) throws IOException {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    return Files.copy(JAR, tmp.newFolder(folder).toPath().resolve("speedup.jar"));
  }

  /** Whether the JVM's class-load log says {@code className} came from the class-data archive. */
  private static boolean loadedFromArchive(Path classLog, String className) throws IOException {
    return Files.readAllLines(classLog, StandardCharsets.UTF_8).stream().anyMatch(l -> l.contains(className + " source: shared objects file"));
  }

  @Test
  public void aRunOnFlinkRecordsNoClassesAndTheNextDirectRunnerRunDoes() throws Exception {
    Path jar = jarCopy("flink-first");
    Path app = jar.getParent();
    Path input = corpus("few", 3, 5);

    Result flink = launch(jar, Map.of(), "images", "@" + ROOT.resolve("run-configs/flink-local.args"), "--input=" + input,
        "--output=" + tmp.getRoot().toPath().resolve("on-flink"));
    assertEquals(flink.output(), 0, flink.code());
    assertThat(flink.output(), not(containsString("class-data archive")));
    try (Stream<Path> left = Files.list(app)) {
      assertEquals("no list, no archive", List.of("speedup.jar"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }

    Result direct = launch(jar, Map.of(), "images", "--runner=FlinkRunner", "@" + ROOT.resolve("run-configs/threads.args"),
        "--input=" + input, "--output=" + tmp.getRoot().toPath().resolve("direct"));
    assertEquals("the --runner after the flink file wins: DirectRunner\n" + direct.output(), 0, direct.code());
    assertThat(direct.output(), containsString("writing the class-data archive"));
    assertFalse("the list holds no Flink class",
        Files.readString(app.resolve("speedup.images.classlist")).contains("org/apache/flink/"));
  }
}
