package dev.speedup.transforms.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * Answers that break HTTP/1.1, from a server written to send them: each becomes its URI's failure, named
 * for what went wrong in the client's own words, after the retries; the job goes on and every URI is
 * accounted for.
 */
public class HttpFetchBrokenAnswersTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void answersThatBreakHttpBecomeFailuresInTheClientsWords() throws Exception {
    Map<String, String> answers = Map.of(
        "/bad-status", "HTTQ/9 banana\r\n\r\n",
        "/long-status", "HTTQ/9 " + "\u0007x".repeat(5_000) + "\r\n\r\n",
        "/bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n",
        "/short-body", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"items\":[",
        "/bad-length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
        "/good", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    try (BrokenHttpServer server = new BrokenHttpServer(answers, 20, Duration.ofMinutes(1))) {
      String badStatus = server.uri("/bad-status").toString();
      String longStatus = server.uri("/long-status").toString();
      String badChunk = server.uri("/bad-chunk").toString();
      String shortBody = server.uri("/short-body").toString();
      String badLength = server.uri("/bad-length").toString();
      String good = server.uri("/good").toString();
      WithFailures.Result<PCollection<FetchedResponse>, Failure> r = pipeline
          .apply(Create.of(List.of(server.uri("/bad-status"), server.uri("/long-status"), server.uri("/bad-chunk"), server.uri("/short-body"), server.uri("/bad-length"), server.uri("/good")))
              .withCoder(UriCoder.of()))
          .apply(HttpFetch.get().withMaxAttempts(2).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
              .withTimeout(Duration.ofSeconds(10)).withMaxInFlight(4));

      String invalid = "the answer is not valid HTTP/1.1: ";
      String failed = "connection failed before the whole answer arrived: ";
      PAssert.that(r.failures().apply("Messages", MapElements.into(TypeDescriptors.strings())
              .via(f -> StandInFetchTest.withoutClientsWords(f, f.message().startsWith(invalid) ? invalid : failed))))
          .containsInAnyOrder(
              Failure.of(badStatus, "fetch", FailureKind.CONNECTION, null, 2, invalid + "...").toString(),
              Failure.of(longStatus, "fetch", FailureKind.CONNECTION, null, 2, invalid + "...").toString(),
              Failure.of(badChunk, "fetch", FailureKind.CONNECTION, null, 2, failed + "...").toString(),
              Failure.of(shortBody, "fetch", FailureKind.CONNECTION, null, 2, failed + "...").toString(),
              Failure.of(badLength, "fetch", FailureKind.CONNECTION, null, 2, invalid + "...").toString());
      // A Content-Length that is no number says so, in the client's words too.
      PAssert.that(r.failures()).satisfies(failures -> {
        failures.forEach(f -> assertTrue(f.message(), !f.input().equals(badLength)
            || f.message().contains("a number in its headers cannot be read") && f.message().contains("99999999999999999999")));
        return null;
      });
      // What a server sends is quoted on one line, and briefly.
      PAssert.that(r.failures()).satisfies(failures -> {
        failures.forEach(f -> assertTrue(f.message(), f.message().length() <= 260 && f.message().chars().noneMatch(Character::isISOControl)));
        return null;
      });
      PAssert.that(r.output().apply("Bodies", MapElements.into(TypeDescriptors.strings())
              .via(x -> x.uri() + " " + x.status() + " " + new String(x.body(), StandardCharsets.UTF_8))))
          .containsInAnyOrder(good + " 200 {}");
      PCollection<String> names = PCollectionList
          .of(r.output().apply("OkNames", MapElements.into(TypeDescriptors.strings()).via(x -> x.uri().toString())))
          .and(r.failures().apply("FailedNames", MapElements.into(TypeDescriptors.strings()).via(Failure::input)))
          .apply(Flatten.pCollections());
      PAssert.thatSingleton(names.apply(Count.globally())).isEqualTo(6L);
      pipeline.run().waitUntilFinish();

      for (String path : List.of("/bad-status", "/long-status", "/bad-chunk", "/short-body", "/bad-length")) {
        assertEquals(path + " is retried once", 2, server.requests(path));
      }
      assertEquals(1, server.requests("/good"));
    }
  }
}
