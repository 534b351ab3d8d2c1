package dev.speedup.jobs;

import static dev.speedup.jobs.Launch.JAR;
import static dev.speedup.jobs.Launch.ROOT;
import static dev.speedup.jobs.Launch.launch;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.Fault;
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
 * bin/speedup as a user runs it, on the packaged jar: what it hands the JVM, and runs in small heaps and
 * against awkward servers (the class-data archive: {@link ClassDataArchiveIT}). Runs in the
 * integration-test phase (failsafe), after the jar is packaged.
 */
public class LauncherIT {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void theV2KeyFromTheEnvironmentIsSentOnEveryPageAndNeverPrintedOrWritten() throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    String key = "it-key-7f3a9c";
    try (AirTemperatureServer server = AirTemperatureServer.builder().apiKey(key).v2RateLimit(3, java.time.Duration.ofSeconds(1))
        .maxRequests(200).lifetime(java.time.Duration.ofMinutes(3)).start()) {
      Path out = tmp.newFolder("v2").toPath();
      Result r = launch(JAR, Map.of("DATA_GOV_SG_API_KEY", key), "fetch", "@" + ROOT.resolve("run-configs/async.args"), "--api=v2",
          "--apiUrl=" + server.v2Endpoint(), "--days=3", "--output=" + out);
      assertEquals(r.output(), 0, r.code());
      assertThat(server.requestCount(), greaterThanOrEqualTo(18L));
      assertEquals("every request carried the key", server.requestCount(), server.keyedRequestCount());
      assertThat("18 pages at 6 a second met the limit and were retried", server.rateLimitedCount(), greaterThan(0L));
      assertThat(r.output(), not(containsString(key)));
      String summary = Files.readString(out.resolve("summary.json"));
      assertThat(summary, allOf(containsString("set (from $DATA_GOV_SG_API_KEY)"), not(containsString(key))));
      assertThat(summary, containsString("\"succeeded\" : 3"));
    }
  }

  @Test
  public void runningOutOfMemoryEndsTheRunAtOnceWithExit1AndAHint() throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    try (AirTemperatureServer server =
        AirTemperatureServer.builder().latency(java.time.Duration.ofMillis(20)).maxRequests(5000).lifetime(java.time.Duration.ofMinutes(5)).start()) {
      // A 32 MB heap is too small for the run itself: some thread dies of OutOfMemoryError.
      Result r = launch(JAR, Map.of("JAVA_OPTS", "-Xmx32m"), "fetch", "@" + ROOT.resolve("run-configs/async.args"),
          "--apiUrl=" + server.endpoint(), "--days=2000", "--output=" + tmp.newFolder("oom").toPath());
      assertEquals(r.output(), 1, r.code());
      // Our handler ends it (a client thread died), or the runner fails the job (a worker thread died): promptly, either way.
      assertThat(r.output(), anyOf(containsString("speedup: out of memory; stopping. Give the JVM more heap"), containsString("OutOfMemoryError")));
    }
  }

  @Test
  public void daysFromFarMoreStationsThanAnyApiHasFailOnTheirOwnInA64MbHeap() throws Exception {
    // 128 documents of 100,000 stations in flight: held as read, each day took tens of MB.
    tooLargeDaysFailOnTheirOwnInA64MbHeap(Fault.Kind.CROWDED, "at most 1000 stations");
  }

  @Test
  public void daysWithATokenLargerThanAnyApiHasFailOnTheirOwnInA64MbHeap() throws Exception {
    // 128 documents with a 16 MiB station name in flight: held until the name ended, each took 16-64 MB.
    tooLargeDaysFailOnTheirOwnInA64MbHeap(Fault.Kind.BLOATED, "of more than 65536 bytes");
  }

  /** 128 dates of the stand-in's {@code fault} at 2 x 64 in flight in a 64 MB heap: each fails as TOO_LARGE after one request. */
  private void tooLargeDaysFailOnTheirOwnInA64MbHeap(Fault.Kind fault, String reason) throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    try (AirTemperatureServer server = AirTemperatureServer.builder().faultRate(1.0, List.of(Fault.of(fault)))
        .maxRequests(1000).lifetime(java.time.Duration.ofMinutes(5)).start()) {
      Path out = tmp.newFolder(fault.name()).toPath();
      Result r = launch(JAR, Map.of("JAVA_OPTS", "-Xmx64m"), "fetch", "@" + ROOT.resolve("run-configs/async.args"),
          "--apiUrl=" + server.endpoint(), "--days=128", "--maxFailures=100%", "--output=" + out);
      assertEquals(r.output(), 0, r.code());
      JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
      assertEquals(128, summary.get("failedByKind").get("TOO_LARGE").asInt());
      assertEquals("one attempt each: a document too large stays too large", 128, summary.get("requests").asInt());
      assertThat(Files.readAllLines(out.resolve("failures.jsonl")).get(0), containsString(reason));
    }
  }

  @Test
  public void bodiesAreParsedAsTheyArriveSo128InFlightFitInA64MbHeap() throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    // v2 with a day on one page: pages as large as v1's documents.
    try (AirTemperatureServer server = AirTemperatureServer.builder().latency(java.time.Duration.ofMillis(20)).v2ItemsPerPage(1440)
        .maxRequests(2000).lifetime(java.time.Duration.ofMinutes(5)).start()) {
      // Collected whole, 128 bodies of ~830 KB in flight needed more than a 200 MB heap.
      for (String api : List.of("v1", "v2")) {
        Path out = tmp.newFolder("small-heap-" + api).toPath();
        Result r = launch(JAR, Map.of("JAVA_OPTS", "-Xmx64m"), "fetch", "@" + ROOT.resolve("run-configs/async.args"), "--api=" + api,
            "--apiUrl=" + (api.equals("v1") ? server.endpoint() : server.v2Endpoint()), "--days=400", "--output=" + out);
        assertEquals(api + ": " + r.output(), 0, r.code());
        assertThat(api, Files.readString(out.resolve("summary.json")), containsString("\"succeeded\" : 400"));
      }
    }
  }

  /** The settings come from speedup-jvm.options (which the compare job's JVMs read too); a user's heap size or collector wins. */
  @Test
  public void theLauncherPassesItsSettingsFileAndLeavesTheHeapAndCollectorToAUserWhoSetsThem() throws Exception {
    Result plain = launch(JAR, Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags", "SPEEDUP_CDS", "0"), "fetch", "--help");
    assertEquals(plain.output(), 0, plain.code());
    assertThat(plain.output(), allOf(containsString("-XX:+UseParallelGC"), containsString("-XX:TieredStopAtLevel=1"),
        containsString("-XX:NewSize=33554432"), containsString("-XX:InitialHeapSize=100663296"), containsString("-XX:MaxHeapFreeRatio=30")));
    // images' own lines: its collector instead of the general one and its young-generation size.
    Result images = launch(JAR, Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags", "SPEEDUP_CDS", "0"), "images", "--help");
    assertEquals(images.output(), 0, images.code());
    assertThat(images.output(), allOf(containsString("-XX:+UseSerialGC"), not(containsString("UseParallelGC")),
        not(containsString("-XX:NewSize=33554432")), containsString("-XX:InitialHeapSize=100663296")));
    Result small = launch(JAR, Map.of("JAVA_OPTS", "-Xmx64m -XX:+PrintCommandLineFlags", "SPEEDUP_CDS", "0"), "images", "--help");
    assertEquals(small.output(), 0, small.code());
    assertThat(small.output(), allOf(containsString("-XX:MaxHeapSize=67108864"), containsString("-XX:TieredStopAtLevel=1"),
        not(containsString("-XX:InitialHeapSize=100663296"))));
    // A second collector would stop the JVM from starting ("Multiple garbage collectors selected").
    Result serial = launch(JAR, Map.of("JAVA_OPTS", "-XX:+UseSerialGC -XX:+PrintCommandLineFlags", "SPEEDUP_CDS", "0"), "fetch", "--help");
    assertEquals(serial.output(), 0, serial.code());
    assertThat(serial.output(), allOf(containsString("-XX:+UseSerialGC"), not(containsString("UseParallelGC")), containsString("-XX:TieredStopAtLevel=1")));
    // The user's collector wins over a command's own too.
    Result g1 = launch(JAR, Map.of("JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintCommandLineFlags", "SPEEDUP_CDS", "0"), "images", "--help");
    assertEquals(g1.output(), 0, g1.code());
    assertThat(g1.output(), allOf(containsString("-XX:+UseG1GC"), not(containsString("UseSerialGC")), not(containsString("UseParallelGC"))));
  }

  /** A command's NAME=value lines reach its JVM's environment, unless the user set that variable. */
  @Test
  public void aCommandsEnvironmentSettingsReachItsJvmUnlessTheUserSetThem() throws Exception {
    String path = pathWithFakeJava("#!/bin/sh\necho \"threshold=${MALLOC_MMAP_THRESHOLD_:-unset}\"\n");
    assertThat(launch(JAR, Map.of("PATH", path, "SPEEDUP_CDS", "0"), "images", "--help").output(), containsString("threshold=131072"));
    assertThat(launch(JAR, Map.of("PATH", path, "SPEEDUP_CDS", "0"), "fetch", "--help").output(), containsString("threshold=unset"));
    assertThat(launch(JAR, Map.of("PATH", path, "SPEEDUP_CDS", "0", "MALLOC_MMAP_THRESHOLD_", "65536"), "images", "--help").output(),
        containsString("threshold=65536"));
  }

  /**
   * SPEEDUP_PRINT_SETTINGS (what bench/lib.sh runs the decoders with) prints exactly what a command's JVM
   * gets from the settings file, and starts no JVM: a fake {@code java} that fails would show.
   */
  @Test
  public void printedSettingsAreTheOnesTheCommandsJvmGetsAndNothingRuns() throws Exception {
    String path = pathWithFakeJava("#!/bin/sh\necho 'java was started'\nexit 9\n");
    Map<String, String> env = Map.of("PATH", path, "SPEEDUP_CDS", "0", "SPEEDUP_PRINT_SETTINGS", "1");
    Result images = launch(JAR, env, "images");
    assertEquals(images.output(), 0, images.code());
    assertThat(images.output(), allOf(containsString("flag -XX:+UseSerialGC\n"), containsString("flag -XX:TieredStopAtLevel=1\n"),
        containsString("env MALLOC_MMAP_THRESHOLD_=131072\n"), not(containsString("UseParallelGC")), not(containsString("-Xmn")),
        not(containsString("java was started"))));
    Result fetch = launch(JAR, env, "fetch");
    assertEquals(fetch.output(), 0, fetch.code());
    assertThat(fetch.output(), allOf(containsString("flag -XX:+UseParallelGC\n"), containsString("flag -Xmn32m\n"),
        not(containsString("env ")), not(containsString("UseSerialGC"))));
  }

  /**
   * The jar's options registry leaves Flink's options out (every run would validate them at start-up); a
   * run that names the Flink runner, or only a Flink flag, still gets them, and an unknown flag is still one.
   */
  @Test
  public void flinkOptionsAreRegisteredWhenARunNamesThem() throws Exception {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR.toFile())) {
      String registrars = new String(jar.getInputStream(
          jar.getEntry("META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar")).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(registrars, allOf(containsString("DirectRegistrar$Options"), not(containsString("Flink"))));
    }
    Path out = tmp.newFolder("flink-options").toPath();
    Result direct = launch(JAR, Map.of("SPEEDUP_CDS", "0"), "fetch", "--parallelism=2", "--days=2", "--fixtureLatency=0s",
        "--output=" + out.resolve("direct"));
    assertEquals(direct.output(), 0, direct.code());
    assertThat(direct.output(), containsString("on DirectRunner"));
    Result flink = launch(JAR, Map.of("SPEEDUP_CDS", "0"), "fetch", "@" + ROOT.resolve("run-configs/flink-local.args"), "--days=2",
        "--fixtureLatency=0s", "--output=" + out.resolve("flink"));
    assertEquals(flink.output(), 0, flink.code());
    assertThat(flink.output(), containsString("on FlinkRunner"));
    assertArrayEquals(Files.readAllBytes(out.resolve("direct/station-days.csv")), Files.readAllBytes(out.resolve("flink/station-days.csv")));
    Result unknown = launch(JAR, Map.of("SPEEDUP_CDS", "0"), "fetch", "--bogus=1", "--days=2", "--output=" + out.resolve("bogus"));
    assertEquals(unknown.output(), 2, unknown.code());
    assertThat(unknown.output(), containsString("unknown flag --bogus"));
  }

  /** A PATH whose first {@code java} is this shell script, to see what bin/speedup hands the JVM. */
  private String pathWithFakeJava(String script) throws IOException {
    Path bin = tmp.newFolder().toPath();
    Path java = bin.resolve("java");
    Files.writeString(java, script);
    assertTrue(java.toFile().setExecutable(true));
    return bin + ":" + System.getenv("PATH");
  }
}
