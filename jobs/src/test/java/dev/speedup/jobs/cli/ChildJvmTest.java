package dev.speedup.jobs.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ChildJvmTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** The file bin/speedup reads is on the classpath and read the same way: flags only, no comments. */
  @Test
  public void childrenGetTheLaunchersSettings() {
    List<String> fetch = ChildJvm.settingsFor("fetch").flags();
    assertTrue(fetch.toString(), fetch.containsAll(List.of("-XX:+UseParallelGC", "-Xmn32m", "-Xms96m", "-XX:TieredStopAtLevel=1")));
    assertTrue(fetch.toString(), fetch.stream().allMatch(f -> f.startsWith("-") && !f.contains(" ")));
    assertEquals(Map.of(), ChildJvm.settingsFor("fetch").environment());
    // A command's own flag with a value is a flag (not an environment variable), for that command only.
    assertTrue(fetch.toString(), fetch.stream().anyMatch(f -> f.startsWith("-Djdk.httpclient.receiveBufferSize=")));
    assertFalse(ChildJvm.settingsFor("images").flags().stream().anyMatch(f -> f.startsWith("-Djdk.httpclient")));
  }

  /** images' own collector replaces the general one and its young-generation size: two would stop the JVM. */
  @Test
  public void aCommandsOwnLinesAddToTheGeneralOnesAndItsCollectorReplacesTheirs() {
    ChildJvm.Settings images = ChildJvm.settingsFor("images");
    assertTrue(images.flags().toString(), images.flags().containsAll(List.of("-XX:+UseSerialGC", "-Xms96m", "-XX:TieredStopAtLevel=1")));
    assertFalse(images.flags().toString(), images.flags().contains("-XX:+UseParallelGC"));
    assertFalse(images.flags().toString(), images.flags().stream().anyMatch(f -> f.startsWith("-Xmn")));
    assertEquals("131072", images.environment().get("MALLOC_MMAP_THRESHOLD_"));
  }

  @Test
  public void theTestJvmIsNotIsolated() {
    assertFalse(ChildJvm.inIsolatedClassLoader());
  }

  /**
   * As under mvn exec:java: the program loaded by a class loader of its own. A Flink run then starts in
   * a child JVM (Flink's embedded cluster fails inside such a loader) and still writes its output.
   */
  @Test
  public void aFlinkRunFromAnIsolatedClassLoaderRunsInAChildJvm() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpathEntries()) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    Path out = tmp.newFolder("flink-from-isolated").toPath();
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      Class<?> main = isolated.loadClass("dev.speedup.jobs.Main");
      Class<?> childJvm = isolated.loadClass("dev.speedup.jobs.cli.ChildJvm");
      assertTrue((Boolean) childJvm.getMethod("inIsolatedClassLoader").invoke(null));
      Method run = main.getMethod("run", List.class, PrintStream.class, PrintStream.class);
      ByteArrayOutputStream ignored = new ByteArrayOutputStream();
      // exec:java also makes its loader the thread's context class loader (Beam finds runners through it).
      ClassLoader before = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(isolated);
      int code;
      try {
        code = (Integer) run.invoke(null,
            List.of("fetch", "@" + Path.of("..", "run-configs", "flink-local.args"), "--days=2", "--fixtureLatency=0s", "--output=" + out),
            new PrintStream(ignored), new PrintStream(ignored));
      } finally {
        Thread.currentThread().setContextClassLoader(before);
      }
      assertEquals(ignored.toString(), 0, code);
    }
    assertTrue(Files.readString(out.resolve("summary.json")).contains("\"runner\" : \"FlinkRunner\""));
    assertEquals(3, Files.readAllLines(out.resolve("station-days.csv")).stream().map(l -> l.split(",")[0]).distinct().count());
  }

  /** The test classpath, expanded from surefire's manifest-only jar when it uses one. */
  private static List<String> classpathEntries() throws Exception {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      if (p.getFileName().toString().startsWith("surefirebooter") && p.toString().endsWith(".jar")) {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
          for (String u : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
            entries.add(Path.of(new URL(u).toURI()).toString());
          }
        }
      } else {
        entries.add(e);
      }
    }
    return entries;
  }
}
