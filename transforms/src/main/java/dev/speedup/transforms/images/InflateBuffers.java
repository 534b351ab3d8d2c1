package dev.speedup.transforms.images;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Native buffers for PNG image data inflated whole ({@link PngImageData}), kept for the next image: fresh
 * buffers of tens of MB are pages the kernel must fault in and zero (and, in the heap, arrays the collector
 * must promote), which costs most of what libdeflate saves over zlib. Outside the heap and at most an eighth
 * of the maximum heap in all ({@link #capacity}); a decode that finds no room now streams through zlib
 * instead, so taking a buffer never waits and never fails. An idle buffer too small for a request is freed at
 * once to make room.
 */
final class InflateBuffers {
  private static final InflateBuffers SHARED =
      new InflateBuffers(capacity(Runtime.getRuntime().maxMemory(), maxDirectMemory()));
  /** Buffers are sized in whole MB, so that one serves images of about the same size. */
  private static final int GRAIN = 1 << 20;
  private static final Freer FREER = Freer.find();

  private final long capacity;
  private final List<ByteBuffer> idle = new ArrayList<>();
  private long allocated;

  InflateBuffers(long capacity) {
    this.capacity = capacity;
  }

  /**
   * An eighth of the maximum heap; and where the JVM's direct memory was limited explicitly ({@code
   * -XX:MaxDirectMemorySize}, {@code maxDirect > 0}), at most a sixteenth of that: a host that sizes direct
   * memory (a Flink TaskManager gives it its network buffers and its framework) needs it for itself.
   */
  static long capacity(long maxHeap, long maxDirect) {
    return maxDirect > 0 ? Math.min(maxHeap / 8, maxDirect / 16) : maxHeap / 8;
  }

  /** {@code -XX:MaxDirectMemorySize}, or 0 where it was not given (or cannot be read). */
  private static long maxDirectMemory() {
    try {
      String value = VmOptions.value("MaxDirectMemorySize");
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The buffers of this JVM's image decoders. */
  static InflateBuffers shared() {
    return SHARED;
  }

  /**
   * A direct buffer of at least {@code bytes} (position 0, limit {@code bytes}), or null if there is no room
   * for one now. Give it back with {@link #give}.
   */
  synchronized ByteBuffer take(long bytes) {
    if (bytes <= 0 || bytes > Integer.MAX_VALUE - GRAIN) {
      return null;
    }
    int best = -1;
    for (int i = 0; i < idle.size(); i++) {
      int c = idle.get(i).capacity();
      if (c >= bytes && (best < 0 || c < idle.get(best).capacity())) {
        best = i;
      }
    }
    if (best >= 0) {
      return idle.remove(best).clear().limit((int) bytes); // by index: a buffer's equals compares contents
    }
    long size = (bytes + GRAIN - 1) / GRAIN * GRAIN;
    long idleBytes = 0;
    for (ByteBuffer b : idle) {
      idleBytes += b.capacity();
    }
    if (allocated - (FREER != null ? idleBytes : 0) + size > capacity) {
      return null; // not even with every idle buffer freed
    }
    while (allocated + size > capacity) {
      int smallest = 0;
      for (int i = 1; i < idle.size(); i++) {
        smallest = idle.get(i).capacity() < idle.get(smallest).capacity() ? i : smallest;
      }
      ByteBuffer freed = idle.remove(smallest);
      allocated -= freed.capacity();
      FREER.free(freed);
    }
    ByteBuffer fresh;
    try {
      fresh = ByteBuffer.allocateDirect((int) size);
    } catch (OutOfMemoryError e) { // -XX:MaxDirectMemorySize reached: a reservation refused, the heap untouched
      return null;
    }
    allocated += size;
    return fresh.limit((int) bytes);
  }

  /** A buffer from {@link #take}, free for the next image. */
  synchronized void give(ByteBuffer buffer) {
    idle.add(buffer);
  }

  /** Bytes of native memory these buffers hold, idle or taken. */
  synchronized long allocated() {
    return allocated;
  }

  /**
   * Frees a direct buffer's memory now rather than at some later collection ({@code sun.misc.Unsafe}'s
   * {@code invokeCleaner}, in the {@code jdk.unsupported} module every JDK has). Without it, idle buffers are
   * never freed: the total stays within the capacity either way.
   */
  private static final class Freer {
    private final sun.misc.Unsafe unsafe;

    private Freer(sun.misc.Unsafe unsafe) {
      this.unsafe = unsafe;
    }

    static Freer find() {
      try {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return new Freer((sun.misc.Unsafe) f.get(null));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    void free(ByteBuffer b) {
      unsafe.invokeCleaner(b);
    }
  }
}
