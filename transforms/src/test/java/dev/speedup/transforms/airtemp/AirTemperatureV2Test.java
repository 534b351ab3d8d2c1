package dev.speedup.transforms.airtemp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.AirTemperatureV2Documents;
import dev.speedup.fixtures.Fault;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.http.HttpFetch;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

/** The v2 API against the stand-in and against hostile pagers: every page followed, merged as v1's day. */
public class AirTemperatureV2Test {
  private static final LocalDate DAY = LocalDate.of(2024, 7, 16);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  private transient AirTemperatureServer server;
  private transient HttpServer hostile;

  @After
  public void stop() {
    if (server != null) {
      server.close();
    }
    if (hostile != null) {
      hostile.stop(0);
    }
  }

  private static List<LocalDate> days(int n) {
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dates.add(DAY.plusDays(i));
    }
    return dates;
  }

  private static List<StationDay> v1Rows(List<LocalDate> dates) throws Exception {
    List<StationDay> rows = new ArrayList<>();
    for (LocalDate d : dates) {
      rows.addAll(AirTemperatureParser.parse(AirTemperatureDocuments.fullDay(d), d).rows());
    }
    return rows;
  }

  private WithFailures.Result<PCollection<StationDay>, Failure> run(List<LocalDate> dates, AirTemperature.DailyStats stats) {
    return pipeline.apply(Create.of(dates).withCoder(LocalDateCoder.of())).apply(stats);
  }

  private static long counter(PipelineResult result, Class<?> namespace, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  public void everyPageOfADateIsFollowedAndGivesTheSameStationDaysAsV1() throws Exception {
    server = AirTemperatureServer.builder().v2ItemsPerPage(100).fault(DAY.plusDays(2), Fault.parse("503*1"))
        .maxRequests(500).lifetime(Duration.ofMinutes(3)).start();
    List<LocalDate> dates = days(5);
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        run(dates, AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withEndpoint(server.v2Endpoint())
            .withFetch(HttpFetch.get().withMaxInFlight(4).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))));
    PAssert.that(r.output()).containsInAnyOrder(v1Rows(dates));
    PAssert.that(r.failures()).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    int pagesPerDay = AirTemperatureV2Documents.pageCount(DAY, 100);
    assertEquals(15, pagesPerDay);
    assertEquals("each page once, and the 503 again", 5 * pagesPerDay + 1, server.requestCount());
    assertEquals(5 * pagesPerDay, counter(result, HttpFetch.class, "pages"));
    assertEquals(1, counter(result, HttpFetch.class, "retries"));
    assertEquals(5, counter(result, HttpFetch.class, "responses"));
    assertEquals(5, counter(result, AirTemperature.class, "days_with_readings"));
  }

  @Test
  public void rateLimitedPagesAreRetriedAfterRetryAfterAndTheKeyIsSentOnEveryPage() throws Exception {
    server = AirTemperatureServer.builder().v2ItemsPerPage(500).v2RateLimit(4, Duration.ofSeconds(1)).apiKey("key-0123")
        .maxRequests(500).lifetime(Duration.ofMinutes(3)).start();
    List<LocalDate> dates = days(4);
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        run(dates, AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withEndpoint(server.v2Endpoint()).withApiKey("key-0123")
            .withFetch(HttpFetch.get().withMaxInFlight(8).withMaxAttempts(20).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))));
    PAssert.that(r.output()).containsInAnyOrder(v1Rows(dates));
    PAssert.that(r.failures()).empty();
    pipeline.run().waitUntilFinish();
    assertThat("12 pages at 8 a second (the key's budget) must have met 429s", server.rateLimitedCount(), greaterThan(0L));
    assertEquals("every request carried the key", server.requestCount(), server.keyedRequestCount());
  }

  @Test
  public void aWrongKeyFailsEveryDateAtOnceWithTheStatus() throws Exception {
    server = AirTemperatureServer.builder().apiKey("key-0123").maxRequests(500).lifetime(Duration.ofMinutes(3)).start();
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        run(days(3), AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withEndpoint(server.v2Endpoint()).withApiKey("key-9999"));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind() + " " + f.status() + " " + f.attempts())))
        .containsInAnyOrder("2024-07-16 HTTP_STATUS 401 1", "2024-07-17 HTTP_STATUS 401 1", "2024-07-18 HTTP_STATUS 401 1");
    pipeline.run().waitUntilFinish();
  }

  /**
   * A server of its own on loopback: page 1 is the day with a token for page 2, which is {@code page2}'s
   * body; or, {@code endless}, every page is empty and names another. Past 2000 requests it answers 503.
   */
  private URI hostile(String page2, boolean endless) throws IOException {
    hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger requests = new AtomicInteger();
    hostile.createContext("/v2", exchange -> {
      int n = requests.incrementAndGet();
      String token = "\"t" + n + "\"";
      String body;
      if (endless) {
        body = "{\"code\":0,\"errorMsg\":\"\",\"data\":{\"readings\":[],\"paginationToken\":" + token + "}}";
      } else if (exchange.getRequestURI().getRawQuery().contains("paginationToken")) {
        body = page2;
      } else {
        String day = new String(AirTemperatureV2Documents.page(DAY, 0, 2000), StandardCharsets.UTF_8);
        body = day.replace("\"readingUnit\":\"deg C\"", "\"readingUnit\":\"deg C\",\"paginationToken\":" + token);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(n > 2000 ? 503 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    hostile.start();
    return URI.create("http://127.0.0.1:" + hostile.getAddress().getPort() + "/v2/air-temperature");
  }

  @Test
  public void aBrokenLaterPageFailsItsDateNamingThePage() throws Exception {
    URI endpoint = hostile("{\"code\":0,\"data\":{\"readings\":[{\"timestamp\":", false);
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        run(List.of(DAY), AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withEndpoint(endpoint));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind() + " " + f.attempts() + " " + f.message())))
        .satisfies(failures -> {
          assertThat(failures, contains(startsWith("2024-07-16 MALFORMED_JSON 2 page 2: not valid JSON")));
          return null;
        });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aServerThatNeverStopsPagingCannotHoldTheFetch() throws Exception {
    URI endpoint = hostile(null, true);
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        run(List.of(DAY), AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withEndpoint(endpoint).withFetch(HttpFetch.get().withMaxPages(25)));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind() + " " + f.attempts() + " " + f.message())))
        .containsInAnyOrder("2024-07-16 TOO_LARGE 25 stopped after 25 pages (withMaxPages): the server named yet another");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void theApiVersionPicksItsDataGovSgEndpointAndTheKeyStaysOutOfDisplayData() {
    AirTemperature.DailyStats v2 = AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withApiKey("secret-key-42");
    DisplayData data = DisplayData.from(v2);
    assertThat(data.toString(), containsString(AirTemperature.DATA_GOV_SG_V2.toString()));
    assertThat(data.toString(), containsString("apiKey=set"));
    assertThat(data.toString(), not(containsString("secret-key-42")));
    assertThat(v2.toString(), not(containsString("secret-key-42")));
    URI own = URI.create("http://127.0.0.1:1/own");
    assertEquals(own, AirTemperature.dailyStats().withEndpoint(own).withApi(AirTemperature.Api.V2).endpoint());
    assertEquals(AirTemperature.DATA_GOV_SG, v2.withApi(AirTemperature.Api.V1).endpoint());
    assertThrows(IllegalArgumentException.class, () -> AirTemperature.dailyStats().withApiKey("has space"));
    assertThat(DisplayData.from(AirTemperature.parse().withValidRange(ValidRange.parse("-10..50"))).toString(), containsString("-10"));
  }

  /** A v2 page listing stations {@code from}..{@code to}-1, with one reading each at midnight of DAY. */
  private static byte[] pageOfStations(int from, int to) {
    StringBuilder stations = new StringBuilder();
    StringBuilder readings = new StringBuilder();
    for (int i = from; i < to; i++) {
      String comma = i == from ? "" : ",";
      stations.append(comma).append("{\"id\":\"S").append(i).append("\",\"name\":\"Station ").append(i).append("\"}");
      readings.append(comma).append("{\"stationId\":\"S").append(i).append("\",\"value\":26.5}");
    }
    return ("{\"code\":0,\"data\":{\"stations\":[" + stations + "],\"readings\":[{\"timestamp\":\"" + DAY
        + "T00:00:00+08:00\",\"data\":[" + readings + "]}]}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void stationsAddUpAcrossADaysPagesToTheLimitOfADay() throws Exception {
    DayReadings day = new DayReadings(DAY, ValidRange.AIR_TEMPERATURE);
    java.util.Map<String, String> names = new java.util.HashMap<>();
    int half = DayReadings.MAX_STATIONS / 2 + 1;
    readPage(pageOfStations(0, half), day, names);
    AirTemperatureParser.ParseFailure f = assertThrows(AirTemperatureParser.ParseFailure.class,
        () -> readPage(pageOfStations(half, 2 * half), day, names));
    assertEquals(FailureKind.TOO_LARGE, f.kind());
    assertThat(f.getMessage(), containsString("at most " + DayReadings.MAX_STATIONS + " stations"));
  }

  /** One v2 page read into the day so far, as a body arriving in one chunk; its token. */
  static String readPage(byte[] page, DayReadings day, java.util.Map<String, String> names) throws AirTemperatureParser.ParseFailure {
    DocumentStream stream = new DocumentStream(DocumentLayout.V2, day, names);
    stream.feed(page, 0, page.length);
    return stream.finishPage();
  }

  /**
   * Pages cut off midway and fetched again: each attempt reads into its own copy of the day so far, so the
   * retried page's readings count once. (Read into the day itself, the first half of a cut page came back as
   * duplicates.) The stand-in cuts about a third of the answers, deterministically by date and request.
   */
  @Test
  public void aPageCutOffMidwayAndRetriedCountsItsReadingsOnce() throws Exception {
    server = AirTemperatureServer.builder().v2ItemsPerPage(100).faultRate(0.3, List.of(Fault.parse("truncate")))
        .maxRequests(2_000).lifetime(Duration.ofMinutes(3)).start();
    List<LocalDate> dates = days(3);
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        run(dates, AirTemperature.dailyStats().withApi(AirTemperature.Api.V2).withEndpoint(server.v2Endpoint())
            .withFetch(HttpFetch.get().withMaxInFlight(4).withMaxAttempts(30).withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))));
    PAssert.that(r.output()).containsInAnyOrder(v1Rows(dates));
    PAssert.that(r.failures()).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    int pages = 3 * AirTemperatureV2Documents.pageCount(DAY, 100);
    assertThat("some pages after a day's first were cut and fetched again", counter(result, HttpFetch.class, "retries"), greaterThan(5L));
    assertEquals(pages + counter(result, HttpFetch.class, "retries"), server.requestCount());
    assertEquals(0, counter(result, AirTemperature.class, "readings_rejected"));
  }

  @Test
  public void theNextPageKeepsTheQueryAndReplacesTheToken() {
    assertEquals(URI.create("http://h/p?date=2024-07-16&paginationToken=a%2Bb%3D"),
        V2DocumentParser.nextPage(URI.create("http://h/p?date=2024-07-16&paginationToken=old"), "a+b="));
  }
}
