package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.HostileJpegTest.failure;
import static dev.speedup.transforms.images.TestImages.GRAY64;
import static dev.speedup.transforms.images.TestImages.jpeg;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.FailureKind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * A progressive JPEG's scans must give each coefficient's bits once each, as libjpeg checks: a file that repeats
 * a scan of a few bytes thousands of times (each repeat a pass over every block) is refused at the first repeat,
 * whether it is reduced on load or goes to the full decoder.
 */
public class JpegProgressionTest {
  /** Each scan of a JPEG as {SOS marker offset, offset of the marker that ends its data}. */
  private static List<int[]> scans(byte[] d) {
    List<int[]> scans = new ArrayList<>();
    for (int i = 2; i + 3 < d.length; ) {
      int marker = d[i + 1] & 0xFF;
      if (marker == 0xD9) {
        break;
      }
      int end = i + 2 + JpegFrame.u16(d, i + 2);
      if (marker == 0xDA) {
        while (!((d[end] & 0xFF) == 0xFF && (d[end + 1] & 0xFF) != 0 && ((d[end + 1] & 0xFF) < 0xD0 || (d[end + 1] & 0xFF) > 0xD7))) {
          end++;
        }
        scans.add(new int[] {i, end});
      }
      i = end;
    }
    return scans;
  }

  /** The file with scan {@code index} repeated {@code times} more times just before the end-of-image marker. */
  private static byte[] repeated(byte[] d, int index, int times) {
    int[] scan = scans(d).get(index);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(d, 0, d.length - 2);
    for (int t = 0; t < times; t++) {
      out.write(d, scan[0], scan[1] - scan[0]);
    }
    out.write(d, d.length - 2, 2);
    return out.toByteArray();
  }

  /** The file with byte {@code offset} of scan {@code index}'s header (0 = the marker's first byte) set to {@code value}. */
  private static byte[] withScanByte(byte[] d, int index, int offset, int value) {
    byte[] out = d.clone();
    out[scans(d).get(index)[0] + offset] = (byte) value;
    return out;
  }

  @Test
  public void aRepeatedScanIsRefusedWhetherTheFileIsReducedOrDecodedWhole() throws Exception {
    byte[] reduced = jpeg(JpegReducedReaderTest.texture(500, 400), 0.9f, true); // 1/4 from its AC scans
    byte[] whole = jpeg(JpegReducedReaderTest.texture(150, 120), 0.9f, true); // under 3 times 64: ImageIO
    assertTrue(Thumbnailer.thumbnail(reduced, GRAY64).reducedOnLoad());
    assertFalse(Thumbnailer.thumbnail(whole, GRAY64).reducedOnLoad());
    for (byte[] file : new byte[][] {reduced, whole}) {
      int scanCount = scans(file).size();
      assertThat(scanCount, greaterThan(2));
      for (int index : new int[] {0, 1, scanCount - 1}) { // the first DC scan, the first AC scan, the last refinement
        Thumbnailer.ImageFailure f = failure(repeated(file, index, 3000));
        assertEquals(FailureKind.CORRUPT_IMAGE, f.kind());
        assertThat(f.getMessage(), containsString("inconsistent progression"));
      }
    }
  }

  @Test
  public void scanHeadersOutsideTheStandardsProgressionAreRefused() throws Exception {
    byte[] file = jpeg(JpegReducedReaderTest.texture(500, 400), 0.9f, true);
    // A scan header: FF DA, length (2), Ns, then Ns x (id, tables), then Ss, Se, Ah|Al.
    int ss = 2 + 2 + 1 + 2; // one component per scan in this gray file
    assertEquals(1, file[scans(file).get(1)[0] + 4]);
    assertThat(failure(withScanByte(file, 0, ss + 1, 5)).getMessage(), containsString("spectral selection 0..5")); // DC with AC
    assertThat(failure(withScanByte(file, 1, ss + 1, 64)).getMessage(), containsString("spectral selection")); // past 63
    assertThat(failure(withScanByte(file, 0, ss + 2, 0x0E)).getMessage(), containsString("successive approximation 0 to 14"));
    int last = scans(file).size() - 1;
    int approx = file[scans(file).get(last)[0] + ss + 2] & 0xFF;
    assertTrue("the last scan refines", approx >> 4 > 0);
    assertThat(failure(withScanByte(file, last, ss + 2, ((approx >> 4) + 1) << 4)).getMessage(), containsString("successive approximation"));
  }
}
