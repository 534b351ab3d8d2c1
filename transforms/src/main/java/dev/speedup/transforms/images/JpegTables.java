package dev.speedup.transforms.images;

import dev.speedup.transforms.images.JpegReducedReader.CorruptException;

/**
 * A JPEG's quantisation and Huffman tables, four of each kind, as its DQT and DHT segments define them: a
 * later segment replaces a table of the same id (progressive files often redefine them between scans).
 * Each length and id is checked against the segment before it is used.
 */
final class JpegTables {
  final int[][] quant = new int[4][];
  final JpegHuffman[] dc = new JpegHuffman[4];
  final JpegHuffman[] ac = new JpegHuffman[4];

  /** A DQT segment's tables (8- or 16-bit), each replacing the one of its id. */
  void readQuantisation(byte[] d, int start, int end) throws CorruptException {
    int k = start;
    while (k < end) {
      int pq = (d[k] & 0xFF) >> 4;
      int tq = d[k] & 0x0F;
      if (tq > 3 || pq > 1 || k + 1 + 64 * (pq + 1) > end) {
        throw new CorruptException("bad quantisation table header");
      }
      int[] q = new int[64];
      k++;
      for (int j = 0; j < 64; j++) {
        q[j] = pq == 0 ? d[k++] & 0xFF : JpegFrame.u16(d, (k += 2) - 2);
      }
      quant[tq] = q;
    }
  }

  /** A DHT segment's tables, each replacing the DC or AC one of its id. */
  void readHuffman(byte[] d, int start, int end) throws CorruptException {
    int k = start;
    while (k < end) {
      int tc = (d[k] & 0xFF) >> 4;
      int th = d[k] & 0x0F;
      if (th > 3 || tc > 1 || k + 17 > end) {
        throw new CorruptException("bad Huffman table header");
      }
      byte[] counts = java.util.Arrays.copyOfRange(d, k + 1, k + 17);
      int total = 0;
      for (byte c : counts) {
        total += c & 0xFF;
      }
      if (k + 17 + total > end || total > 256) {
        throw new CorruptException("bad Huffman table length");
      }
      byte[] values = java.util.Arrays.copyOfRange(d, k + 17, k + 17 + total);
      JpegHuffman h = new JpegHuffman(counts, values);
      if (tc == 0) {
        dc[th] = h;
      } else {
        ac[th] = h;
      }
      k += 17 + total;
    }
  }
}
