package dev.speedup.transforms.http;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.airtemp.AirTemperature;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.After;
import org.junit.Rule;

/** What the {@link HttpFetch} tests against the API's stand-in share: the server, its URIs, quick retries. */
public abstract class StandInFetchTest {
  static final LocalDate DAY = LocalDate.of(2020, 6, 1);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  transient AirTemperatureServer server;

  @After
  public void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  void startServer(AirTemperatureServer.Builder builder) throws Exception {
    server = builder.maxRequests(2_000).lifetime(Duration.ofMinutes(3)).start();
  }

  URI uri(int day) {
    return AirTemperature.uriFor(server.endpoint(), DAY.plusDays(day));
  }

  PCollection<URI> uris(int... days) {
    List<URI> list = new ArrayList<>();
    for (int d : days) {
      list.add(uri(d));
    }
    return pipeline.apply(Create.of(list).withCoder(UriCoder.of()));
  }

  static int[] range(int n) {
    int[] days = new int[n];
    Arrays.setAll(days, i -> i);
    return days;
  }

  /** Fast retries so the tests spend their time on behaviour, not on waiting. */
  static HttpFetch.Get quick() {
    return HttpFetch.get().withBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).withTimeout(Duration.ofSeconds(10));
  }

  static PCollection<Long> inputsAccountedFor(WithFailures.Result<PCollection<FetchedResponse>, Failure> r) {
    PCollection<String> ok = r.output().apply("OkNames", MapElements.into(TypeDescriptors.strings()).via(x -> x.uri().toString()));
    PCollection<String> failed = r.failures().apply("FailedNames", MapElements.into(TypeDescriptors.strings()).via(Failure::input));
    return PCollectionList.of(ok).and(failed).apply(Flatten.pCollections()).apply(Count.globally());
  }

  /**
   * The failure as text, with the client's words after {@code prefix} (and before "(after N attempts)")
   * shown as "...", when there are some.
   */
  static String withoutClientsWords(Failure f, String prefix) {
    String m = f.message();
    int after = m.lastIndexOf(" (after ");
    boolean words = m.startsWith(prefix) && after > prefix.length() && !m.substring(prefix.length(), after).isBlank();
    return (words ? Failure.of(f.input(), f.stage(), f.kind(), f.status(), f.attempts(), prefix + "...") : f).toString();
  }

  /**
   * The URIs fanned out from one element in one call, so they reach the next step as one bundle. (From
   * {@code Create.of(list)} the DirectRunner hands them over in bundles of a handful, even after a
   * one-key Reshuffle, whose trigger fires once per incoming bundle.)
   */
  PCollection<URI> urisInOneBundle(int count) {
    List<String> list = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      list.add(uri(d).toString());
    }
    return pipeline
        .apply(Create.of(List.of(list)).withCoder(ListCoder.of(StringUtf8Coder.of())))
        .apply(FlatMapElements.into(TypeDescriptor.of(URI.class)).via(StandInFetchTest::toUris))
        .setCoder(UriCoder.of());
  }

  private static List<URI> toUris(List<String> texts) {
    List<URI> out = new ArrayList<>();
    texts.forEach(t -> out.add(URI.create(t)));
    return out;
  }
}
