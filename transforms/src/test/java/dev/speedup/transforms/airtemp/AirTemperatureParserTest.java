package dev.speedup.transforms.airtemp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.transforms.FailureKind;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.Test;

public class AirTemperatureParserTest {
  private static final LocalDate DAY = LocalDate.of(2020, 6, 1);

  /** The same statistics computed the obvious way, from a full tree of the document. */
  private static Map<String, double[]> reference(byte[] document) throws Exception {
    JsonNode doc = new ObjectMapper().readTree(document);
    Map<String, double[]> acc = new TreeMap<>();
    for (JsonNode item : doc.path("items")) {
      for (JsonNode r : item.path("readings")) {
        double v = Double.parseDouble(r.path("value").asText());
        double[] a = acc.computeIfAbsent(r.path("station_id").asText(), s -> new double[] {1e9, -1e9, 0, 0});
        a[0] = Math.min(a[0], v);
        a[1] = Math.max(a[1], v);
        a[2] += v;
        a[3]++;
      }
    }
    return acc;
  }

  @Test
  public void matchesATreeBasedReferenceOnFullDays() throws Exception {
    for (int d = 0; d < 5; d++) {
      LocalDate date = DAY.plusDays(d * 37);
      byte[] document = AirTemperatureDocuments.fullDay(date);
      List<StationDay> rows = AirTemperatureParser.parse(document, date).rows();
      Map<String, double[]> expected = reference(document);
      assertEquals(expected.keySet(), rows.stream().map(StationDay::stationId).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
      for (StationDay row : rows) {
        double[] e = expected.get(row.stationId());
        assertEquals(date, row.date());
        assertEquals(e[0], row.minC(), 0);
        assertEquals(e[1], row.maxC(), 0);
        assertEquals((int) e[3], row.readings());
        assertEquals(e[2] / e[3], row.meanC(), 1e-9);
        assertThat(row.stationName(), not(emptyString()));
      }
      assertThat(rows.size(), allOf(greaterThanOrEqualTo(13), lessThanOrEqualTo(16)));
    }
  }

  @Test
  public void rowsAreOrderedByStationId() throws Exception {
    List<StationDay> rows = AirTemperatureParser.parse(AirTemperatureDocuments.fullDay(DAY), DAY).rows();
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i - 1).stationId(), lessThan(rows.get(i).stationId()));
    }
  }

  @Test
  public void skipsNullReadingsAndUnknownFieldsAndNamesUnlistedStationsEmpty() throws Exception {
    String doc =
        "{\"extra\":[1,{\"a\":2}],\"metadata\":{\"stations\":[{\"id\":\"S1\",\"name\":\"One\",\"location\":{}}]},"
            + "\"items\":[{\"timestamp\":\"2020-06-01T00:00:00+08:00\",\"readings\":[{\"station_id\":\"S1\",\"value\":20.5},"
            + "{\"station_id\":\"S1\",\"value\":null},{\"value\":3},{\"station_id\":\"S9\",\"value\":-1.25e1}]},"
            + "{\"readings\":[{\"station_id\":\"S1\",\"value\":22}],\"timestamp\":\"2020-06-01T00:01:00+08:00\"}],"
            + "\"api_info\":{\"status\":\"healthy\"}}";
    AirTemperatureParser.Parsed parsed = AirTemperatureParser.parse(doc.getBytes(StandardCharsets.UTF_8), DAY);
    List<StationDay> rows = parsed.rows();
    assertEquals(2, rows.size());
    assertEquals(StationDay.of(DAY, "S1", "One", 2, 20.5, 21.25, 22.0), rows.get(0));
    assertEquals(StationDay.of(DAY, "S9", "", 1, -12.5, -12.5, -12.5), rows.get(1));
    assertEquals("nulls are the API's gaps, not rejections", 0, parsed.rejectedTotal());
  }

  @Test
  public void readingsThatCannotBeTrueAreRejectedAndCountedAndTheDayKept() throws Exception {
    for (int d = 0; d < 3; d++) {
      LocalDate date = DAY.plusDays(d * 53);
      JsonNode clean = new ObjectMapper().readTree(AirTemperatureDocuments.fullDay(date));
      int stations = clean.path("metadata").path("stations").size();
      int atMidnight = clean.path("items").get(0).path("readings").size();
      AirTemperatureParser.Parsed hostile = AirTemperatureParser.parse(AirTemperatureDocuments.withImpossibleReadings(date), date);
      assertEquals("the same statistics as the clean day", AirTemperatureParser.parse(AirTemperatureDocuments.fullDay(date), date).rows(),
          hostile.rows());
      assertEquals(stations, hostile.rejected(ReadingRejection.OTHER_DAY));
      assertEquals(stations, hostile.rejected(ReadingRejection.NO_TIMESTAMP));
      assertEquals(atMidnight, hostile.rejected(ReadingRejection.DUPLICATE));
      assertEquals(AirTemperatureDocuments.IMPOSSIBLE_OUT_OF_RANGE, hostile.rejected(ReadingRejection.OUT_OF_RANGE));
      assertEquals(AirTemperatureDocuments.IMPOSSIBLE_MALFORMED, hostile.rejected(ReadingRejection.MALFORMED_VALUE));
      for (StationDay row : hostile.rows()) {
        assertThat(row.readings(), lessThanOrEqualTo(1440));
        assertThat(row.maxC(), lessThan(40.0));
        assertThat(row.minC(), greaterThan(15.0));
      }
    }
  }

  /** A day of station S1 with one reading per stamp, valued 20, 21, ... in order. */
  private static byte[] stamped(String... stamps) {
    StringBuilder d = new StringBuilder("{\"items\":[");
    for (int i = 0; i < stamps.length; i++) {
      d.append(i == 0 ? "" : ",").append("{\"timestamp\":\"").append(stamps[i])
          .append("\",\"readings\":[{\"station_id\":\"S1\",\"value\":").append(20 + i).append("}]}");
    }
    return d.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void aStampInAnotherOffsetCountsForTheSingaporeDayItFallsIn() throws Exception {
    AirTemperatureParser.Parsed singapore = AirTemperatureParser.parse(stamped("2020-06-01T00:00:00+08:00",
        "2020-06-01T07:59:00+08:00", "2020-06-01T08:00:00+08:00", "2020-06-01T23:59:00+08:00"), DAY);
    // The same instants in other offsets, with and without seconds.
    AirTemperatureParser.Parsed elsewhere = AirTemperatureParser.parse(stamped("2020-05-31T16:00:00Z",
        "2020-05-31T23:59:30.5Z", "2020-06-01T00:00+0000", "2020-06-01T10:59:00-05"), DAY);
    assertEquals(StationDay.of(DAY, "S1", "", 4, 20, 21.5, 23), singapore.rows().get(0));
    assertEquals(singapore.rows(), elsewhere.rows());
    assertEquals(0, elsewhere.rejectedTotal());

    AirTemperatureParser.Parsed mixed = AirTemperatureParser.parse(stamped(
        "2020-06-01T00:05:00+08:00",
        "2020-05-31T16:05:00Z", // the same minute again
        "2020-06-01T16:00:00Z", // 2020-06-02 00:00 in Singapore
        "2020-05-31T15:59:59Z", // 2020-05-31 23:59 in Singapore
        "2020-06-01T12:00:00", // no offset: Singapore's
        "2020-06-01T00:06:00+8", "2020-06-01T00:06:00 UTC", "2020-06-01T00:06:00+08:00Z", "2020-02-30T00:06:00Z",
        "2020-06-01T00:06:61+08:00", "2020-06-01T00:06:00.+08:00"), DAY);
    assertEquals(StationDay.of(DAY, "S1", "", 2, 20, 22, 24), mixed.rows().get(0));
    assertEquals(1, mixed.rejected(ReadingRejection.DUPLICATE));
    assertEquals(2, mixed.rejected(ReadingRejection.OTHER_DAY));
    assertEquals(6, mixed.rejected(ReadingRejection.NO_TIMESTAMP));
  }

  @Test
  public void aNarrowerRangeRejectsWhatItExcludes() throws Exception {
    byte[] document = AirTemperatureDocuments.fullDay(DAY);
    long outside = 0;
    for (JsonNode item : new ObjectMapper().readTree(document).path("items")) {
      for (JsonNode r : item.path("readings")) {
        double v = r.path("value").asDouble();
        outside += v < 27 || v > 29 ? 1 : 0;
      }
    }
    assertThat("the day spans the range", outside, greaterThan(100L));
    AirTemperatureParser.Parsed parsed = AirTemperatureParser.parse(document, DAY, ValidRange.parse("27..29"));
    assertEquals(outside, parsed.rejected(ReadingRejection.OUT_OF_RANGE));
    for (StationDay row : parsed.rows()) {
      assertThat(row.minC(), greaterThanOrEqualTo(27.0));
      assertThat(row.maxC(), lessThanOrEqualTo(29.0));
    }
  }

  @Test
  public void oneBadValueIsOneRejectedReadingAndOnlyBadValuesMakeAnEmptyDay() throws Exception {
    String stamp = "\"timestamp\":\"2020-06-01T08:00:00+08:00\"";
    String doc = "{\"items\":[{" + stamp + ",\"readings\":[{\"station_id\":\"S1\",\"value\":\"abc\"},"
        + "{\"station_id\":\"S2\",\"value\":26.5},{\"station_id\":\"S3\",\"value\":[1]}]}]}";
    AirTemperatureParser.Parsed parsed = AirTemperatureParser.parse(doc.getBytes(StandardCharsets.UTF_8), DAY);
    assertEquals(List.of(StationDay.of(DAY, "S2", "", 1, 26.5, 26.5, 26.5)), parsed.rows());
    assertEquals(2, parsed.rejected(ReadingRejection.MALFORMED_VALUE));
    AirTemperatureParser.ParseFailure f = failure("{\"items\":[{" + stamp + ",\"readings\":[{\"station_id\":\"S1\",\"value\":\"hot\"}]}]}");
    assertEquals(FailureKind.EMPTY_DAY, f.kind());
    assertThat(f.getMessage(), containsString("MALFORMED_VALUE=1"));
  }

  @Test
  public void validRangesAreCheckedWhenMade() {
    assertEquals(new ValidRange(-40, 60), ValidRange.parse(" -40 .. 60 "));
    for (String bad : new String[] {"60..-40", "1..1", "NaN..3", "a..b", "40", "-Infinity..0"}) {
      IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> ValidRange.parse(bad));
      assertThat(e.getMessage(), containsString("MIN"));
    }
  }

  private static AirTemperatureParser.ParseFailure failure(String doc) {
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
    // Read whole, a string past Jackson's own limit fails as when it streams in: the parser is fed in blocks either way.
    AirTemperatureParser.ParseFailure overJacksonsLimit =
        failure(full.replaceFirst("\"name\":\"", "\"name\":\"" + "W".repeat(20_000_001)));
    assertEquals(FailureKind.TOO_LARGE, overJacksonsLimit.kind());
    assertThat(overJacksonsLimit.getMessage(), allOf(containsString("more than " + DocumentStream.MAX_TOKEN_BYTES + " bytes"), not(containsString("-1"))));
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
      assertThat(c.getKey(), failed.getKey().getMessage(), containsString("more than " + DocumentStream.MAX_TOKEN_BYTES + " bytes"));
      int hugeStarts = c.getValue().indexOf(c.getKey().startsWith("space") ? "    " : c.getKey().contains("field") ? "kkkk"
          : c.getKey().contains("number") ? "5555" : "WWWW");
      // Found out once the token outgrew the limit, not after the 4 MB were held.
      assertThat(c.getKey(), failed.getValue(), lessThanOrEqualTo(hugeStarts + DocumentStream.MAX_TOKEN_BYTES + 2 * CHUNK));
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

  @Test
  public void fastDecimalReadingEqualsDoubleParseDouble() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    JsonFactory factory = new JsonFactory();
    for (int i = 0; i < 200_000; i++) {
      String text;
      switch (i % 4) {
        case 0 -> text = (random.nextInt(-500, 500) / 10.0) + "";
        case 1 -> text = String.format(java.util.Locale.ROOT, "%." + random.nextInt(1, 8) + "f", random.nextDouble(-1e6, 1e6));
        case 2 -> text = Long.toString(random.nextLong(-999_999_999_999L, 999_999_999_999L));
        default -> text = random.nextInt(0, 100) + "." + random.nextInt(0, 10);
      }
      try (JsonParser p = factory.createParser("[" + text + "]")) {
        p.nextToken();
        p.nextToken();
        assertEquals(text, Double.parseDouble(text), AirTemperatureParser.decimal(p), 0);
      }
    }
    for (String text : new String[] {"1e3", "-0.0", "12345678901234567890", "0.1234567890123456789"}) {
      try (JsonParser p = factory.createParser("[" + text + "]")) {
        p.nextToken();
        p.nextToken();
        assertEquals(text, Double.parseDouble(text), AirTemperatureParser.decimal(p), 0);
      }
    }
  }

  @Test
  public void stationIdsAreMatchedWhateverTheirOrderAndBeyondTheCachedCount() throws Exception {
    // Ids in a rotating order, then 300 distinct ones (past what is cached), then the first ones again.
    StringBuilder json = new StringBuilder("[");
    List<String> expected = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 5; k++) {
        expected.add("S" + ((k + round) % 5));
      }
    }
    for (int k = 0; k < 300; k++) {
      expected.add("X" + k);
    }
    expected.addAll(List.of("S3", "X299", "S1", "X0", "S10"));
    for (String id : expected) {
      json.append(json.length() > 1 ? "," : "").append('"').append(id).append('"');
    }
    json.append("]");
    AirTemperatureParser.StationIds ids = new AirTemperatureParser.StationIds();
    List<String> seen = new java.util.ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json.toString())) {
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
        seen.add(ids.of(p));
      }
    }
    assertEquals(expected, seen);
    assertThat("a known id comes back as the same string", ids.of(parserAt("\"S3\"")), sameInstance(seen.get(3)));
  }

  @Test
  public void readingsCountForTheirOwnStationWhenTheOrderOfStationsChangesFromMinuteToMinute() throws Exception {
    // Minute by minute the stations rotate, some drop out, and past 256 distinct ids each id is a new
    // String every time: the per-position lookup must never credit a reading to the station that held its
    // place the minute before.
    java.util.Random random = new java.util.Random(17);
    StringBuilder json = new StringBuilder("{\"items\":[");
    for (int minute = 0; minute < 60; minute++) {
      json.append(minute > 0 ? "," : "").append("{\"timestamp\":\"2020-06-01T00:").append(String.format("%02d", minute))
          .append(":00+08:00\",\"readings\":[");
      int stations = minute < 20 ? 5 : 300;
      int shift = random.nextInt(stations);
      boolean first = true;
      for (int k = 0; k < stations; k++) {
        if (random.nextInt(7) == 0) {
          continue; // this station is missing this minute
        }
        json.append(first ? "" : ",").append("{\"station_id\":\"S").append((k + shift) % stations).append("\",\"value\":")
            .append(20 + random.nextInt(100) / 10.0).append('}');
        first = false;
      }
      json.append("]}");
    }
    json.append("]}");
    byte[] document = json.toString().getBytes(StandardCharsets.UTF_8);
    AirTemperatureParser.Parsed parsed = AirTemperatureParser.parse(document, DAY);
    Map<String, double[]> expected = reference(document);
    assertEquals(expected.size(), parsed.rows().size());
    for (StationDay row : parsed.rows()) {
      double[] e = expected.get(row.stationId());
      assertEquals(row.stationId(), (int) e[3], row.readings());
      assertEquals(row.stationId(), e[0], row.minC(), 0);
      assertEquals(row.stationId(), e[1], row.maxC(), 0);
      assertEquals(row.stationId(), e[2] / e[3], row.meanC(), 1e-9);
    }
    assertEquals(0, parsed.rejectedTotal());
  }

  private static JsonParser parserAt(String token) throws Exception {
    JsonParser p = new JsonFactory().createParser(token);
    p.nextToken();
    return p;
  }
}
