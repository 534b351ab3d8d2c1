package dev.speedup.transforms.images;

import dev.speedup.transforms.Activity;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link ImageThumbnails.Resize}'s step: each file read, decoded and thumbnailed (its PNG written, when a writer
 * is given), or failed with its reason, within the {@link MemoryBudget}s for the file's bytes, the thumbnail
 * being made and the decoder, taken in that order.
 */
final class ThumbnailFn extends DoFn<FileIO.ReadableFile, Thumbnail> {
  static final TupleTag<Thumbnail> THUMBNAILS = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final Thumbnailer.Settings settings;
  private final ThumbnailFiles.@Nullable PngWriter writer;
  private final boolean keepPixels;
  private final Counter files = Metrics.counter(ImageThumbnails.class, "files");
  private final Counter bytesRead = Metrics.counter(ImageThumbnails.class, "bytes_read");
  private final Counter thumbnails = Metrics.counter(ImageThumbnails.class, "thumbnails");
  private final Counter reduced = Metrics.counter(ImageThumbnails.class, "reduced_on_load");
  private transient Map<FailureKind, Counter> failures;

  ThumbnailFn(Thumbnailer.Settings settings, ThumbnailFiles.@Nullable PngWriter writer, boolean keepPixels) {
    this.settings = settings;
    this.writer = writer;
    this.keepPixels = keepPixels;
  }

  @Setup
  public void setup() {
    ImageIO.setUseCache(false); // decode in memory: no temporary files per image
    failures = new EnumMap<>(FailureKind.class);
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) {
    Activity.mark();
    files.inc();
    try {
      thumbnail(file, out);
    } finally {
      ImageThumbnails.fileFinished();
      Activity.mark();
    }
  }

  private void thumbnail(FileIO.ReadableFile file, MultiOutputReceiver out) {
    String path = file.getMetadata().resourceId().toString();
    long size = file.getMetadata().sizeBytes();
    MemoryBudget budget = MemoryBudget.files();
    if (size > budget.capacity()) {
      fail(out, Failure.of(path, "read", FailureKind.TOO_LARGE, null, 1, "file of " + size + " bytes is over the "
          + budget.capacity() + " bytes this JVM's heap allows for a file being read (raise -Xmx to read it)"));
      return;
    }
    long making = making(path, out);
    if (making < 0) {
      return;
    }
    // The file's bytes are held while it decodes: admitted against the budget for files in flight.
    try (MemoryBudget.Lease lease = budget.acquire(Math.max(size, 1))) {
      byte[] data;
      try {
        data = readAll(file, size, budget.capacity());
      } catch (IOException | RuntimeException e) {
        fail(out, Failure.of(path, "read", FailureKind.UNREADABLE, null, 1, "cannot read the file: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " " + e.getMessage())));
        return;
      }
      bytesRead.inc(data.length);
      // Then the thumbnail's own memory, which grows with --width x --height, not with the file.
      try (MemoryBudget.Lease thumbnail = MemoryBudget.thumbnails().acquire(making)) {
        thumbnail(path, data, out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(out, Failure.of(path, "read", FailureKind.UNREADABLE, null, 1, "interrupted while waiting for memory to read the file in"));
    }
  }

  /**
   * What a thumbnail of these settings takes from {@link MemoryBudget#thumbnails()} (more than it holds: all of
   * it, made alone); -1, and the file failed, if more than {@link MemoryBudget#largestThumbnail()}.
   */
  private long making(String path, MultiOutputReceiver out) {
    long bytes = Thumbnailer.thumbnailBytes(settings);
    long largest = MemoryBudget.largestThumbnail();
    if (bytes <= largest) {
      return bytes;
    }
    fail(out, Failure.of(path, "decode", FailureKind.TOO_LARGE, null, 1, "a " + settings.width() + "x" + settings.height() + " "
        + settings.color().name().toLowerCase(java.util.Locale.ROOT) + " thumbnail needs about " + bytes + " bytes while it is made,"
        + " over the " + largest + " bytes this JVM's heap allows for one (raise -Xmx or ask for a smaller size)"));
    return -1;
  }

  private void thumbnail(String path, byte[] data, MultiOutputReceiver out) throws InterruptedException {
    try {
      Thumbnailer.Result r = Thumbnailer.thumbnail(data, settings);
      thumbnails.inc();
      if (r.reducedOnLoad()) {
        reduced.inc();
      }
      Thumbnail t = Thumbnail.of(path, data.length, r, png(r));
      if (writer == null) {
        out.get(THUMBNAILS).output(t);
        return;
      }
      Failure refused;
      try {
        refused = writer.write(t);
      } catch (RuntimeException e) {
        refused = Failure.of(path, "write", FailureKind.WRITE_FAILED, null, 1, "cannot write its thumbnail: "
            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
      }
      if (refused != null) {
        out.get(FAILURES).output(refused);
      } else {
        out.get(THUMBNAILS).output(keepPixels ? t.withoutPng() : t.facts());
      }
    } catch (Thumbnailer.ImageFailure e) {
      fail(out, Failure.of(path, "decode", e.kind(), null, 1, e.getMessage()));
    }
  }

  private void fail(MultiOutputReceiver out, Failure f) {
    failures.computeIfAbsent(f.kind(), k -> Metrics.counter(ImageThumbnails.class, "failures_" + k.name())).inc();
    out.get(FAILURES).output(f);
  }

  /** The most bytes one read asks for (see {@link #readAll}). */
  static final int READ_SLICE = 1 << 18;

  /**
   * The file's bytes (decompressed, if the file was matched with a compression): read straight into an
   * array of the listed size, then on, should there be more (a compressed or growing file). Beam's
   * {@code readFullyAsBytes} grows and copies a buffer instead: measured 0.18-0.46 ms a file against
   * 0.05-0.07 ms on the corpus.
   */
  static byte[] readAll(FileIO.ReadableFile file, long listedSize, long maxBytes) throws IOException {
    long limit = Math.min(maxBytes, Integer.MAX_VALUE - 16);
    try (java.nio.channels.ReadableByteChannel channel = file.open()) {
      byte[] data = new byte[(int) Math.max(0, Math.min(listedSize, limit))];
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(data);
      while (buffer.position() < data.length) {
        // A slice at a time: the JDK reads a file into a heap array through a temporary native buffer as
        // large as the read, and keeps it for the thread's next read, so whole-file reads left every worker
        // holding one as large as the largest file it had read.
        buffer.limit(Math.min(data.length, buffer.position() + READ_SLICE));
        if (channel.read(buffer) < 0) {
          return java.util.Arrays.copyOf(data, buffer.position()); // shorter than listed
        }
      }
      byte[] rest = java.nio.channels.Channels.newInputStream(channel).readNBytes((int) (limit - data.length + 1));
      if (rest.length == 0) {
        return data;
      }
      if (data.length + rest.length > limit) {
        throw new IOException("more than " + limit + " bytes");
      }
      byte[] all = java.util.Arrays.copyOf(data, data.length + rest.length);
      System.arraycopy(rest, 0, all, data.length, rest.length);
      return all;
    }
  }

  /** The thumbnail as PNG: 8-bit gray or RGB, the bytes ImageIO's writer gives (deterministic). */
  static byte[] png(Thumbnailer.Result r) {
    return PngEncoder.encode(r.width(), r.height(), r.channels(), r.pixels());
  }
}
