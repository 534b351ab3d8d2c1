package dev.speedup.transforms.images;

/**
 * Bytes the image work of one JVM may hold at once, shared by every thread that decodes: a file's bytes and
 * a decode are admitted against what their headers declare, and wait while the others in flight leave too
 * little. Whatever the thread count and the mix of images, the heap they need stays under the budget, so an
 * {@code OutOfMemoryError} is never how a large image is found out. An image too large for the budget on
 * its own is decoded with the whole budget and subsampled to fit it ({@link #subsampling}).
 *
 * <p>Three budgets, so a thread holding one lease and waiting for the next cannot starve the threads ahead of
 * it: {@link #files()} (15% of the maximum heap), {@link #thumbnails()} (10%) and {@link #decoding()} (35%), the
 * rest left to the runner. A thread takes them in that order and a decoder waits on nothing, so no two threads
 * wait on each other.
 */
public final class MemoryBudget {
  private static final MemoryBudget FILES = new MemoryBudget("reading files", Runtime.getRuntime().maxMemory() * 15 / 100);
  private static final MemoryBudget THUMBNAILS = new MemoryBudget("making thumbnails", Runtime.getRuntime().maxMemory() * 10 / 100);
  private static final MemoryBudget DECODING = new MemoryBudget("decoding", Runtime.getRuntime().maxMemory() * 35 / 100);

  private final String purpose;
  private final long capacity;
  private long free;
  private int waiting;

  MemoryBudget(String purpose, long capacity) {
    this.purpose = purpose;
    this.capacity = Math.max(1, capacity);
    this.free = this.capacity;
  }

  /** The budget for the bytes of files being read and decoded. */
  public static MemoryBudget files() {
    return FILES;
  }

  /** The budget for thumbnails being made and written (their sums, pixels and PNG), whatever their source. */
  public static MemoryBudget thumbnails() {
    return THUMBNAILS;
  }

  /**
   * The most a thumbnail being made may need at all (40% of the maximum heap): one needing more than
   * {@link #thumbnails()} holds takes that whole budget and is made alone.
   */
  public static long largestThumbnail() {
    return Runtime.getRuntime().maxMemory() * 40 / 100;
  }

  /** The budget for decoders' rasters and buffers. */
  public static MemoryBudget decoding() {
    return DECODING;
  }

  public long capacity() {
    return capacity;
  }

  String purpose() {
    return purpose;
  }

  /** Bytes taken from a budget, given back by {@link #close}. */
  public final class Lease implements AutoCloseable {
    private final long bytes;
    private boolean closed;

    private Lease(long bytes) {
      this.bytes = bytes;
    }

    public long bytes() {
      return bytes;
    }

    @Override
    public void close() {
      synchronized (MemoryBudget.this) {
        if (!closed) {
          closed = true;
          free += bytes;
          MemoryBudget.this.notifyAll();
        }
      }
    }
  }

  /**
   * Takes {@code bytes} (at most the capacity: more is taken as the whole budget), waiting until that much
   * is free; an interrupt ends the wait with {@code InterruptedException}.
   */
  public Lease acquire(long bytes) throws InterruptedException {
    long take = Math.max(0, Math.min(bytes, capacity));
    synchronized (this) {
      waiting++;
      try {
        while (free < take) {
          wait();
        }
      } finally {
        waiting--;
      }
      free -= take;
    }
    return new Lease(take);
  }

  /** Threads waiting for a lease right now. */
  public synchronized int waiting() {
    return waiting;
  }

  /** Bytes not taken right now. */
  public synchronized long free() {
    return free;
  }

  /**
   * The smallest factor n (1 for none) such that a decode needing {@code bytes} needs at most the capacity
   * when reading every n-th pixel of every n-th row.
   */
  public int subsampling(long bytes) {
    int n = 1;
    while (bytes / ((long) n * n) > capacity) {
      n++;
    }
    return n;
  }
}
