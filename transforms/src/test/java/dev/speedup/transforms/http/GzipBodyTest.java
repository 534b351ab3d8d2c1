package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.Test;

/** Gzip bodies, made by the JDK's writer or by hand from RFC 1952, decoded however their bytes are cut. */
public class GzipBodyTest {
  private static final byte[] TEXT = text();

  private static byte[] text() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      b.append("{\"station_id\":\"S").append(100 + i % 15).append("\",\"value\":").append(20 + i % 97 / 10.0).append("},");
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  /** Decodes {@code body} fed {@code chunk} bytes at a time, to the end. */
  private static byte[] decode(byte[] body, int chunk, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GzipBody gz = new GzipBody(max, out::write);
    for (int i = 0; i < body.length; i += chunk) {
      gz.feed(body, i, Math.min(chunk, body.length - i));
    }
    gz.finish();
    return out.toByteArray();
  }

  private static String damage(byte[] body) {
    return assertThrows(GzipBody.DamagedException.class, () -> decode(body, 4096, Long.MAX_VALUE)).getMessage();
  }

  @Test
  public void decodesWhateverTheChunksAndChecksTheLength() throws IOException {
    byte[] gz = gzip(TEXT);
    for (int chunk : new int[] {1, 7, 10, 4096, gz.length}) {
      assertArrayEquals("chunks of " + chunk, TEXT, decode(gz, chunk, Long.MAX_VALUE));
    }
  }

  @Test
  public void readsEveryOptionalHeaderFieldAndConcatenatedMembers() throws IOException {
    // FEXTRA, FNAME, FCOMMENT and FHCRC, as RFC 1952 lays them out; the JDK's writer sets none of them.
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    member.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    member.write(new byte[] {5, 0, 'A', 'B', 1, 0, 9});
    member.writeBytes("day.json\0".getBytes(StandardCharsets.US_ASCII));
    member.writeBytes("made by hand\0".getBytes(StandardCharsets.US_ASCII));
    member.write(new byte[] {0x12, 0x34});
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(TEXT);
    deflater.finish();
    byte[] buf = new byte[TEXT.length];
    member.write(buf, 0, deflater.deflate(buf));
    deflater.end();
    CRC32 crc = new CRC32();
    crc.update(TEXT);
    member.write(le32(crc.getValue()));
    member.write(le32(TEXT.length));
    byte[] two = concat(member.toByteArray(), gzip(TEXT));
    byte[] expected = concat(TEXT, TEXT);
    for (int chunk : new int[] {1, 3, 8192}) {
      assertArrayEquals("chunks of " + chunk, expected, decode(two, chunk, Long.MAX_VALUE));
    }
  }

  @Test
  public void damageAnywhereIsFoundAndSaysWhere() throws IOException {
    byte[] gz = gzip(TEXT);
    byte[] crc = gz.clone();
    crc[gz.length - 8] ^= 1;
    assertThat(damage(crc), containsString("CRC-32 does not match"));
    byte[] length = gz.clone();
    length[gz.length - 4] ^= 1;
    assertThat(damage(length), containsString("trailer gives a length of"));
    // A byte changed inside the compressed data: invalid deflate, or valid deflate of other bytes, which
    // only the CRC shows (Jetty's decoder, which does not check it, passes such a body on as good).
    int caught = 0;
    for (int at = 40; at < gz.length - 8; at += 997) {
      byte[] flipped = gz.clone();
      flipped[at] ^= 0x10;
      String m = damage(flipped);
      caught += m.contains("CRC-32") || m.contains("invalid deflate") || m.contains("length") ? 1 : 0;
    }
    assertEquals("every flipped byte found", (gz.length - 48 + 996) / 997, caught);
    assertThat(damage(Arrays.copyOf(gz, gz.length / 2)), containsString("cut short after"));
    assertThat(damage(Arrays.copyOf(gz, 6)), containsString("cut short in its header"));
    assertThat(damage(new byte[0]), containsString("empty"));
    assertThat(damage(concat(gz, "junk after".getBytes(StandardCharsets.US_ASCII))), containsString("bytes after its end"));
    assertThat(damage(TEXT), containsString("does not start with gzip's signature"));
    byte[] method = gz.clone();
    method[2] = 7;
    assertThat(damage(method), containsString("compression method 7"));
  }

  @Test
  public void aBombStopsAtTheLimitWithoutDecodingTheRest() throws IOException {
    // 256 MiB of zeros compress to about 256 KB.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        gz.write(zeros);
      }
    }
    byte[] bomb = out.toByteArray();
    long[] received = {0};
    GzipBody gz = new GzipBody(1 << 20, (b, off, len) -> received[0] += len);
    IOException e = assertThrows(IOException.class, () -> gz.feed(bomb, 0, bomb.length));
    assertThat(e.getMessage(), containsString("once decompressed"));
    assertThat(received[0], lessThanOrEqualTo(1L << 20));
    gz.end();
  }

  private static byte[] le32(long v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
