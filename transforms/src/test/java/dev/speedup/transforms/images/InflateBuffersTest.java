package dev.speedup.transforms.images;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import org.junit.Test;

/** The whole-inflate buffers: reused, never more than their capacity in all, and never a wait. */
public class InflateBuffersTest {
  private static final int MB = 1 << 20;

  @Test
  public void aBufferGivenBackServesTheNextRequestItFits() {
    InflateBuffers buffers = new InflateBuffers(8L * MB);
    ByteBuffer first = buffers.take(MB + 5);
    assertNotNull(first);
    assertTrue(first.isDirect());
    assertEquals(0, first.position());
    assertEquals(MB + 5, first.limit());
    assertEquals("sized in whole MB", 2 * MB, first.capacity());
    buffers.give(first);
    ByteBuffer again = buffers.take(2 * MB - 1);
    assertSame(first, again);
    assertEquals(2 * MB - 1, again.limit());
    assertEquals(2L * MB, buffers.allocated());
  }

  @Test
  public void noRoomMeansNullAtOnceAndTheTotalStaysWithinTheCapacity() {
    InflateBuffers buffers = new InflateBuffers(3L * MB);
    ByteBuffer a = buffers.take(2 * MB);
    assertNotNull(a);
    assertNull("a second 2 MB does not fit beside the first, taken", buffers.take(2 * MB));
    assertNull("more than the capacity", buffers.take(4L * MB));
    assertNull("nothing asked", buffers.take(0));
    assertEquals(2L * MB, buffers.allocated());
    ByteBuffer b = buffers.take(MB);
    assertNotNull("1 MB still fits", b);
    assertNotSame(a, b);
    assertEquals(3L * MB, buffers.allocated());
  }

  @Test
  public void idleBuffersTooSmallAreFreedToMakeRoom() {
    InflateBuffers buffers = new InflateBuffers(4L * MB);
    ByteBuffer small = buffers.take(MB);
    ByteBuffer other = buffers.take(2 * MB);
    buffers.give(small);
    assertNull("the 2 MB one is taken: 3 MB cannot be made", buffers.take(3L * MB));
    buffers.give(other);
    ByteBuffer big = buffers.take(3L * MB);
    assertNotNull("both idle ones freed for it", big);
    assertEquals(3 * MB, big.capacity());
    assertTrue(buffers.allocated() <= 4L * MB);
    assertEquals(3L * MB, buffers.allocated());
  }

  @Test
  public void anEighthOfTheHeapOrASixteenthOfDirectMemoryWhereThatWasLimited() {
    assertEquals("not limited", 48L * MB, InflateBuffers.capacity(384L * MB, 0));
    assertEquals("limited, but not below the heap's share", 48L * MB, InflateBuffers.capacity(384L * MB, 1024L * MB));
    assertEquals("a Flink TaskManager's 512 MB", 32L * MB, InflateBuffers.capacity(600L * MB, 512L * MB));
  }
}
