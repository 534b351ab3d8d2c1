package dev.speedup.transforms.airtemp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

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

/** {@link AirTemperatureParser} on whole, valid documents: statistics, rejections, stamps and stations. */
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
    AirTemperatureParser.ParseFailure f = BrokenDocumentsTest.failure("{\"items\":[{" + stamp + ",\"readings\":[{\"station_id\":\"S1\",\"value\":\"hot\"}]}]}");
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


  @Test
  public void fastDecimalReadingEqualsDoubleParseDouble() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      String text;
      switch (i % 4) {
        case 0 -> text = (random.nextInt(-500, 500) / 10.0) + "";
        case 1 -> text = String.format(java.util.Locale.ROOT, "%." + random.nextInt(1, 8) + "f", random.nextDouble(-1e6, 1e6));
        case 2 -> text = Long.toString(random.nextLong(-999_999_999_999L, 999_999_999_999L));
        default -> text = random.nextInt(0, 100) + "." + random.nextInt(0, 10);
      }
      JsonTokens tokens = tokensOf("[" + text + "]");
      tokens.next();
      tokens.next();
      assertEquals(text, Double.parseDouble(text), tokens.doubleValue(), 0);
    }
    for (String text : new String[] {"1e3", "-0.0", "12345678901234567890", "0.1234567890123456789"}) {
      JsonTokens tokens = tokensOf("[" + text + "]");
      tokens.next();
      tokens.next();
      assertEquals(text, Double.parseDouble(text), tokens.doubleValue(), 0);
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
    JsonTokens tokens = tokensOf(json.toString());
    tokens.next();
    while (tokens.next() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
      seen.add(ids.of(tokens.textCharacters(), tokens.textLength()));
    }
    assertEquals(expected, seen);
    assertThat("a known id comes back as the same string", ids.of("S3".toCharArray(), 2), sameInstance(seen.get(3)));
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

  private static JsonTokens tokensOf(String json) {
    JsonTokens tokens = new JsonTokens();
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    tokens.feed(bytes, 0, bytes.length);
    tokens.end();
    return tokens;
  }
}
