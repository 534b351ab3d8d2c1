package dev.speedup.transforms.airtemp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.Fault;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.http.HttpFetch;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

public class AirTemperatureTest {
  private static final LocalDate DAY = LocalDate.of(2020, 6, 1);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  private transient AirTemperatureServer server;

  @After
  public void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  public void dailyStatsAggregatesEachDayAndNamesFailuresByDate() throws Exception {
    server =
        AirTemperatureServer.builder()
            .maxRequests(500)
            .lifetime(Duration.ofMinutes(3))
            .fault(DAY.plusDays(1), Fault.of(Fault.Kind.EMPTY))
            .fault(DAY.plusDays(2), Fault.of(Fault.Kind.MALFORMED))
            .fault(DAY.plusDays(3), Fault.status(404))
            .fault(DAY.plusDays(4), Fault.parse("500*1"))
            .start();
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      dates.add(DAY.plusDays(i));
    }
    WithFailures.Result<PCollection<StationDay>, Failure> r =
        pipeline
            .apply(Create.of(dates).withCoder(LocalDateCoder.of()))
            .apply(
                AirTemperature.dailyStats()
                    .withEndpoint(server.endpoint())
                    .withFetch(HttpFetch.get().withMaxInFlight(4).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))));

    List<StationDay> expected = new ArrayList<>();
    for (int i : new int[] {0, 4, 5}) {
      LocalDate d = DAY.plusDays(i);
      expected.addAll(AirTemperatureParser.parse(AirTemperatureDocuments.fullDay(d), d).rows());
    }
    PAssert.that(r.output()).containsInAnyOrder(expected);
    PAssert.that(r.failures().apply("Describe", MapElements.into(TypeDescriptors.strings())
            .via(f -> f.input() + " " + f.stage() + " " + f.kind() + " " + f.status() + " " + f.attempts())))
        .containsInAnyOrder(
            "2020-06-02 parse EMPTY_DAY 200 1",
            "2020-06-03 parse MALFORMED_JSON 200 1",
            "2020-06-04 fetch HTTP_STATUS 404 1");
    PCollection<String> succeededDates =
        r.output().apply("Dates", MapElements.into(TypeDescriptors.strings()).via(s -> s.date().toString())).apply(Distinct.create());
    PCollection<String> failedDates = r.failures().apply("FailedDates", MapElements.into(TypeDescriptors.strings()).via(Failure::input));
    PAssert.thatSingleton(PCollectionList.of(succeededDates).and(failedDates).apply(Flatten.pCollections()).apply(Count.globally()))
        .isEqualTo(6L);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void parseNeedsTheDateInTheUri() throws Exception {
    PCollection<dev.speedup.transforms.http.FetchedResponse> responses =
        pipeline.apply(
            Create.of(dev.speedup.transforms.http.FetchedResponse.of(URI.create("http://h/x"), 200, new byte[] {'{', '}'}, 1))
                .withCoder(dev.speedup.transforms.http.FetchedResponse.FetchedResponseCoder.of()));
    WithFailures.Result<PCollection<StationDay>, Failure> r = responses.apply(AirTemperature.parse());
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind())))
        .containsInAnyOrder("http://h/x INVALID_URI");
    PAssert.that(r.output()).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void urisCarryTheDate() {
    URI endpoint = URI.create("http://127.0.0.1:1/v1/environment/air-temperature");
    URI uri = AirTemperature.uriFor(endpoint, DAY);
    assertEquals("http://127.0.0.1:1/v1/environment/air-temperature?date=2020-06-01", uri.toString());
    assertEquals(Optional.of(DAY), AirTemperature.dateOf(uri));
    assertEquals("http://h/p?key=k&date=2020-06-01", AirTemperature.uriFor(URI.create("http://h/p?key=k"), DAY).toString());
    assertEquals("http://h:8/p?a=%20b&date=2020-06-01",
        AirTemperature.uriFor(URI.create("http://h:8/p?date=2019-01-01&a=%20b&#top"), DAY).toString());
    assertEquals(Optional.of(DAY), AirTemperature.dateOf(AirTemperature.uriFor(URI.create("http://h/p#readings"), DAY)));
    assertEquals(Optional.empty(), AirTemperature.dateOf(URI.create("http://h/p?date=June")));
    assertEquals(Optional.empty(), AirTemperature.dateOf(URI.create("http://h/p")));
    assertThrows(IllegalArgumentException.class, () -> AirTemperature.dailyStats().withEndpoint(URI.create("ftp://h/p")));
  }

  @Test
  public void coderRoundTrips() throws Exception {
    StationDay row = StationDay.of(DAY, "S1", "Name, with comma", 12, -1.5, 2.25, 30.0);
    assertEquals(row, org.apache.beam.sdk.util.CoderUtils.clone(StationDay.StationDayCoder.of(), row));
    Failure f = Failure.of("in", "fetch", FailureKind.TIMEOUT, null, 3, "m");
    assertEquals(f, org.apache.beam.sdk.util.CoderUtils.clone(Failure.FailureCoder.of(), f));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
