package dev.speedup.transforms.images;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * Byte stuffing taken out of entropy-coded data, checked against the standard's rule applied one byte at a
 * time (ITU T.81, B.1.1.5): an 0xFF data byte is followed by 0x00; 0xFF fill bytes may precede a marker;
 * RSTn markers cut segments; any other marker ends the data. The 0xFF bytes are placed at every offset
 * relative to 8-byte words, and in the last few bytes, where the reader tests bytes one at a time.
 */
public class JpegEntropyTest {
  /** What the data should come to: the plain bytes, the segment ends, where in the file the data ended. */
  private record Expected(byte[] bytes, int[] segmentEnds, int endInFile) {}

  private static Expected unstuffedOneByteAtATime(byte[] d, int from, boolean restarts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> ends = new ArrayList<>();
    int i = from;
    while (i < d.length) {
      if (d[i] != (byte) 0xFF) {
        out.write(d[i++]);
        continue;
      }
      int j = i + 1;
      while (j < d.length && d[j] == (byte) 0xFF) {
        j++;
      }
      if (j >= d.length) {
        i = d.length;
        break;
      }
      int marker = d[j] & 0xFF;
      if (marker == 0) {
        out.write(0xFF);
      } else if (restarts && marker >= 0xD0 && marker <= 0xD7) {
        ends.add(out.size());
      } else {
        break;
      }
      i = j + 1;
    }
    ends.add(out.size());
    return new Expected(out.toByteArray(), ends.stream().mapToInt(Integer::intValue).toArray(), i);
  }

  private static void assertUnstuffedAsSpecified(byte[] d, int from, boolean restarts) {
    Expected expected = unstuffedOneByteAtATime(d, from, restarts);
    JpegEntropy actual = JpegEntropy.of(d, from, restarts);
    int length = expected.bytes().length;
    assertArrayEquals(expected.bytes(), Arrays.copyOf(actual.bytes, length));
    for (int k = length; k < actual.bytes.length; k++) {
      assertEquals("the read-ahead after the data is zeros", 0, actual.bytes[k]);
    }
    assertArrayEquals(expected.segmentEnds(), Arrays.copyOf(actual.segmentEnds, actual.segments));
    assertEquals(expected.endInFile(), actual.endInFile);
  }

  /** Random data bytes with a stuffed 0xFF, fill bytes before a restart marker, or an ending marker here and there. */
  private static byte[] entropyData(Random random, int length, int specialsEvery) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < length) {
      if (random.nextInt(specialsEvery) == 0) {
        switch (random.nextInt(4)) {
          case 0, 1 -> out.write(new byte[] {(byte) 0xFF, 0}, 0, 2);
          case 2 -> {
            for (int fill = random.nextInt(3); fill > 0; fill--) {
              out.write(0xFF);
            }
            out.write(new byte[] {(byte) 0xFF, (byte) (0xD0 + random.nextInt(8))}, 0, 2);
          }
          default -> out.write(new byte[] {(byte) 0xFF, (byte) 0xD9}, 0, 2);
        }
      } else {
        out.write(random.nextInt(255)); // any byte but 0xFF
      }
    }
    return out.toByteArray();
  }

  @Test
  public void stuffingIsTakenOutAsTheStandardSaysWhereverTheMarkersFall() {
    Random random = new Random(16);
    for (int round = 0; round < 2000; round++) {
      byte[] d = entropyData(random, 1 + random.nextInt(120), 2 + random.nextInt(30));
      int from = random.nextInt(Math.min(d.length, 9));
      assertUnstuffedAsSpecified(d, from, true);
      assertUnstuffedAsSpecified(d, from, false);
    }
  }

  @Test
  public void edgeCasesOfTheLastBytes() {
    byte ff = (byte) 0xFF;
    // An 0xFF as the very last byte, fill bytes running to the end, a stuffed 0xFF right at a word's end.
    assertUnstuffedAsSpecified(new byte[] {1, 2, 3, 4, 5, 6, 7, ff}, 0, true);
    assertUnstuffedAsSpecified(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, ff, ff, ff}, 0, true);
    assertUnstuffedAsSpecified(new byte[] {1, 2, 3, 4, 5, 6, 7, ff, 0, 9, 10}, 0, false);
    assertUnstuffedAsSpecified(new byte[] {ff, 0, ff, 0, ff, 0, ff, 0, ff, 0}, 0, false);
    assertUnstuffedAsSpecified(new byte[] {}, 0, true);
    assertUnstuffedAsSpecified(new byte[] {1, 2, 3}, 3, true);
  }
}
