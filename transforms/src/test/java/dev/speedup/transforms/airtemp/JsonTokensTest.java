package dev.speedup.transforms.airtemp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.fixtures.AirTemperatureV2Documents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.Test;

/**
 * {@link JsonTokens} against Jackson's parser as the reference: the same tokens, with the same names, strings and
 * numbers, for the API's documents and for random JSON of every construct, fed whole or in random pieces; and
 * the same verdict (JSON or not) for documents damaged at random.
 */
public class JsonTokensTest {
  private static final JsonFactory JACKSON = new JsonFactory();

  /** Jackson's tokens of {@code json}, one line each, or "failed" at the end if it is not JSON. */
  private static List<String> jacksonTokens(byte[] json) {
    List<String> tokens = new ArrayList<>();
    try (JsonParser p = JACKSON.createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        tokens.add(line(t, t == JsonToken.FIELD_NAME ? p.currentName() : hasText(t) ? p.getText() : null,
            t == JsonToken.VALUE_NUMBER_FLOAT ? p.getDoubleValue() : 0));
      }
    } catch (JsonProcessingException e) {
      tokens.add("failed");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return tokens;
  }

  /** Our tokens of {@code json} fed in pieces of random sizes up to {@code maxPiece}, as {@link #jacksonTokens}. */
  private static List<String> ourTokens(byte[] json, SplittableRandom random, int maxPiece) {
    List<String> tokens = new ArrayList<>();
    JsonTokens tokenizer = new JsonTokens();
    try {
      for (int off = 0; off < json.length; ) {
        int n = Math.min(json.length - off, 1 + random.nextInt(maxPiece));
        tokenizer.feed(json, off, n);
        off += n;
        drain(tokenizer, tokens);
      }
      tokenizer.end();
      drain(tokenizer, tokens);
    } catch (JsonTokens.Malformed e) {
      tokens.add("failed");
    }
    return tokens;
  }

  private static void drain(JsonTokens tokenizer, List<String> tokens) throws JsonTokens.Malformed {
    JsonToken t;
    while ((t = tokenizer.next()) != JsonToken.NOT_AVAILABLE && t != null) {
      tokens.add(line(t, t == JsonToken.FIELD_NAME ? tokenizer.name() : hasText(t) ? tokenizer.text() : null,
          t == JsonToken.VALUE_NUMBER_FLOAT ? tokenizer.doubleValue() : 0));
    }
  }

  private static boolean hasText(JsonToken t) {
    return t == JsonToken.VALUE_STRING || t.isNumeric();
  }

  private static String line(JsonToken t, String text, double number) {
    return t + (text == null ? "" : " " + text) + (t == JsonToken.VALUE_NUMBER_FLOAT ? " = " + number : "");
  }

  @Test
  public void theApisDocumentsGiveJacksonsTokensHoweverTheyAreCut() {
    SplittableRandom random = new SplittableRandom(3);
    LocalDate day = LocalDate.of(2020, 6, 1);
    List<byte[]> documents = List.of(
        AirTemperatureDocuments.fullDay(day),
        AirTemperatureDocuments.withImpossibleReadings(day),
        AirTemperatureDocuments.healthyButEmpty(day),
        AirTemperatureV2Documents.page(day, 0, 1440));
    for (byte[] document : documents) {
      List<String> expected = jacksonTokens(document);
      assertFalse(expected.contains("failed"));
      for (int maxPiece : new int[] {1, 7, 1000, 70_000}) {
        assertEquals(expected, ourTokens(document, random, maxPiece));
      }
    }
  }

  @Test
  public void randomJsonOfEveryConstructGivesJacksonsTokens() {
    SplittableRandom random = new SplittableRandom(11);
    for (int doc = 0; doc < 3000; doc++) {
      StringBuilder json = new StringBuilder();
      value(json, random, 0);
      byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
      List<String> expected = jacksonTokens(bytes);
      assertFalse(json.toString(), expected.contains("failed"));
      assertEquals(json.toString(), expected, ourTokens(bytes, random, 1 + random.nextInt(40)));
    }
  }

  /** Random JSON: every kind of value, every escape, characters beyond ASCII and the BMP, numbers in every form, and space. */
  private static void value(StringBuilder json, SplittableRandom random, int depth) {
    space(json, random);
    switch (random.nextInt(depth < 5 ? 9 : 6)) {
      case 0, 1 -> string(json, random);
      case 2 -> json.append(number(random));
      case 3 -> json.append(List.of("true", "false", "null").get(random.nextInt(3)));
      case 4, 5 -> json.append(random.nextInt(100) - 50);
      case 6, 7 -> {
        json.append('{');
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          json.append(i > 0 ? "," : "");
          space(json, random);
          string(json, random);
          space(json, random);
          json.append(':');
          value(json, random, depth + 1);
        }
        space(json, random);
        json.append('}');
      }
      default -> {
        json.append('[');
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          json.append(i > 0 ? "," : "");
          value(json, random, depth + 1);
        }
        space(json, random);
        json.append(']');
      }
    }
    space(json, random);
  }

  private static void space(StringBuilder json, SplittableRandom random) {
    for (int n = random.nextInt(4) == 0 ? random.nextInt(4) : 0; n > 0; n--) {
      json.append(" \t\r\n".charAt(random.nextInt(4)));
    }
  }

  private static void string(StringBuilder json, SplittableRandom random) {
    json.append('"');
    for (int n = random.nextInt(12); n > 0; n--) {
      switch (random.nextInt(8)) {
        case 0 -> json.append('\\').append("\"\\/bfnrt".charAt(random.nextInt(8)));
        case 1 -> json.append(String.format("\\u%04X", random.nextInt(0x10000)).replace('X', 'x'));
        case 2 -> json.append((char) (0xA0 + random.nextInt(0xD000)));
        case 3 -> json.appendCodePoint(0x10000 + random.nextInt(0x100000));
        default -> {
          char c = (char) (0x20 + random.nextInt(0x5F));
          json.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
        }
      }
    }
    json.append('"');
  }

  private static String number(SplittableRandom random) {
    StringBuilder n = new StringBuilder(random.nextBoolean() ? "-" : "");
    n.append(random.nextInt(4) == 0 ? "0" : (1 + random.nextInt(9)) + digits(random, random.nextInt(19)));
    if (random.nextBoolean()) {
      n.append('.').append(digits(random, 1 + random.nextInt(18)));
    }
    if (random.nextInt(3) == 0) {
      n.append(random.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(random.nextInt(3))).append(random.nextInt(400));
    }
    return n.toString();
  }

  private static String digits(SplittableRandom random, int count) {
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < count; i++) {
      d.append((char) ('0' + random.nextInt(10)));
    }
    return d.toString();
  }

  /** Whether {@code bytes} are well-formed UTF-8 (Jackson takes some that are not: overlong forms, surrogates). */
  private static boolean wellFormedUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  public void randomlyDamagedDocumentsAreRefusedWhereJacksonRefusesThem() {
    SplittableRandom random = new SplittableRandom(5);
    byte[] day = AirTemperatureDocuments.withImpossibleReadings(LocalDate.of(2020, 6, 1));
    int refused = 0;
    int compared = 0;
    for (int round = 0; round < 400; round++) {
      byte[] damaged = ChunkBoundariesTest.damaged(day, random);
      if (!wellFormedUtf8(damaged)) {
        continue;
      }
      compared++;
      List<String> expected = jacksonTokens(damaged);
      List<String> ours = ourTokens(damaged, random, 20_000);
      assertEquals("round " + round, expected.contains("failed"), ours.contains("failed"));
      if (!expected.contains("failed")) {
        assertEquals(expected, ours);
      }
      refused += ours.contains("failed") ? 1 : 0;
    }
    assertTrue("compared " + compared, compared > 300);
    assertTrue("refused " + refused, refused > compared / 2);
  }

  private static JsonTokens.Malformed failure(byte[] json) {
    return assertThrows(JsonTokens.Malformed.class, () -> {
      JsonTokens tokenizer = new JsonTokens();
      tokenizer.feed(json, 0, json.length);
      tokenizer.end();
      while (tokenizer.next() != null) {
        // read on to the failure
      }
    });
  }

  @Test
  public void malformedUtf8IsRefusedAtItsByte() {
    byte[][] cases = {
      {'"', (byte) 0xC0, (byte) 0x80, '"'}, // overlong
      {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // a surrogate
      {'"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"'}, // beyond U+10FFFF
      {'"', 'a', (byte) 0x80, '"'}, // a continuation byte alone
      {'"', (byte) 0xE2, (byte) 0x82, '"'}, // cut short
    };
    int[] at = {1, 1, 1, 2, 3};
    for (int i = 0; i < cases.length; i++) {
      JsonTokens.Malformed e = failure(cases[i]);
      assertFalse(e.tooLarge);
      assertEquals(e.getMessage(), at[i], e.at);
    }
  }

  @Test
  public void theFailureNamesTheSameByteHoweverTheBodyIsCut() {
    byte[] json = "{\"a\":[1,2,{\"b\":tru}]}".getBytes(StandardCharsets.US_ASCII);
    for (int cut = 1; cut < json.length; cut++) {
      JsonTokens tokenizer = new JsonTokens();
      int at = cut;
      JsonTokens.Malformed e = assertThrows(JsonTokens.Malformed.class, () -> {
        tokenizer.feed(json, 0, at);
        while (tokenizer.next() != JsonToken.NOT_AVAILABLE) {}
        tokenizer.feed(json, at, json.length - at);
        tokenizer.end();
        while (tokenizer.next() != null) {}
      });
      assertEquals("cut at " + cut, 15, e.at);
      assertThat(e.getMessage(), containsString("expected a value"));
    }
  }

  @Test
  public void aTokenOverTheLimitFailsAsTooLargeAtItsStartWhereverItIsCut() throws Exception {
    String big = "1".repeat(JsonTokens.MAX_TOKEN_BYTES + 1);
    for (String json : List.of("[" + big + "]", "[\"" + big + "\"]", "{\"" + big + "\":1}", "[" + " ".repeat(JsonTokens.MAX_TOKEN_BYTES + 1) + "1]")) {
      byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
      for (int piece : new int[] {bytes.length, 16 * 1024, 1000}) {
        JsonTokens tokenizer = new JsonTokens();
        JsonTokens.Malformed e = assertThrows(JsonTokens.Malformed.class, () -> {
          for (int off = 0; off < bytes.length; off += piece) {
            tokenizer.feed(bytes, off, Math.min(piece, bytes.length - off));
            while (tokenizer.next() != JsonToken.NOT_AVAILABLE) {}
          }
        });
        assertTrue(e.tooLarge);
        assertEquals(1, e.at);
        assertTrue("held " + tokenizer.pending(), tokenizer.pending() <= JsonTokens.MAX_TOKEN_BYTES + piece);
      }
    }
    // one byte under the limit is a token like any other
    assertNull(failureOrNull("[\"" + "x".repeat(JsonTokens.MAX_TOKEN_BYTES - 2) + "\"]"));
    // runs of space under the limit, however many and wherever the bytes are cut, are space like any other
    String gap = " ".repeat(JsonTokens.MAX_TOKEN_BYTES * 2 / 3);
    byte[] spaced = ("[" + gap + "1," + gap + "2," + gap + "3" + gap + "]").getBytes(StandardCharsets.US_ASCII);
    for (int piece : new int[] {spaced.length, 16 * 1024, 1000, 1 + gap.length()}) { // the last cut where a run ends
      JsonTokens tokenizer = new JsonTokens();
      List<String> tokens = new ArrayList<>();
      for (int off = 0; off < spaced.length; off += piece) {
        tokenizer.feed(spaced, off, Math.min(piece, spaced.length - off));
        drain(tokenizer, tokens);
      }
      tokenizer.end();
      drain(tokenizer, tokens);
      assertEquals("pieces of " + piece, List.of("START_ARRAY", "VALUE_NUMBER_INT 1", "VALUE_NUMBER_INT 2", "VALUE_NUMBER_INT 3", "END_ARRAY"), tokens);
    }
  }

  private static JsonTokens.Malformed failureOrNull(String json) {
    try {
      byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
      JsonTokens tokenizer = new JsonTokens();
      tokenizer.feed(bytes, 0, bytes.length);
      tokenizer.end();
      while (tokenizer.next() != null) {}
      return null;
    } catch (JsonTokens.Malformed e) {
      return e;
    }
  }

  @Test
  public void nestingDeeperThanTheLimitFails() {
    assertNull(failureOrNull("[".repeat(JsonTokens.MAX_DEPTH) + "]".repeat(JsonTokens.MAX_DEPTH)));
    JsonTokens.Malformed e = failureOrNull("[".repeat(JsonTokens.MAX_DEPTH + 1) + "]".repeat(JsonTokens.MAX_DEPTH + 1));
    assertThat(e.getMessage(), containsString("nested more than"));
  }


  /** A tokenizer fed all of {@code json}, its first token read and added to {@code tokens}. */
  private static JsonTokens pastFirstToken(String json, List<String> tokens) throws JsonTokens.Malformed {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonTokens tokenizer = new JsonTokens();
    tokenizer.feed(bytes, 0, bytes.length);
    tokenizer.end();
    tokens.add(tokenizer.next().toString());
    return tokenizer;
  }

  /**
   * The tokens of {@code [element,1]} read with a {@link CompactPair} tried at the element, as
   * {@link #jacksonTokens} gives them; where the pair took the element, its six tokens are made from what the pair read.
   */
  private static List<String> withCompactPair(String element) throws JsonTokens.Malformed {
    List<String> tokens = new ArrayList<>();
    JsonTokens tokenizer = pastFirstToken("[" + element + ",1]", tokens);
    CompactPair pair = new CompactPair("station_id", "value");
    if (pair.read(tokenizer, new AirTemperatureParser.StationIds()) == 1) {
      String number = element.substring(element.lastIndexOf(':') + 1, element.length() - 1);
      boolean integer = !number.contains(".");
      tokens.addAll(List.of("START_OBJECT", "FIELD_NAME station_id", "VALUE_STRING " + pair.strings()[0], "FIELD_NAME value",
          integer ? "VALUE_NUMBER_INT " + number : line(JsonToken.VALUE_NUMBER_FLOAT, number, pair.numbers()[0]), "END_OBJECT"));
      tokens.add("taken");
    }
    drain(tokenizer, tokens);
    return tokens;
  }

  @Test
  public void aCompactPairIsReadAsItsTokensAreAndAnythingElseIsLeftToThem() throws Exception {
    for (String taken : List.of("{\"station_id\":\"S1\",\"value\":25.5}", "{\"station_id\":\"S2\",\"value\":-12.5}", "{\"station_id\":\"S109\",\"value\":-0.25}",
        "{\"station_id\":\"\",\"value\":0}", "{\"station_id\":\"S 1\",\"value\":123456789012345}",
        "{\"station_id\":\"S1\",\"value\":0.12345678901234}")) {
      List<String> tokens = withCompactPair(taken);
      assertTrue(taken, tokens.remove("taken"));
      assertEquals(taken, jacksonTokens(("[" + taken + ",1]").getBytes(StandardCharsets.UTF_8)), tokens);
    }
    for (String left : List.of("{\"station_id\":\"S1\",\"value\":2.5e1}", "{\"station_id\":\"S\\u0031\",\"value\":25.5}",
        "{\"station_id\":\"S1\", \"value\":25.5}", "{\"station_id\":\"S1\",\"value\":null}", "{\"station_id\":\"S1\",\"value\":\"25\"}",
        "{\"station_id\":\"S1\",\"value\":1234567890123456}", "{\"station_id\":\"S\u00e9\",\"value\":25.5}",
        "{\"value\":25.5,\"station_id\":\"S1\"}", "{\"station_id\":\"S1\",\"value\":25.5,\"x\":1}",
        "{\"station_id\":\"" + "S".repeat(65) + "\",\"value\":25.5}")) {
      List<String> tokens = withCompactPair(left);
      assertFalse(left, tokens.contains("taken"));
      assertEquals(left, jacksonTokens(("[" + left + ",1]").getBytes(StandardCharsets.UTF_8)), tokens);
    }
    for (String refused : List.of("{\"station_id\":\"S1\",\"value\":025.5}", "{\"station_id\":\"S1\",\"value\":05.5}", "{\"station_id\":\"S1\",\"value\":-}",
        "{\"station_id\":\"S1\",\"value\":1.5.5}", "{\"station_id\":\"S1\",\"value\":25.}")) {
      assertTrue(refused, jacksonTokens(("[" + refused + ",1]").getBytes(StandardCharsets.UTF_8)).contains("failed"));
      assertThrows(refused, JsonTokens.Malformed.class, () -> withCompactPair(refused));
    }
  }

  /** A token as a line where numbers are told by their value alone, for comparing a pair's reading with tokens. */
  private static String valued(JsonToken t, String text, double number) {
    return t.isNumeric() ? "NUMBER " + number : t + (text == null ? "" : " " + text);
  }

  @Test
  public void aCompactPairReadingManyObjectsGivesWhatTheirTokensGive() throws Exception {
    SplittableRandom random = new SplittableRandom(23);
    List<String> ids = List.of("S1", "S109", "S24", "S1\\u0030", "S 2");
    List<String> values = List.of("25.5", "-12.5", "9.5", "10.05", "-3", "0", "0.25", "123456789012345", "2.5e1", "null", "\"25\"", "1234567890123456", "-0.5");
    for (int round = 0; round < 300; round++) {
      StringBuilder json = new StringBuilder("[");
      for (int k = 0, n = random.nextInt(round % 10 == 0 ? 3 * CompactPair.RUN : 40); k < n; k++) { // some past one read's most
        json.append(k == 0 ? "" : random.nextInt(10) == 0 ? " ," : ",");
        String id = random.nextInt(4) == 0 ? ids.get(random.nextInt(ids.size())) : ids.get(k % 3);
        String value = random.nextInt(3) == 0 ? values.get(random.nextInt(values.size())) : values.get(0);
        json.append(random.nextInt(15) == 0 ? "{\"station_id\": \"" : "{\"station_id\":\"").append(id).append("\",\"value\":").append(value)
            .append(random.nextInt(15) == 0 ? ",\"x\":1}" : "}");
      }
      byte[] bytes = json.append("]").toString().getBytes(StandardCharsets.UTF_8);
      List<String> expected = new ArrayList<>();
      try (JsonParser p = JACKSON.createParser(bytes)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          expected.add(valued(t, t == JsonToken.FIELD_NAME ? p.currentName() : t == JsonToken.VALUE_STRING ? p.getText() : null,
              t.isNumeric() ? p.getDoubleValue() : 0));
        }
      }
      JsonTokens tokenizer = new JsonTokens();
      tokenizer.feed(bytes, 0, bytes.length);
      tokenizer.end();
      CompactPair pair = new CompactPair("station_id", "value");
      AirTemperatureParser.StationIds strings = new AirTemperatureParser.StationIds();
      List<String> ours = new ArrayList<>();
      int taken = 0;
      ours.add(valued(tokenizer.next(), null, 0));
      while (true) {
        int n = pair.read(tokenizer, strings);
        for (int k = 0; k < n; k++) {
          ours.addAll(List.of("START_OBJECT", "FIELD_NAME station_id", "VALUE_STRING " + pair.strings()[k], "FIELD_NAME value",
              "NUMBER " + pair.numbers()[k], "END_OBJECT"));
        }
        if (n > 0) {
          taken += n;
          continue;
        }
        JsonToken t = tokenizer.next();
        if (t == null) {
          break;
        }
        ours.add(valued(t, t == JsonToken.FIELD_NAME ? tokenizer.name() : t == JsonToken.VALUE_STRING ? tokenizer.text() : null,
            t.isNumeric() ? tokenizer.doubleValue() : 0));
      }
      assertEquals(json.toString(), expected, ours);
      assertTrue(json.toString(), bytes.length < 100 || taken > 0);
    }
  }

  /**
   * The tokens of {@code [element]} read with a {@link CompactOpening} tried at the element, as {@link #jacksonTokens}
   * gives them; where the opening took the element, its five tokens are made from what it read.
   */
  private static List<String> withCompactOpening(String element) throws JsonTokens.Malformed {
    List<String> tokens = new ArrayList<>();
    JsonTokens tokenizer = pastFirstToken("[" + element + "]", tokens);
    CompactOpening opening = new CompactOpening("timestamp", "readings");
    if (opening.read(tokenizer)) {
      tokens.addAll(List.of("START_OBJECT", "FIELD_NAME timestamp", "VALUE_STRING " + new String(opening.string(), 0, opening.length()),
          "FIELD_NAME readings", "START_ARRAY", "taken"));
    }
    drain(tokenizer, tokens);
    return tokens;
  }

  @Test
  public void aCompactOpeningIsReadAsItsTokensAreAndAnythingElseIsLeftToThem() throws Exception {
    for (String taken : List.of("{\"timestamp\":\"2020-06-01T00:05:00+08:00\",\"readings\":[1,{\"a\":2}]}",
        "{\"timestamp\":\"\",\"readings\":[]}", "{\"timestamp\":\"x y\",\"readings\":[],\"z\":null}")) {
      List<String> tokens = withCompactOpening(taken);
      assertTrue(taken, tokens.remove("taken"));
      assertEquals(taken, jacksonTokens(("[" + taken + "]").getBytes(StandardCharsets.UTF_8)), tokens);
    }
    for (String left : List.of("{\"timestamp\": \"2020\",\"readings\":[]}", "{\"timestamp\":\"2020\\u002d06\",\"readings\":[]}",
        "{\"timestamp\":\"2020\u00e9\",\"readings\":[]}", "{\"readings\":[],\"timestamp\":\"2020\"}",
        "{\"timestamp\":\"2020\",\"readings\":{}}", "{\"timestamp\":\"2020\",\"readings\" :[]}",
        "{\"timestamp\":\"" + "2".repeat(65) + "\",\"readings\":[]}")) {
      List<String> tokens = withCompactOpening(left);
      assertFalse(left, tokens.contains("taken"));
      assertEquals(left, jacksonTokens(("[" + left + "]").getBytes(StandardCharsets.UTF_8)), tokens);
    }
    // Where the array would pass the nesting limit, the tokens fail as they would have.
    String deep = "[".repeat(JsonTokens.MAX_DEPTH - 1) + "{\"timestamp\":\"t\",\"readings\":[]}" + "]".repeat(JsonTokens.MAX_DEPTH - 1);
    byte[] bytes = deep.getBytes(StandardCharsets.UTF_8);
    JsonTokens tokenizer = new JsonTokens();
    tokenizer.feed(bytes, 0, bytes.length);
    tokenizer.end();
    for (int k = 0; k < JsonTokens.MAX_DEPTH - 1; k++) {
      assertEquals(JsonToken.START_ARRAY, tokenizer.next());
    }
    assertFalse(new CompactOpening("timestamp", "readings").read(tokenizer));
    JsonTokens.Malformed e = assertThrows(JsonTokens.Malformed.class, () -> drain(tokenizer, new ArrayList<>()));
    assertThat(e.getMessage(), containsString("nested more than"));
  }
}
