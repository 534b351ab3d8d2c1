package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * One Huffman table of a JPEG, with the lookup tables the entropy loop uses: a 9-bit lookup for DC codes,
 * a 10-bit one giving what a whole AC symbol does ({@link #acStep}), and for 1/8 scale, where AC
 * coefficients are only skipped, a 14-bit one that skips several symbols at once ({@link #skipTable}).
 */
final class JpegHuffman {
  /** Bits looked up at once for an AC symbol (1 KB of ints per table: stays in the L1 cache). */
  static final int AC_LOOKUP_BITS = 10;

  // Fast lookup on the next 9 bits: (length << 8) | value, or 0 when the code is longer.
  final int[] fast = new int[512];
  final int[] maxCode = new int[18];
  final int[] valPtr = new int[17];
  final int[] minCode = new int[17];
  final byte[] counts;
  final byte[] values;
  // AC tables: one lookup on the next AC_LOOKUP_BITS bits gives what a symbol does as a whole (code and
  // magnitude bits to consume, zero run, where the next coefficient is): see acStep. 0: code too long.
  final int[] acSteps = new int[1 << AC_LOOKUP_BITS];
  private int[] skips;

  JpegHuffman(byte[] counts, byte[] values) throws CorruptException {
    this.counts = counts;
    this.values = values;
    int code = 0;
    int k = 0;
    for (int len = 1; len <= 16; len++) {
      int n = counts[len - 1] & 0xFF;
      valPtr[len] = k;
      minCode[len] = code;
      for (int i = 0; i < n; i++, k++, code++) {
        if (len <= 9) {
          int shift = 9 - len;
          for (int j = 0; j < (1 << shift); j++) {
            int index = (code << shift) | j;
            if (index >= 512) {
              throw new CorruptException("bad Huffman table");
            }
            fast[index] = (len << 8) | (values[k] & 0xFF);
          }
        }
        if (len <= AC_LOOKUP_BITS) {
          int shift = AC_LOOKUP_BITS - len;
          int step = acStep(values[k] & 0xFF, len);
          if ((code + 1) << shift > acSteps.length) {
            throw new CorruptException("bad Huffman table");
          }
          for (int j = 0; j < (1 << shift); j++) {
            acSteps[(code << shift) | j] = step;
          }
        }
      }
      maxCode[len] = n == 0 ? -1 : code - 1;
      code <<= 1;
    }
    maxCode[17] = Integer.MAX_VALUE;
  }

  /** Bits looked up at once when AC coefficients are only skipped: a 64 KB table (wider measured no faster). */
  static final int SKIP_BITS = 14;

  static final int SKIP_END_OF_BLOCK = 1 << 13;

  /** Skip tables already built, by Huffman table content: files from one encoder share theirs. */
  private static final java.util.concurrent.ConcurrentHashMap<String, int[]> SKIP_TABLES = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * For 1/8 scale, where AC coefficients are skipped, not used: for each value of the next SKIP_BITS bits,
   * the whole AC symbols (code and magnitude) they hold, packed: bits 0-4 the bits they take, 5-12 how far
   * the coefficient index moves, bit 13 set if the last is end-of-block; 0 if not even one symbol fits.
   * About two symbols a lookup on typical data instead of one.
   */
  static int[] skipTable(JpegHuffman h) {
    if (h.skips != null) {
      return h.skips;
    }
    String key = new String(h.counts, java.nio.charset.StandardCharsets.ISO_8859_1) + new String(h.values, java.nio.charset.StandardCharsets.ISO_8859_1);
    int[] table = SKIP_TABLES.get(key);
    if (table == null) {
      table = new int[1 << SKIP_BITS];
      for (int w = 0; w < table.length; w++) {
        int used = 0;
        int advance = 0;
        boolean end = false;
        while (true) {
          // The next code, left-aligned in the lookup (the bits past the window read as zeros: a code or
          // magnitude reaching into them does not count).
          int step = h.acSteps[((w << used) >>> (SKIP_BITS - AC_LOOKUP_BITS)) & ((1 << AC_LOOKUP_BITS) - 1)];
          int bits = step & 31;
          if (step == 0 || used + bits > SKIP_BITS) {
            break;
          }
          used += bits;
          if (step >>> 13 == 64) {
            end = true;
            break;
          }
          advance += step >>> 13;
        }
        table[w] = used == 0 ? 0 : used | (advance << 5) | (end ? SKIP_END_OF_BLOCK : 0);
      }
      if (SKIP_TABLES.size() > 256) {
        SKIP_TABLES.clear(); // bounded: a run over files from many encoders rebuilds now and then
      }
      SKIP_TABLES.put(key, table);
    }
    h.skips = table;
    return table;
  }

  /**
   * One AC symbol {@code rs} (zero run r, magnitude size s) with a code of {@code codeLength} bits, packed:
   * bits 0-4 the bits to consume (code + magnitude), 5-8 the magnitude size, 9-12 the zero run, 13+ how far
   * the coefficient index moves (r + 1; 16 for a run of 16 zeros; 64 for end-of-block, which ends the block).
   */
  static int acStep(int rs, int codeLength) {
    int size = rs & 15;
    int run = rs >> 4;
    int advance = size != 0 ? run + 1 : rs == 0xF0 ? 16 : 64;
    return (codeLength + size) | (size << 5) | ((size != 0 ? run : 0) << 9) | (advance << 13);
  }

}
