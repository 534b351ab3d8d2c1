package dev.speedup.transforms.airtemp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.transforms.FailureKind;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Documents {@link AirTemperatureParser} refuses: broken, compressed, crowded, oversized or empty, each with its kind. */
public class BrokenDocumentsTest {
  static final LocalDate DAY = LocalDate.of(2020, 6, 1);

  /** The failure parsing {@code doc} as the document for {@link #DAY} must give. */
  static AirTemperatureParser.ParseFailure failure(String doc) {
    return assertThrows(
        AirTemperatureParser.ParseFailure.class,
        () -> AirTemperatureParser.parse(doc.getBytes(StandardCharsets.UTF_8), DAY));
  }

  @Test
  public void malformedDocumentsFailAsMalformedJson() {
    for (String bad : new String[] {
      "", "<html>oops</html>", "[1,2]", "{\"items\":[{\"readings\":[{\"station_id\":\"S1\",\"value\":1}", // truncated
      "{\"items\":{}}",
      "{\"items\":[]} trailing", "{\"items\":[1]}"}) {
      AirTemperatureParser.ParseFailure f = failure(bad);
      assertEquals("for " + bad, FailureKind.MALFORMED_JSON, f.kind());
      assertThat(f.getMessage(), not(emptyOrNullString()));
    }
  }

  /** A gzip body the request did not ask for says so, whole or fed a byte first; other broken bodies do not. */
  @Test
  public void aGzipBodySaysItIsCompressedWhereverItsFirstChunkEnds() throws Exception {
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write("{\"items\":[]}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] body = zipped.toByteArray();
    AirTemperatureParser.ParseFailure whole =
        assertThrows(AirTemperatureParser.ParseFailure.class, () -> AirTemperatureParser.parse(body, DAY));
    DocumentStream stream = new DocumentStream(DAY, ValidRange.AIR_TEMPERATURE);
    AirTemperatureParser.ParseFailure split = assertThrows(AirTemperatureParser.ParseFailure.class, () -> {
      stream.feed(body, 0, 1);
      stream.feed(body, 1, body.length - 1);
      stream.finish();
    });
    AirTemperatureParser.ParseFailure page = assertThrows(AirTemperatureParser.ParseFailure.class,
        () -> AirTemperatureV2Test.readPage(body, new DayReadings(DAY, ValidRange.AIR_TEMPERATURE), new java.util.HashMap<>()));
    for (AirTemperatureParser.ParseFailure f : List.of(whole, split, page)) {
      assertEquals(FailureKind.MALFORMED_JSON, f.kind());
      assertThat(f.getMessage(), containsString("gzip-compressed"));
    }
    assertThat(failure("\u001f{}").getMessage(), not(containsString("gzip")));
  }

  /**
   * A document for DAY: a station list of {@code listed}, then {@code items} minutes of {@code perItem} readings
   * each, from stations new in every item or, if not, the same {@code perItem} (at most 10: then repeated).
   */
  private static String crowded(int listed, int items, int perItem, boolean newStationsEachItem) {
    StringBuilder d = new StringBuilder("{\"metadata\":{\"stations\":[");
    for (int i = 0; i < listed; i++) {
      d.append(i == 0 ? "" : ",").append("{\"id\":\"L").append(i).append("\",\"name\":\"Listed ").append(i).append("\"}");
    }
    d.append("]},\"items\":[");
    for (int m = 0; m < items; m++) {
      d.append(m == 0 ? "" : ",").append(String.format("{\"timestamp\":\"2020-06-01T%02d:%02d:00+08:00\",\"readings\":[", m / 60, m % 60));
      for (int r = 0; r < perItem; r++) {
        int station = newStationsEachItem ? m * perItem + r : perItem <= DayReadings.MAX_STATIONS ? r : r % 10;
        d.append(r == 0 ? "" : ",").append("{\"station_id\":\"S").append(station).append("\",\"value\":25.5}");
      }
      d.append("]}");
    }
    return d.append("]}").toString();
  }

  @Test
  public void aDayWithMoreStationsThanAnyApiHasFailsAsTooLargeWhereverTheyAre() throws Exception {
    int max = DayReadings.MAX_STATIONS;
    // At the limit, everywhere: kept.
    assertEquals(max, AirTemperatureParser.parse(crowded(max, 2, max, false).getBytes(StandardCharsets.UTF_8), DAY).rows().size());
    assertEquals(10, AirTemperatureParser.parse(crowded(0, 1, DayReadings.MAX_ITEM_READINGS, false).getBytes(StandardCharsets.UTF_8), DAY)
        .rows().size());
    Map<String, String> expected = Map.of(
        "listed", crowded(max + 1, 1, 1, false),
        "in one item, ten stations over and over", crowded(0, 1, DayReadings.MAX_ITEM_READINGS + 1, false),
        "across items", crowded(0, 3, max / 2 + 1, true));
    for (Map.Entry<String, String> e : expected.entrySet()) {
      AirTemperatureParser.ParseFailure f = failure(e.getValue());
      assertEquals(e.getKey(), FailureKind.TOO_LARGE, f.kind());
      assertThat(e.getKey(), f.getMessage(), containsString("at most " + max + " stations"));
    }
  }

  private static final int CHUNK = 16 * 1024;

  /** Feeds {@code document} as an HTTP body arrives, a chunk at a time; the failure and the bytes fed until it, or null. */
  private static Map.Entry<AirTemperatureParser.ParseFailure, Integer> feedInChunks(String document) {
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    DocumentStream stream = new DocumentStream(DAY, ValidRange.AIR_TEMPERATURE);
    int fed = 0;
    try {
      for (; fed < bytes.length; fed += CHUNK) {
        stream.feed(bytes, fed, Math.min(CHUNK, bytes.length - fed));
      }
      stream.finish();
      return null;
    } catch (AirTemperatureParser.ParseFailure f) {
      return Map.entry(f, Math.min(fed + CHUNK, bytes.length));
    }
  }

  @Test
  public void aHugeNameValueOrGapFailsAsTooLargeOnceItOutgrowsTheLimitNotAtItsEnd() {
    String full = new String(AirTemperatureDocuments.fullDay(DAY), StandardCharsets.UTF_8);
    assertEquals("a day fed in chunks is read", null, feedInChunks(full));
    // Read whole, a 20 MB string fails as when it streams in: at the limit, not at its end.
    AirTemperatureParser.ParseFailure overTheLimit =
        failure(full.replaceFirst("\"name\":\"", "\"name\":\"" + "W".repeat(20_000_001)));
    assertEquals(FailureKind.TOO_LARGE, overTheLimit.kind());
    assertThat(overTheLimit.getMessage(), allOf(containsString("more than " + JsonTokens.MAX_TOKEN_BYTES + " bytes"), not(containsString("-1"))));
    int huge = 4 << 20;
    Map<String, String> cases = Map.of(
        "a station's name", full.replaceFirst("\"name\":\"", "\"name\":\"" + "W".repeat(huge)),
        "a field's name", full.replaceFirst("\"items\":", "\"" + "k".repeat(huge) + "\":0,\"items\":"),
        "a number", full.replaceFirst("\"value\":", "\"value\":2" + "5".repeat(huge)),
        "space between tokens", full.replaceFirst("\"items\":", "\"items\":" + " ".repeat(huge)));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Map.Entry<AirTemperatureParser.ParseFailure, Integer> failed = feedInChunks(c.getValue());
      assertThat(c.getKey(), failed, notNullValue());
      assertEquals(c.getKey(), FailureKind.TOO_LARGE, failed.getKey().kind());
      assertThat(c.getKey(), failed.getKey().getMessage(), containsString("more than " + JsonTokens.MAX_TOKEN_BYTES + " bytes"));
      int hugeStarts = c.getValue().indexOf(c.getKey().startsWith("space") ? "    " : c.getKey().contains("field") ? "kkkk"
          : c.getKey().contains("number") ? "5555" : "WWWW");
      // Found out once the token outgrew the limit, not after the 4 MB were held.
      assertThat(c.getKey(), failed.getValue(), lessThanOrEqualTo(hugeStarts + JsonTokens.MAX_TOKEN_BYTES + 2 * CHUNK));
    }
  }

  @Test
  public void theApisHealthyButEmptyDocumentFailsAsEmptyDay() {
    AirTemperatureParser.ParseFailure f =
        assertThrows(AirTemperatureParser.ParseFailure.class,
            () -> AirTemperatureParser.parse(AirTemperatureDocuments.healthyButEmpty(DAY), DAY));
    assertEquals(FailureKind.EMPTY_DAY, f.kind());
    assertThat(f.getMessage(), containsString("2020-06-01"));
    assertEquals(FailureKind.EMPTY_DAY, failure("{\"items\":[]}").kind());
  }
}
