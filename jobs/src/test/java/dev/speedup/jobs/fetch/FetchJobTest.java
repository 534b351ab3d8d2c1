package dev.speedup.jobs.fetch;

import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.transforms.airtemp.AirTemperatureParser;
import dev.speedup.transforms.airtemp.StationDay;
import java.time.LocalDate;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.jobs.Cli;
import dev.speedup.jobs.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The fetch command end to end, as a user runs it: flags in, files and exit code out. */
public class FetchJobTest {
  /** Surefire runs in the module folder; the presets live at the project root. */
  private static final Path RUN_CONFIGS = Path.of("..", "run-configs");

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static Cli.Result run(String... args) {
    return Cli.run(args);
  }

  private static final String[] FAULTY_WEEK = {
    "--startDate=2020-06-01",
    "--days=7",
    "--fixtureLatency=20ms",
    "--fixtureFaults=2020-06-02=500*1,2020-06-03=404,2020-06-04=empty,2020-06-05=malformed,2020-06-06=impossible",
    "--maxAttempts=3",
  };

  private Path fetch(String preset, String... extra) throws Exception {
    Path out = tmp.newFolder(preset).toPath();
    List<String> args = new ArrayList<>(List.of("fetch", "@" + RUN_CONFIGS.resolve(preset + ".args"), "--output=" + out));
    args.addAll(List.of(FAULTY_WEEK));
    args.addAll(List.of(extra));
    Cli.Result r = run(args.toArray(new String[0]));
    assertEquals("the faulty week's failed dates make exit 3: " + r.err(), dev.speedup.jobs.cli.ExitCode.SOME_FAILED, r.code());
    assertThat(r.out(), containsString("7 dates"));
    return out;
  }

  @Test
  public void everyModeWritesTheSameFilesByteForByte() throws Exception {
    Path sequential = fetch("sequential");
    Path threads = fetch("threads");
    Path async = fetch("async");
    Path flink = fetch("flink-local");
    for (String file : List.of(FetchJob.STATION_DAYS, FetchJob.FAILURES)) {
      byte[] expected = Files.readAllBytes(sequential.resolve(file));
      assertEquals(file + " threads", new String(expected, StandardCharsets.UTF_8), Files.readString(threads.resolve(file)));
      assertEquals(file + " async", new String(expected, StandardCharsets.UTF_8), Files.readString(async.resolve(file)));
      assertEquals(file + " flink-local", new String(expected, StandardCharsets.UTF_8), Files.readString(flink.resolve(file)));
    }
    // On Flink the counts come back through the job's accumulators, not from in-process state.
    JsonNode summary = new ObjectMapper().readTree(flink.resolve(FetchJob.SUMMARY).toFile());
    assertEquals("FlinkRunner", summary.get("runner").asText());
    assertEquals(2, summary.get("parallelism").asInt());
    assertEquals(7, summary.get("inputs").asInt());
    assertEquals(4, summary.get("succeeded").asInt());
    assertEquals(3, summary.get("failed").asInt());
    assertEquals(true, summary.get("reconciled").asBoolean());
    assertThat(summary.get("pipelineSeconds").asDouble(), greaterThan(0.0));
  }

  @Test
  public void outputsAreSortedCompleteAndReconciled() throws Exception {
    Path out = fetch("async");
    List<String> rows = Files.readAllLines(out.resolve(FetchJob.STATION_DAYS));
    assertEquals(StationDayCsv.HEADER, rows.get(0));
    List<String> body = rows.subList(1, rows.size());
    List<String> sorted = new ArrayList<>(body);
    sorted.sort(null);
    assertEquals(sorted, body);
    // 2020-06-01, -02 (after a retry), -06 and -07 have readings: 13 to 16 stations each.
    assertThat(body.stream().map(l -> l.substring(0, 10)).distinct().toList(),
        contains("2020-06-01", "2020-06-02", "2020-06-06", "2020-06-07"));
    assertThat(body.size(), allOf(greaterThanOrEqualTo(4 * 13), lessThanOrEqualTo(4 * 16)));
    for (String row : body) {
      String[] f = row.split(",");
      assertEquals(row, 7, f.length);
      double min = Double.parseDouble(f[4]);
      double mean = Double.parseDouble(f[5]);
      double max = Double.parseDouble(f[6]);
      assertThat(row, min, lessThanOrEqualTo(mean));
      assertThat(row, mean, lessThanOrEqualTo(max));
    }

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> failures = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(FetchJob.FAILURES))) {
      failures.add(json.readTree(line));
    }
    assertEquals(3, failures.size());
    assertEquals("2020-06-03", failures.get(0).get("input").asText());
    assertEquals("HTTP_STATUS", failures.get(0).get("kind").asText());
    assertEquals(404, failures.get(0).get("status").asInt());
    assertEquals(1, failures.get(0).get("attempts").asInt());
    assertEquals("EMPTY_DAY", failures.get(1).get("kind").asText());
    assertEquals("MALFORMED_JSON", failures.get(2).get("kind").asText());
    for (JsonNode f : failures) {
      assertThat(f.get("message").asText(), not(emptyString()));
      assertThat(f.get("stage").asText(), is(oneOf("fetch", "parse")));
    }

    JsonNode summary = json.readTree(out.resolve(FetchJob.SUMMARY).toFile());
    assertEquals(7, summary.get("inputs").asInt());
    assertEquals(4, summary.get("succeeded").asInt());
    assertEquals(3, summary.get("failed").asInt());
    assertEquals(true, summary.get("reconciled").asBoolean());
    assertEquals(body.size(), summary.get("rows").asInt());
    assertEquals(1, summary.get("retries").asInt());
    assertEquals(1, summary.get("failedByKind").get("HTTP_STATUS").asInt());
    // 2020-06-06 came with readings that cannot be true: its rows are the clean day's, the rest counted.
    LocalDate hostileDay = LocalDate.of(2020, 6, 6);
    List<String> clean = new ArrayList<>();
    for (StationDay d : AirTemperatureParser.parse(AirTemperatureDocuments.fullDay(hostileDay), hostileDay).rows()) {
      clean.add(StationDayCsv.line(d));
    }
    assertEquals(clean, body.stream().filter(l -> l.startsWith("2020-06-06")).toList());
    int stations = AirTemperatureDocuments.stationsOf(hostileDay).size();
    JsonNode rejected = summary.get("readingsRejectedByReason");
    assertEquals(stations, rejected.get("OTHER_DAY").asInt());
    assertEquals(stations, rejected.get("NO_TIMESTAMP").asInt());
    assertEquals(AirTemperatureDocuments.IMPOSSIBLE_OUT_OF_RANGE, rejected.get("OUT_OF_RANGE").asInt());
    assertEquals(AirTemperatureDocuments.IMPOSSIBLE_MALFORMED, rejected.get("MALFORMED_VALUE").asInt());
    int atMidnight = json.readTree(AirTemperatureDocuments.fullDay(hostileDay)).path("items").get(0).path("readings").size();
    assertEquals(atMidnight, rejected.get("DUPLICATE").asInt());
    long total = 0;
    for (JsonNode n : rejected) {
      total += n.asLong();
    }
    assertEquals(total, summary.get("readingsRejected").asLong());
    assertEquals(64, summary.get("maxInFlight").asInt());
    assertEquals(2, summary.get("parallelism").asInt());
    assertThat(summary.get("wallSeconds").asDouble(), greaterThan(0.0));
    try (Stream<Path> files = Files.list(out)) {
      assertThat("no temporary files left (the lock's file stays: the lock is the run's, not the file's)",
          files.map(p -> p.getFileName().toString()).toList(),
          containsInAnyOrder(FetchJob.STATION_DAYS, FetchJob.FAILURES, FetchJob.SUMMARY, dev.speedup.jobs.output.OutputLock.LOCK));
    }
  }

  @Test
  public void aFlagAfterTheFileOverridesIt() throws Exception {
    Path out = fetch("async", "--maxInFlight=3", "--targetParallelism=1");
    JsonNode summary = new ObjectMapper().readTree(out.resolve(FetchJob.SUMMARY).toFile());
    assertEquals(3, summary.get("maxInFlight").asInt());
    assertEquals(1, summary.get("parallelism").asInt());
  }

  @Test
  public void asyncKeepsMaxInFlightRequestsOutAtOnce() throws Exception {
    // One worker, one group of 32 dates, 16 allowed in flight: the first 16 requests must all be out
    // together (each takes a second to answer). Fed as a list, the dates arrived in bundles of a handful
    // and the peak stayed well below what was allowed.
    Path out = tmp.newFolder("in-flight").toPath();
    Cli.Result r =
        run("fetch", "@" + RUN_CONFIGS.resolve("async.args"), "--output=" + out, "--days=32", "--maxInFlight=16",
            "--targetParallelism=1", "--shards=1", "--fixtureLatency=1s");
    assertEquals(r.err(), 0, r.code());
    JsonNode summary = new ObjectMapper().readTree(out.resolve(FetchJob.SUMMARY).toFile());
    assertEquals(32, summary.get("succeeded").asInt());
    assertEquals(16, summary.get("peakInFlightPerWorker").asInt());
  }

  @Test
  public void worksAgainstAnExternalServerGivenByApiUrl() throws Exception {
    try (AirTemperatureServer server =
        AirTemperatureServer.builder().maxRequests(100).lifetime(Duration.ofMinutes(2)).start()) {
      Path out = tmp.newFolder("external").toPath();
      Cli.Result r = run("fetch", "--apiUrl=" + server.endpoint(), "--days=3", "--output=" + out);
      assertEquals(r.err(), 0, r.code());
      assertEquals(3, server.requestCount());
      assertThat(Files.readAllLines(out.resolve(FetchJob.STATION_DAYS)).size(), greaterThan(3 * 13));
    }
  }

  private static void assertUsageError(String expectedFlag, String[] args, String... mentions) {
    Cli.Result r = run(args);
    assertEquals(r.err(), Main.USAGE, r.code());
    assertThat(r.err(), containsString(expectedFlag));
    for (String m : mentions) {
      assertThat(r.err(), containsString(m));
    }
  }

  @Test
  public void badFlagsFailFastWithExitCode2NamingFlagValueAndWhatIsAllowed() {
    assertUsageError("--bogus", new String[] {"fetch", "--bogus=1"}, "unknown flag");
    assertUsageError("--days", new String[] {"fetch", "--days=0"}, "'0'", "1..36600");
    assertUsageError("days", new String[] {"fetch", "--days=many"}, "many");
    assertUsageError("--startDate", new String[] {"fetch", "--startDate=2020-13-01"}, "'2020-13-01'", "YYYY-MM-DD");
    assertUsageError("--requestTimeout", new String[] {"fetch", "--requestTimeout=soon"}, "'soon'", "500ms");
    assertUsageError("--maxInFlight", new String[] {"fetch", "--maxInFlight=0"}, "1..10000");
    assertUsageError("--maxAttempts", new String[] {"fetch", "--maxAttempts=1000"}, "1..100");
    assertUsageError("--maxRetryAfter", new String[] {"fetch", "--maxRetryAfter=-1s"}, "'-1s'");
    assertUsageError("--validRange", new String[] {"fetch", "--validRange=60..-40"}, "'60..-40'", "MIN < MAX");
    assertUsageError("--validRange", new String[] {"fetch", "--validRange=hot"}, "MIN..MAX");
    assertUsageError("--rateLimit", new String[] {"fetch", "--rateLimit=-2"}, "'-2.0'", "> 0");
    assertUsageError("--apiUrl", new String[] {"fetch", "--apiUrl=ftp://example.org/x"}, "http or https");
    assertUsageError("--fixtureFaults", new String[] {"fetch", "--fixtureFaults=2020-06-01=explode"}, "explode");
    assertUsageError("@missing.args", new String[] {"fetch", "@missing.args"}, "does not exist");
    assertUsageError("nope", new String[] {"nope"}, "unknown command");
  }

  @Test
  public void anOutputThatIsAFileIsAUsageError() throws Exception {
    Path file = tmp.newFile("not-a-folder").toPath();
    assertUsageError("--output", new String[] {"fetch", "--days=1", "--output=" + file}, "this is a file");
  }

  @Test
  public void aFolderAnotherRunHoldsIsRefusedAndAnInterruptedRunLeavesItMarked() throws Exception {
    Path out = tmp.getRoot().toPath().resolve("out");
    try (dev.speedup.jobs.output.OutputLock held = dev.speedup.jobs.output.OutputLock.take(out, "output", "fetch")) {
      Cli.Result r = Cli.run("fetch", "--days=2", "--output=" + out);
      assertEquals(r.err(), 2, r.code());
      assertThat(r.err(), containsString("another fetch run holds"));
      assertEquals("nothing written beside the holder's files", List.of(".speedup.lock", "INCOMPLETE"), names(out));
    }
    Cli.Result r = Cli.run("fetch", "--days=2", "--output=" + out);
    assertEquals(r.err(), 0, r.code());
    assertEquals("a finished run leaves no mark", List.of(".speedup.lock", "failures.jsonl", "station-days.csv", "summary.json"), names(out));
  }

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  public void helpListsTheFlagsWithDefaults() {
    Cli.Result r = run("fetch", "--help");
    assertEquals(0, r.code());
    for (String flag : List.of("--apiUrl", "--startDate", "--days", "--output", "--maxInFlight", "--maxAttempts", "--requestTimeout")) {
      assertThat(r.out(), containsString(flag));
    }
    assertThat(r.out(), containsString("(default: 2020-06-01)"));
    assertThat(run("--help").out(), containsString("fetch"));
    assertThat(run("serve-fixtures", "--help").out(), containsString("--latency"));
  }

  @Test
  public void aFlinkClusterThatIsNotRunningFailsInSecondsNamingTheAddress() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long started = System.nanoTime();
    Cli.Result r = run("fetch", "@" + RUN_CONFIGS.resolve("flink-cluster.args"), "--flinkMaster=127.0.0.1:" + port,
        "--days=2", "--output=" + tmp.newFolder("unreachable"));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(r.err(), 1, r.code());
    assertThat(r.err(), containsString("no Flink cluster answers at 127.0.0.1:" + port));
    assertThat(r.err(), containsString("run-configs/flink-cluster/start"));
    // Flink's own client would retry for minutes; the check before submission gives up in seconds.
    assertThat(seconds, lessThan(20.0));
  }

  @Test
  public void badFlinkFlagsFailFastNamingTheFlag() {
    assertUsageError("flinkMaster", new String[] {"fetch", "--runner=FlinkRunner", "--flinkMaster=[remote]"}, "[local]", "HOST:PORT");
    assertUsageError("flinkMaster", new String[] {"fetch", "--runner=FlinkRunner", "--flinkMaster=nohost"}, "HOST:PORT");
    assertUsageError("parallelism", new String[] {"fetch", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=0"}, "1..10000");
  }
}
