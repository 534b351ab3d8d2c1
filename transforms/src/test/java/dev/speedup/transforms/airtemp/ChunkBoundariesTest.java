package dev.speedup.transforms.airtemp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.AirTemperatureDocuments;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.Test;

/**
 * A body arrives in chunks whose sizes the network chooses, differently on every run. What a document gives,
 * rows or a failure with its message, must not depend on them: the outputs are the same in every run and mode.
 */
public class ChunkBoundariesTest {
  private static final LocalDate DAY = LocalDate.of(2020, 6, 1);

  /** The outcome of {@code body} fed in pieces of {@code sizes} (repeated), as text to compare. */
  private static String outcome(byte[] body, int... sizes) {
    DocumentStream stream = new DocumentStream(DAY, ValidRange.AIR_TEMPERATURE);
    try {
      int i = 0;
      for (int off = 0; off < body.length; i++) {
        int n = Math.min(sizes[i % sizes.length], body.length - off);
        stream.feed(body, off, n);
        off += n;
      }
      AirTemperatureParser.Parsed parsed = stream.finish();
      return "rows " + parsed.rows() + " rejected " + parsed.rejected();
    } catch (AirTemperatureParser.ParseFailure f) {
      return f.kind() + ": " + f.getMessage();
    }
  }

  /** The same outcome for the body read whole, a byte at a time, in odd pieces, and cut just before and after {@code at}. */
  private static String sameHoweverCut(String what, byte[] body, int at) {
    Map<String, String> outcomes = new LinkedHashMap<>();
    outcomes.put("whole", outcome(body, body.length));
    outcomes.put("bytes", outcome(body, 1));
    outcomes.put("3s", outcome(body, 3));
    outcomes.put("4093s", outcome(body, 4093));
    outcomes.put("cut before", outcome(body, at, body.length));
    outcomes.put("cut after", outcome(body, at + 1, body.length));
    SplittableRandom random = new SplittableRandom(at);
    int[] network = new int[64];
    for (int i = 0; i < network.length; i++) {
      network[i] = 1 + random.nextInt(20_000);
    }
    outcomes.put("random", outcome(body, network));
    String whole = outcomes.get("whole");
    outcomes.forEach((how, o) -> assertEquals(what + ", fed " + how, whole, o));
    return whole;
  }

  private static byte[] replaceAt(byte[] body, String find, int occurrence, String with) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = -1;
    for (int i = 0; i <= occurrence; i++) {
      at = text.indexOf(find, at + 1);
    }
    return (text.substring(0, at) + with + text.substring(at + find.length())).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  public void aBrokenDocumentFailsWithTheSameMessageHoweverItsBodyIsCut() {
    byte[] day = AirTemperatureDocuments.fullDay(DAY);
    List<String> failures = new ArrayList<>();
    // A control character inside a station id, far into the body (where Jackson named one byte or the next).
    byte[] control = replaceAt(day, "\"station_id\":\"S1", 2000, "\"station_id\":\"S\u00011");
    failures.add(sameHoweverCut("a control character", control, new String(control, StandardCharsets.ISO_8859_1).indexOf('\u0001')));
    // A number with a suffix (where Jackson's very message changed with the cut).
    byte[] suffix = replaceAt(day, "\"value\":", 3000, "\"value\":2f");
    failures.add(sameHoweverCut("a number with a suffix", suffix, new String(suffix, StandardCharsets.ISO_8859_1).indexOf("2f")));
    // A body cut short inside a token.
    byte[] cut = java.util.Arrays.copyOf(day, day.length / 2 + 7);
    failures.add(sameHoweverCut("a body cut short", cut, cut.length - 1));
    for (String f : failures) {
      assertTrue(f, f.startsWith("MALFORMED_JSON"));
    }
  }

  @Test
  public void aWholeDayGivesTheSameRowsHoweverItsBodyIsCut() {
    byte[] day = AirTemperatureDocuments.withImpossibleReadings(DAY);
    String rows = sameHoweverCut("a day", day, day.length / 3);
    assertTrue(rows, rows.startsWith("rows"));
  }

  /** Documents damaged at random (a JSON character put in, a bit flipped, a stretch left out or repeated, cut short). */
  @Test
  public void randomlyDamagedDocumentsGiveTheSameOutcomeHoweverTheirBodiesAreCut() {
    byte[] day = AirTemperatureDocuments.fullDay(DAY);
    SplittableRandom random = new SplittableRandom(17);
    int failed = 0;
    for (int i = 0; i < 150; i++) {
      byte[] m = damaged(day, random);
      String whole = outcome(m, m.length);
      assertEquals("mutant " + i + " fed in 1 to 3 bytes", whole, outcome(m, 1, 3, 2));
      assertEquals("mutant " + i + " fed in odd pieces", whole, outcome(m, 1 + random.nextInt(20_000), 1 + random.nextInt(7)));
      failed += whole.startsWith("rows") ? 0 : 1;
    }
    assertTrue("most damage breaks the document", failed > 100);
  }

  /**
   * {@code day} damaged 1 to 4 times at random: a JSON character put in, a bit flipped, up to 200 bytes left
   * out, or cut short.
   */
  static byte[] damaged(byte[] day, SplittableRandom random) {
    byte[] m = day.clone();
    for (int k = 1 + random.nextInt(4); k > 0; k--) {
      int at = random.nextInt(m.length);
      switch (random.nextInt(4)) {
        case 0 -> m[at] = JSONISH[random.nextInt(JSONISH.length)];
        case 1 -> m[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> {
          int len = Math.min(m.length - at - 1, 1 + random.nextInt(200));
          byte[] shorter = new byte[m.length - len];
          System.arraycopy(m, 0, shorter, 0, at);
          System.arraycopy(m, at + len, shorter, at, m.length - at - len);
          m = shorter;
        }
        default -> m = java.util.Arrays.copyOf(m, Math.max(1, at));
      }
    }
    return m;
  }

  private static final byte[] JSONISH = "{}[],:\"\\0123456789.eE-+ \n\tnulltruefalse".getBytes(StandardCharsets.US_ASCII);
}
