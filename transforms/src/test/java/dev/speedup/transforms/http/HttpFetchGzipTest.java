package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * Bodies sent gzip-compressed, by a server written to send them as given: decoded when asked for, checked,
 * capped once decoded; a damaged one is its URI's failure, and an error status stays an error status.
 */
public class HttpFetchGzipTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String JSON = "{\"items\":[" + "{\"value\":25.5},".repeat(2_000) + "{}]}";

  private static String iso(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String gzipAnswer(String status, byte[] body, boolean chunked) {
    String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n";
    if (!chunked) {
      return head + "Content-Length: " + body.length + "\r\n\r\n" + iso(body);
    }
    int half = body.length / 2;
    return head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(half) + "\r\n" + iso(java.util.Arrays.copyOf(body, half))
        + "\r\n" + Integer.toHexString(body.length - half) + "\r\n" + iso(java.util.Arrays.copyOfRange(body, half, body.length)) + "\r\n0\r\n\r\n";
  }

  private static byte[] zeros(int mib) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      for (int i = 0; i < mib; i++) {
        gz.write(new byte[1 << 20]);
      }
    }
    return out.toByteArray();
  }

  private static PCollection<String> bodies(WithFailures.Result<PCollection<FetchedResponse>, Failure> r) {
    return r.output().apply("Bodies", MapElements.into(TypeDescriptors.strings())
        .via(x -> x.uri().getPath() + " " + x.status() + " " + new String(x.body(), StandardCharsets.ISO_8859_1)));
  }

  @Test
  public void compressedBodiesAreAskedForDecodedCheckedAndCapped() throws Exception {
    byte[] gz = GzipBodyTest.gzip(JSON.getBytes(StandardCharsets.UTF_8));
    byte[] damaged = gz.clone();
    damaged[gz.length - 8] ^= 1; // the CRC-32
    Map<String, String> answers = Map.of(
        "/gzip", gzipAnswer("200 OK", gz, false),
        "/gzip-chunked", gzipAnswer("200 OK", gz, true),
        "/damaged", gzipAnswer("200 OK", damaged, false),
        "/bomb", gzipAnswer("200 OK", zeros(64), false),
        // An error's body is not read for anything: not decoded, so not taken for damage.
        "/unavailable", gzipAnswer("503 Service Unavailable", "not gzip at all".getBytes(StandardCharsets.US_ASCII), false));
    try (BrokenHttpServer server = new BrokenHttpServer(answers, 20, Duration.ofMinutes(1))) {
      List<URI> uris = List.of(server.uri("/gzip"), server.uri("/gzip-chunked"), server.uri("/damaged"), server.uri("/bomb"), server.uri("/unavailable"));
      WithFailures.Result<PCollection<FetchedResponse>, Failure> r = pipeline
          .apply(Create.of(uris).withCoder(UriCoder.of()))
          .apply(HttpFetch.get().withMaxAttempts(2).withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
              .withMaxBodyBytes(1 << 20).withMaxInFlight(4));
      PAssert.that(bodies(r)).containsInAnyOrder("/gzip 200 " + JSON, "/gzip-chunked 200 " + JSON);
      PAssert.that(r.failures()).containsInAnyOrder(
          Failure.of(server.uri("/damaged").toString(), "fetch", FailureKind.CONNECTION, null, 2,
              "the gzip-compressed body is damaged: its CRC-32 does not match the bytes it decodes to (after 2 attempts)"),
          Failure.of(server.uri("/bomb").toString(), "fetch", FailureKind.TOO_LARGE, null, 1,
              "body larger than the limit of 1048576 bytes once decompressed"),
          Failure.of(server.uri("/unavailable").toString(), "fetch", FailureKind.HTTP_STATUS, 503, 2, "HTTP 503 (after 2 attempts)"));
      pipeline.run().waitUntilFinish();

      assertThat(server.lastHead("/gzip"), containsString("\r\nAccept-Encoding: gzip\r\n"));
      assertEquals(2, server.requests("/damaged"));
      assertEquals(1, server.requests("/bomb"));
    }
  }

  @Test
  public void withGzipOffNothingIsAskedForAndABodySentCompressedAnywayIsLeftAsSent() throws Exception {
    byte[] gz = GzipBodyTest.gzip(JSON.getBytes(StandardCharsets.UTF_8));
    try (BrokenHttpServer server = new BrokenHttpServer(Map.of("/gzip", gzipAnswer("200 OK", gz, false)), 5, Duration.ofMinutes(1))) {
      WithFailures.Result<PCollection<FetchedResponse>, Failure> r = pipeline
          .apply(Create.of(List.of(server.uri("/gzip"))).withCoder(UriCoder.of()))
          .apply(HttpFetch.get().withGzip(false));
      PAssert.that(bodies(r)).containsInAnyOrder("/gzip 200 " + iso(gz));
      PAssert.that(r.failures()).empty();
      pipeline.run().waitUntilFinish();
      assertThat(server.lastHead("/gzip").toLowerCase(java.util.Locale.ROOT), not(containsString("accept-encoding")));
    }
  }
}
