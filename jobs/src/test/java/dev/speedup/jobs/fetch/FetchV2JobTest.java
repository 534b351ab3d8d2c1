package dev.speedup.jobs.fetch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.AirTemperatureV2Documents;
import dev.speedup.fixtures.ServerConfig;
import dev.speedup.jobs.Cli;
import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.ExitCode;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.transforms.airtemp.AirTemperature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** fetch --api=v2: the same station-days and failures as v1, every page followed, the key's handling. */
public class FetchV2JobTest {
  private static final Path RUN_CONFIGS = Path.of("..", "run-configs");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FAULTY_WEEK = {
    "--startDate=2020-06-01",
    "--days=7",
    "--fixtureLatency=10ms",
    "--fixtureFaults=2020-06-02=500*1,2020-06-03=404,2020-06-04=empty,2020-06-05=malformed,2020-06-06=impossible",
    "--maxAttempts=3",
    "--maxFailures=3",
  };

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path fetch(String api) throws Exception {
    Path out = tmp.newFolder(api).toPath();
    List<String> args = new ArrayList<>(List.of("fetch", "@" + RUN_CONFIGS.resolve("async.args"), "--api=" + api, "--output=" + out));
    args.addAll(List.of(FAULTY_WEEK));
    Cli.Result r = Cli.run(args.toArray(new String[0]));
    assertEquals(r.err(), ExitCode.OK, r.code());
    return out;
  }

  /** Failed date to kind, from failures.jsonl. */
  private static Map<String, String> failedKinds(Path out) throws Exception {
    Map<String, String> kinds = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve(FetchJob.FAILURES))) {
      JsonNode f = JSON.readTree(line);
      kinds.put(f.get("input").asText(), f.get("kind").asText());
    }
    return kinds;
  }

  @Test
  public void theFaultyWeekGivesTheSameStationDaysAndFailuresUnderV2AsUnderV1() throws Exception {
    Path v1 = fetch("v1");
    Path v2 = fetch("v2");
    assertEquals(Files.readString(v1.resolve(FetchJob.STATION_DAYS)), Files.readString(v2.resolve(FetchJob.STATION_DAYS)));
    assertEquals(Map.of("2020-06-03", "HTTP_STATUS", "2020-06-04", "EMPTY_DAY", "2020-06-05", "MALFORMED_JSON"), failedKinds(v2));
    assertEquals(failedKinds(v1), failedKinds(v2));
    JsonNode summary = JSON.readTree(v2.resolve(FetchJob.SUMMARY).toFile());
    assertEquals("v2", summary.get("api").asText());
    assertEquals("none", summary.get("apiKey").asText());
    int pages = AirTemperatureV2Documents.pageCount(LocalDate.parse("2020-06-01"), ServerConfig.V2.DEFAULT.itemsPerPage());
    // 3 full days in all their pages, and the impossible day, whose 4 extra items start one more page.
    assertEquals(6, pages);
    assertEquals(3 * pages + pages + 1, summary.get("pages").asInt());
    JsonNode v1Summary = JSON.readTree(v1.resolve(FetchJob.SUMMARY).toFile());
    assertEquals(v1Summary.get("readingsRejectedByReason"), summary.get("readingsRejectedByReason"));
    assertThat(summary.get("readingsRejected").asInt(), greaterThan(0));
    assertEquals(7, summary.get("inputs").asInt());
    assertEquals(4, summary.get("succeeded").asInt());
    assertEquals(true, summary.get("reconciled").asBoolean());
  }

  @Test
  public void theKeyComesFromTheEnvironmentAndOnlyItsVariableIsShown() {
    FetchOptions o = Args.parse(List.of("--api=v2"), FetchOptions.class, "fetch");
    FetchSettings s = FetchSettings.of(o, name -> name.equals(FetchSettings.DEFAULT_API_KEY_ENV) ? "k-secret-1" : null);
    assertEquals("k-secret-1", s.apiKey().value());
    assertEquals("set (from $DATA_GOV_SG_API_KEY)", s.apiKey().toString());
    assertThat(s.toString(), not(containsString("k-secret-1")));

    FetchOptions named = Args.parse(List.of("--api=v2", "--apiKeyEnv=MY_KEY"), FetchOptions.class, "fetch");
    assertEquals("MY_KEY", FetchSettings.of(named, name -> name.equals("MY_KEY") ? "k2" : null).apiKey().variable());
    assertNull("v1 takes no key", FetchSettings.of(Args.parse(List.of(), FetchOptions.class, "fetch"), name -> "k").apiKey());
    assertNull("no key in the default variable: none", FetchSettings.of(o, name -> null).apiKey());
  }

  private static String usage(Map<String, String> env, String... flags) {
    try {
      FetchSettings.of(Args.parse(List.of(flags), FetchOptions.class, "fetch"), env::get);
    } catch (UsageException e) {
      return e.getMessage();
    }
    throw new AssertionError("no usage error for " + List.of(flags));
  }

  @Test
  public void badApiFlagsAreUsageErrorsNamingTheFlagAndNeverTheKey() {
    assertThat(usage(Map.of(), "--api=v3"), allOf(containsString("--api"), containsString("'v3'"), containsString("v1 or v2")));
    assertThat(usage(Map.of(), "--api=v2", "--apiKeyEnv=UNSET_VAR"), allOf(containsString("--apiKeyEnv"), containsString("UNSET_VAR is not")));
    assertThat(usage(Map.of("K", "x"), "--apiKeyEnv=K"), containsString("--api=v2 only"));
    assertThat(usage(Map.of(), "--api=v2", "--apiKeyEnv=no-dashes"), containsString("the name of an environment variable"));
    String bad = usage(Map.of("K", "has a space"), "--api=v2", "--apiKeyEnv=K");
    assertThat(bad, allOf(containsString("--apiKeyEnv"), not(containsString("has a space"))));
  }

  @Test
  public void dataGovSgNamesTheRealEndpointOfTheVersionAndIsPacedWithinItsPublishedLimit() {
    FetchSettings s = FetchSettings.of(Args.parse(List.of("--api=v2", "--apiUrl=data.gov.sg"), FetchOptions.class, "fetch"), n -> null);
    assertEquals(AirTemperature.DATA_GOV_SG_V2, s.apiUrl());
    assertEquals(AirTemperature.DATA_GOV_SG,
        FetchSettings.of(Args.parse(List.of("--apiUrl=data.gov.sg"), FetchOptions.class, "fetch"), n -> null).apiUrl());
    assertEquals(0.6, FetchJob.publishedV2Rate(false), 1e-9);
    assertEquals(1.2, FetchJob.publishedV2Rate(true), 1e-9);
  }

  @Test
  public void withoutAKeyNoKeyHeaderIsSentAndEveryPageIsFetched() throws Exception {
    try (AirTemperatureServer server =
        AirTemperatureServer.builder().apiKey("right-key").maxRequests(100).lifetime(Duration.ofMinutes(2)).start()) {
      Path out = tmp.newFolder("no-key").toPath();
      Cli.Result r = Cli.run("fetch", "--api=v2", "--apiUrl=" + server.v2Endpoint(), "--days=2", "--output=" + out);
      assertEquals(r.err(), ExitCode.OK, r.code());
      assertEquals(0, server.keyedRequestCount());
      assertThat(server.requestCount(), greaterThanOrEqualTo(2L * AirTemperatureV2Documents.pageCount(LocalDate.parse("2020-06-01"), 240)));
    }
  }
}
