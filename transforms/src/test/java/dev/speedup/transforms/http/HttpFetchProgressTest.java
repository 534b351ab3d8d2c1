package dev.speedup.transforms.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.fixtures.Fault;
import dev.speedup.transforms.airtemp.AirTemperature;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Test;

/** urisFinishedInThisJvm moves per URI while the bundle holding them is still open. */
public class HttpFetchProgressTest {
  @Test
  public void finishedUrisAreCountedAsEachEndsNotWhenTheBundleCommits() throws Exception {
    LocalDate day = LocalDate.of(2020, 6, 1);
    int days = 6;
    try (AirTemperatureServer server = AirTemperatureServer.builder().fault(day.plusDays(days - 1), Fault.of(Fault.Kind.STALL))
        .stallTime(Duration.ofSeconds(60)).maxRequests(100).lifetime(Duration.ofMinutes(2)).start()) {
      List<URI> uris = new ArrayList<>();
      for (int i = 0; i < days; i++) {
        uris.add(AirTemperature.uriFor(server.endpoint(), day.plusDays(i)));
      }
      DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
      options.setBlockOnRun(false);
      Pipeline p = Pipeline.create(options);
      // One shard: every URI in one bundle, which cannot end before the stalled one times out.
      p.apply(Create.of(uris).withCoder(UriCoder.of()))
          .apply(HttpFetch.get().withMaxInFlight(days).withShards(1).withMaxAttempts(1).withTimeout(Duration.ofSeconds(6)));
      long before = HttpFetch.urisFinishedInThisJvm();
      PipelineResult result = p.run();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (HttpFetch.urisFinishedInThisJvm() - before < days - 1 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // polling a condition, not timing it
      }
      assertEquals("the answered URIs are counted", days - 1, HttpFetch.urisFinishedInThisJvm() - before);
      assertEquals("while the bundle is still open", PipelineResult.State.RUNNING, result.getState());
      result.waitUntilFinish();
      assertEquals(days, HttpFetch.urisFinishedInThisJvm() - before);
      assertTrue(server.requestCount() >= days);
    }
  }
}
