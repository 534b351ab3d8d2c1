package dev.speedup.jobs.cluster;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.jobs.Cli;
import dev.speedup.jobs.cli.ExitCode;
import dev.speedup.jobs.cluster.LocalFlinkCluster;
import dev.speedup.jobs.fetch.FetchJob;
import dev.speedup.jobs.images.ImagesJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runners.MethodSorters;

/**
 * Both jobs on a real Flink session cluster (one JobManager and two TaskManagers, separate JVMs on
 * loopback), started and stopped with the project's own scripts, on ports of its own so it never meets a
 * cluster a user runs. The cluster stops itself after 15 minutes whatever happens to this JVM.
 * Runs in the integration-test phase (failsafe), after the job jar is packaged.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // the fault test kills a TaskManager: it goes last
public class FlinkClusterIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JOB_JAR = ROOT.resolve("jobs/target/speedup-job.jar");
  private static final Path STATE = ROOT.resolve("jobs/target/flink-cluster-it");
  private static final ObjectMapper JSON = new ObjectMapper();

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static LocalFlinkCluster cluster;
  private static int restPort;
  private static final List<Long> clusterPids = new ArrayList<>();

  @BeforeClass
  public static void startCluster() throws Exception {
    assertTrue("build the job jar first (mvn package): " + JOB_JAR, Files.isRegularFile(JOB_JAR));
    cluster = LocalFlinkCluster.onFreePorts(ROOT, STATE);
    restPort = cluster.restPort();
    Runtime.getRuntime().addShutdownHook(new Thread(FlinkClusterIT::stopQuietly));
    LocalFlinkCluster.ScriptResult started = cluster.start("--max-lifetime=900");
    assertEquals(started.output(), 0, started.code());
    assertThat(started.output(), containsString("2 TaskManagers"));
    assertThat(started.output(), containsString("http://127.0.0.1:" + restPort));
    for (String name : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
      clusterPids.add(cluster.pid(name));
    }
  }

  @AfterClass
  public static void stopClusterAndCheckNothingIsLeft() throws Exception {
    LocalFlinkCluster.ScriptResult stopped = cluster.stop();
    assertEquals(stopped.output(), 0, stopped.code());
    for (long pid : clusterPids) {
      assertFalse("cluster process " + pid + " still running", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
    assertEquals("no PID files left", List.of(), listPidFiles());
  }

  private static List<Path> listPidFiles() throws IOException {
    try (Stream<Path> files = Files.list(STATE.resolve("run"))) {
      return files.filter(p -> p.toString().endsWith(".pid")).toList();
    }
  }

  @Test
  public void a_aSecondStartReportsTheRunningClusterInsteadOfStartingAnother() throws Exception {
    LocalFlinkCluster.ScriptResult again = cluster.start();
    assertEquals(again.output(), 0, again.code());
    assertThat(again.output(), containsString("already running"));
    assertEquals(2, taskManagers());
  }

  @Test
  public void b_bothJobsOnTheClusterWriteWhatSequentialWrites() throws Exception {
    Path input = TMP.newFolder("corpus").toPath();
    XrayCorpus.write(input, 30, 11, i -> {});
    Path normal = input.resolve("chest_xray/train/NORMAL");
    Files.write(normal.resolve("zero.jpeg"), new byte[0]);
    Files.write(normal.resolve("readme.jpeg"), "not an image".getBytes(StandardCharsets.UTF_8));

    Path seqImages = TMP.newFolder("images-sequential").toPath();
    Path clusterImages = TMP.newFolder("images-cluster").toPath();
    someFailed(Cli.run("images", "@" + ROOT.resolve("run-configs/sequential.args"), "--input=" + input, "--output=" + seqImages, "--npy"));
    someFailed(Cli.run(cluster("images", "--input=" + input, "--output=" + clusterImages, "--npy")));
    assertSameFiles(seqImages, clusterImages);
    JsonNode images = JSON.readTree(clusterImages.resolve(ImagesJob.SUMMARY).toFile());
    assertEquals("FlinkRunner", images.get("runner").asText());
    assertEquals(32, images.get("inputs").asInt());
    assertEquals(30, images.get("succeeded").asInt());
    assertEquals(2, images.get("failed").asInt());
    assertTrue(images.get("reconciled").asBoolean());
    assertThat(images.get("pipelineSeconds").asDouble(), greaterThan(0.0));

    String[] week = {"--startDate=2021-03-01", "--days=9", "--fixtureLatency=10ms", "--fixtureFaults=2021-03-02=500*1,2021-03-04=404,2021-03-05=empty"};
    Path seqFetch = TMP.newFolder("fetch-sequential").toPath();
    Path clusterFetch = TMP.newFolder("fetch-cluster").toPath();
    someFailed(Cli.run(concat(new String[] {"fetch", "@" + ROOT.resolve("run-configs/sequential.args"), "--output=" + seqFetch}, week)));
    someFailed(Cli.run(cluster(concat(new String[] {"fetch", "--output=" + clusterFetch}, week))));
    assertSameFiles(seqFetch, clusterFetch);
    JsonNode fetch = JSON.readTree(clusterFetch.resolve(FetchJob.SUMMARY).toFile());
    assertEquals(9, fetch.get("inputs").asInt());
    assertEquals(7, fetch.get("succeeded").asInt());
    assertEquals(2, fetch.get("failed").asInt());
    assertEquals("one retry of the 500", 1, fetch.get("retries").asInt());
    assertTrue(fetch.get("reconciled").asBoolean());
  }

  @Test
  public void c_aKilledTaskManagerDoesNotLoseOrDuplicateAnything() throws Exception {
    int days = 120;
    try (AirTemperatureServer api =
        AirTemperatureServer.builder().latency(Duration.ofMillis(60)).maxRequests(20L * days).lifetime(Duration.ofMinutes(10)).start()) {
      Path expected = TMP.newFolder("fault-sequential").toPath();
      ok(Cli.run("fetch", "@" + ROOT.resolve("run-configs/async.args"), "--apiUrl=" + api.endpoint(), "--days=" + days, "--output=" + expected));
      long before = api.requestCount();

      Path out = TMP.newFolder("fault-cluster").toPath();
      CompletableFuture<Cli.Result> job =
          CompletableFuture.supplyAsync(() -> Cli.run(cluster("fetch", "--apiUrl=" + api.endpoint(), "--days=" + days, "--output=" + out)));
      // Kill a TaskManager once the job is fetching (a sixth of the dates asked for).
      awaitCondition("the cluster job to start fetching", Duration.ofMinutes(2), () -> api.requestCount() - before >= days / 6 || job.isDone());
      assertFalse("the job finished before the TaskManager could be killed: " + (job.isDone() ? job.join().err() : ""), job.isDone());
      long victim = cluster.pid("taskmanager-1");
      ProcessHandle tm = ProcessHandle.of(victim).orElseThrow();
      assertTrue(tm.destroyForcibly());
      tm.onExit().get(30, TimeUnit.SECONDS);

      Cli.Result r = job.get(4, TimeUnit.MINUTES);
      assertEquals(r.err(), 0, r.code());
      assertThat("the job was restarted and fetched again", api.requestCount() - before, greaterThan((long) days));
      assertEquals(1, taskManagers());

      List<String> rows = Files.readAllLines(out.resolve(FetchJob.STATION_DAYS));
      assertEquals("no duplicated rows", rows.size(), new HashSet<>(rows).size());
      assertEquals("no missing rows", Files.readAllLines(expected.resolve(FetchJob.STATION_DAYS)), rows);
      assertEquals(List.of(), Files.readAllLines(out.resolve(FetchJob.FAILURES)));
      JsonNode summary = JSON.readTree(out.resolve(FetchJob.SUMMARY).toFile());
      assertEquals(days, summary.get("inputs").asInt());
      assertEquals(days, summary.get("succeeded").asInt());
      assertEquals(rows.size() - 1, summary.get("rows").asInt());
      try (Stream<Path> files = Files.list(out)) {
        assertEquals("no temporary files left (the lock's file stays)",
            List.of(dev.speedup.jobs.output.OutputLock.LOCK, FetchJob.FAILURES, FetchJob.STATION_DAYS, FetchJob.SUMMARY),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }

  private static String[] cluster(String... args) {
    List<String> all = new ArrayList<>(List.of(args[0], "@" + ROOT.resolve("run-configs/flink-cluster.args"),
        "--flinkMaster=127.0.0.1:" + restPort, "--filesToStage=" + JOB_JAR));
    all.addAll(List.of(args).subList(1, args.length));
    return all.toArray(new String[0]);
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  private static void ok(Cli.Result r) {
    assertEquals(r.err(), ExitCode.OK, r.code());
  }

  /** The job ran to the end but some inputs failed, more than the default --maxFailures=0 allows. */
  private static void someFailed(Cli.Result r) {
    assertEquals(r.err(), ExitCode.SOME_FAILED, r.code());
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    Map<String, byte[]> a = tree(expected);
    Map<String, byte[]> b = tree(actual);
    assertEquals(a.keySet(), b.keySet());
    for (String file : a.keySet()) {
      assertArrayEquals(file, a.get(file), b.get(file));
    }
  }

  /** Every file under {@code dir} but summary.json (it carries timings), by relative path. */
  private static Map<String, byte[]> tree(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString();
        if (!rel.equals("summary.json")) {
          files.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return files;
  }

  private static int taskManagers() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/taskmanagers")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("taskmanagers").size();
  }

  /** Waits for a condition the test cannot be told about (another process's state), up to {@code limit}. */
  private static void awaitCondition(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static void stopQuietly() {
    try {
      cluster.stop("--quiet");
    } catch (Exception ignored) {
      // Best effort on JVM exit; the cluster's own --max-lifetime watchdog is the backstop.
    }
  }
}
