package dev.speedup.transforms.http;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip-encoded body (RFC 1952) decoded as its bytes arrive, pushed chunk by chunk as the HTTP client hands
 * them over; the JDK's {@code GZIPInputStream} pulls, and Jetty's decoder does not check the trailer's CRC-32,
 * so a byte damaged in the compressed stream would pass as different data. Here each member's CRC-32 and
 * length are checked, concatenated members are read as one body, and the decoded bytes are capped (a small
 * body can inflate a thousandfold). Not thread-safe: one feeder at a time, as a body subscriber is.
 */
final class GzipBody {
  /** Where decoded bytes go; the array is reused once it returns. */
  interface Sink {
    void accept(byte[] bytes, int off, int len) throws IOException;
  }

  /** A body that is not valid gzip, or whose checksum or length does not match what it decodes to. */
  static final class DamagedException extends IOException {
    DamagedException(String message) {
      super("the gzip-compressed body is damaged: " + message);
    }
  }

  private enum Part { HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DATA, TRAILER, BETWEEN }

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final long maxDecoded;
  private final Sink sink;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] out = new byte[16 << 10];
  /** The fixed header's 10 bytes, the extra field's 2-byte length, the header CRC, or the 8-byte trailer. */
  private final byte[] fixed = new byte[10];
  private int have;
  private Part part = Part.HEADER;
  private int flags;
  private int extraLeft;
  private long memberBytes;
  private long decoded;

  GzipBody(long maxDecoded, Sink sink) {
    this.maxDecoded = maxDecoded;
    this.sink = sink;
  }

  /** The next {@code len} bytes of the body as sent. */
  void feed(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int i = off;
    while (i < end) {
      switch (part) {
        case BETWEEN, HEADER -> i = header(b, i, end);
        case EXTRA_LENGTH -> {
          i = collect(b, i, end, 2);
          if (have == 2) {
            extraLeft = (fixed[0] & 0xFF) | (fixed[1] & 0xFF) << 8;
            have = 0;
            part = Part.EXTRA;
          }
        }
        case EXTRA -> {
          int k = Math.min(extraLeft, end - i);
          i += k;
          extraLeft -= k;
          if (extraLeft == 0) {
            part = (flags & FNAME) != 0 ? Part.NAME : afterName();
          }
        }
        case NAME, COMMENT -> {
          while (i < end && b[i] != 0) {
            i++;
          }
          if (i < end) {
            i++; // the terminating zero
            part = part == Part.NAME ? afterName() : afterComment();
          }
        }
        case HEADER_CRC -> {
          i = collect(b, i, end, 2);
          if (have == 2) {
            have = 0;
            startMember();
            part = Part.DATA;
          }
        }
        case DATA -> i = inflate(b, i, end);
        case TRAILER -> {
          i = collect(b, i, end, 8);
          if (have == 8) {
            checkTrailer();
          }
        }
      }
    }
  }

  /** The body has ended: it must end with a whole member. */
  void finish() throws IOException {
    try {
      if (part == Part.HEADER) {
        throw new DamagedException(have == 0 ? "empty, where a gzip header was due" : "cut short in its header");
      }
      if (part != Part.BETWEEN || have != 0) {
        throw new DamagedException("cut short after " + decoded + " decoded bytes");
      }
    } finally {
      end();
    }
  }

  /** Frees the inflater's native memory; no more bytes may be fed. */
  void end() {
    inflater.end();
  }

  private int header(byte[] b, int i, int end) throws IOException {
    i = collect(b, i, end, 10);
    if (have < 10) {
      return i;
    }
    have = 0;
    if ((fixed[0] & 0xFF) != 0x1F || (fixed[1] & 0xFF) != 0x8B) {
      throw new DamagedException(part == Part.BETWEEN ? "bytes after its end that do not start another gzip member"
          : "it does not start with gzip's signature (1f 8b), although the server declared Content-Encoding: gzip");
    }
    if (fixed[2] != 8) {
      throw new DamagedException("compression method " + (fixed[2] & 0xFF) + ", where gzip has only deflate (8)");
    }
    flags = fixed[3] & 0xFF;
    if ((flags & 0xE0) != 0) {
      throw new DamagedException("reserved header flags set (" + Integer.toHexString(flags) + ")");
    }
    part = (flags & FEXTRA) != 0 ? Part.EXTRA_LENGTH : (flags & FNAME) != 0 ? Part.NAME : afterName();
    return i;
  }

  private Part afterName() {
    return (flags & FCOMMENT) != 0 ? Part.COMMENT : afterComment();
  }

  private Part afterComment() {
    if ((flags & FHCRC) != 0) {
      return Part.HEADER_CRC;
    }
    startMember();
    return Part.DATA;
  }

  private void startMember() {
    inflater.reset();
    crc.reset();
    memberBytes = 0;
  }

  /** Copies bytes into {@link #fixed} until it holds {@code n}; returns where reading stopped. */
  private int collect(byte[] b, int i, int end, int n) {
    int k = Math.min(n - have, end - i);
    System.arraycopy(b, i, fixed, have, k);
    have += k;
    return i + k;
  }

  private int inflate(byte[] b, int i, int end) throws IOException {
    inflater.setInput(b, i, end - i);
    try {
      while (true) {
        int n = inflater.inflate(out);
        if (n > 0) {
          decoded += n;
          memberBytes += n;
          if (decoded > maxDecoded) {
            throw new LimitedBodySubscriber.BodyTooLargeException(maxDecoded, true);
          }
          crc.update(out, 0, n);
          sink.accept(out, 0, n);
        }
        if (inflater.finished()) {
          part = Part.TRAILER;
          return end - inflater.getRemaining();
        }
        if (inflater.needsDictionary()) {
          throw new DamagedException("its deflate stream asks for a preset dictionary");
        }
        if (n == 0 && inflater.needsInput()) {
          return end;
        }
      }
    } catch (DataFormatException e) {
      throw new DamagedException("invalid deflate data (" + e.getMessage() + ")");
    }
  }

  private void checkTrailer() throws IOException {
    long expectedCrc = le32(0);
    long expectedSize = le32(4);
    have = 0;
    if (expectedCrc != crc.getValue()) {
      throw new DamagedException("its CRC-32 does not match the bytes it decodes to");
    }
    if (expectedSize != (memberBytes & 0xFFFFFFFFL)) {
      throw new DamagedException("its trailer gives a length of " + expectedSize + " bytes, it decodes to " + memberBytes);
    }
    part = Part.BETWEEN;
  }

  private long le32(int at) {
    return (fixed[at] & 0xFFL) | (fixed[at + 1] & 0xFFL) << 8 | (fixed[at + 2] & 0xFFL) << 16 | (fixed[at + 3] & 0xFFL) << 24;
  }
}
