package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.FailureKind;

/**
 * A JSON body fed to a {@link JsonTokens} chunk by chunk, for a reader of its tokens ({@link #drain}): memory is
 * the tokenizer's state, one block and at most one token held for its end, whatever the body's size. A token
 * (or a run of space) over {@link JsonTokens#MAX_TOKEN_BYTES} fails as too large; a body that starts as gzip
 * data says so; any other failure to tokenize becomes a {@link AirTemperatureParser.ParseFailure} naming the byte.
 */
abstract class FedJson {
  /** The most bytes handed to the tokenizer at a time, so that what it holds stays small however bodies come. */
  static final int BLOCK = 16 * 1024;

  protected final JsonTokens json = new JsonTokens();
  /** The body's first two bytes, -1 until fed: they tell a compressed body from broken JSON. */
  private int first = -1;
  private int second = -1;

  /** Reads the tokens fed so far. */
  abstract void drain() throws JsonTokens.Malformed, AirTemperatureParser.ParseFailure;

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
    while (len > 0) {
      int n = Math.min(len, BLOCK);
      json.feed(bytes, off, n);
      read();
      off += n;
      len -= n;
    }
  }

  /** The body has ended: its last tokens are read, and it fails unless they make a whole document. */
  final void end() throws AirTemperatureParser.ParseFailure {
    json.end();
    read();
    json.release();
    if (!whole()) {
      throw new AirTemperatureParser.ParseFailure(FailureKind.MALFORMED_JSON, "not valid JSON (at byte " + offset() + ")");
    }
  }

  private void read() throws AirTemperatureParser.ParseFailure {
    try {
      drain();
    } catch (JsonTokens.Malformed e) {
      json.release();
      if (e.tooLarge) {
        throw new AirTemperatureParser.ParseFailure(FailureKind.TOO_LARGE, "the document has a name, value or space between"
            + " them of more than " + JsonTokens.MAX_TOKEN_BYTES + " bytes (at byte " + e.at + "); the API's are a few dozen");
      }
      throw AirTemperatureParser.ParseFailure.notJson(e, first, second);
    }
  }

  /** Where the tokenizer is in the body. */
  final long offset() {
    return json.offset();
  }
}
