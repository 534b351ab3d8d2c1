package dev.speedup.transforms.airtemp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.speedup.transforms.FailureKind;
import java.io.IOException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A JSON body fed to Jackson's non-blocking parser chunk by chunk, for a reader of its tokens ({@link #drain}):
 * memory is the parser's state and one block, whatever the body's size. What that parser does not guard is
 * guarded here: a body that goes {@link #MAX_TOKEN_BYTES} without a token fails, and one that starts as gzip
 * data says so. Jackson's failures become {@link AirTemperatureParser.ParseFailure}s.
 *
 * <p>The parser is fed in blocks of {@link #BLOCK} bytes, however the body arrives: where a chunk ends changes
 * what Jackson reports of a broken document (the byte it names, at times its message), and when the token limit
 * trips. Cut the same way every time, one document gives the same failure in every run and every mode.
 */
abstract class FedJson {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The most bytes fed without a token coming out: Jackson holds a name, string or number whole until it
   * ends, so a document with one huge token (under the body limit) would take that much memory per document
   * in flight. The API's longest token is a few dozen bytes.
   */
  static final int MAX_TOKEN_BYTES = 64 * 1024;

  /** The bytes the parser is fed at a time (the last block of a body may be shorter). */
  static final int BLOCK = 16 * 1024;

  protected final JsonParser p;
  private final ByteArrayFeeder feeder;
  private long bytesWithoutToken;
  /** The body's bytes not yet fed to the parser, always fewer than a block; made at the first feed. */
  private byte @Nullable [] block;
  private int blockFill;
  /** The body's first two bytes, -1 until fed: they tell a compressed body from broken JSON. */
  private int first = -1;
  private int second = -1;

  FedJson() {
    try {
      this.p = JSON.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson's non-blocking parser is unavailable", e);
    }
    this.feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
  }

  /** Reads the tokens fed so far; whether there were any. */
  abstract boolean drain() throws IOException, AirTemperatureParser.ParseFailure;

  /** Whether the tokens read so far make a whole document. */
  abstract boolean whole();

  /** Takes {@code len} more bytes of the body; the array may be reused once this returns. */
  final void feed(byte[] bytes, int off, int len) throws AirTemperatureParser.ParseFailure {
    if (second < 0 && len > 0) {
      if (first < 0) {
        first = bytes[off] & 0xFF;
        second = len > 1 ? bytes[off + 1] & 0xFF : -1;
      } else {
        second = bytes[off] & 0xFF;
      }
    }
    if (block == null) {
      block = new byte[BLOCK];
    }
    while (len > 0) {
      int n = Math.min(len, BLOCK - blockFill);
      System.arraycopy(bytes, off, block, blockFill, n);
      blockFill += n;
      off += n;
      len -= n;
      if (blockFill == BLOCK) {
        parseBlock();
      }
    }
  }

  /** The body has ended: its last tokens are read, and it fails unless they make a whole document. */
  final void end() throws AirTemperatureParser.ParseFailure {
    if (blockFill > 0) {
      parseBlock();
    }
    block = null;
    try {
      feeder.endOfInput();
      drain();
    } catch (JsonProcessingException e) {
      throw AirTemperatureParser.ParseFailure.notJson(e, first, second);
    } catch (IOException e) {
      throw AirTemperatureParser.ParseFailure.unreadable(e);
    }
    if (!whole()) {
      throw new AirTemperatureParser.ParseFailure(FailureKind.MALFORMED_JSON, "not valid JSON (at byte " + offset() + ")");
    }
  }

  /** Feeds the parser the block and reads its tokens. */
  private void parseBlock() throws AirTemperatureParser.ParseFailure {
    int len = blockFill;
    blockFill = 0;
    try {
      feeder.feedInput(block, 0, len);
      if (drain()) {
        bytesWithoutToken = 0;
      } else if ((bytesWithoutToken += len) > MAX_TOKEN_BYTES) {
        throw new AirTemperatureParser.ParseFailure(FailureKind.TOO_LARGE, "the document has a name, value or space between"
            + " them of more than " + MAX_TOKEN_BYTES + " bytes (at byte " + offset() + "); the API's are a few dozen");
      }
    } catch (JsonProcessingException e) {
      throw AirTemperatureParser.ParseFailure.notJson(e, first, second);
    } catch (IOException e) {
      throw AirTemperatureParser.ParseFailure.unreadable(e);
    }
  }

  /** Where the parser is in the body. */
  final long offset() {
    return p.currentLocation().getByteOffset();
  }
}
