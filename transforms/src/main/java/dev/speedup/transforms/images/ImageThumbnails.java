package dev.speedup.transforms.images;

import com.google.auto.value.AutoValue;
import dev.speedup.transforms.Checks;
import dev.speedup.transforms.Failure;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Image files to thumbnails, as a Beam transform: {@code FileIO.ReadableFile} in; {@link Thumbnail}s and
 * {@link Failure}s out, one of the two for every file.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<Thumbnail>, Failure> thumbs =
 *     pipeline.apply(FileIO.match().filepattern("/data/chest_xray/**"))
 *         .apply(FileIO.readMatches())
 *         .apply(ImageThumbnails.resize().withSize(64, 64));
 * }</pre>
 *
 * <p>Counters (namespace {@code ImageThumbnails}): {@code files}, {@code bytes_read}, {@code thumbnails},
 * {@code reduced_on_load}, {@code failures_<KIND>}. Memory: the bytes of the files being decoded, the thumbnails
 * being made and the decoders' rasters are held within {@link MemoryBudget}s derived from the maximum heap,
 * whatever the number of worker threads; a file larger than the budget for files, or a thumbnail size needing
 * more than {@link MemoryBudget#largestThumbnail()}, fails as TOO_LARGE.
 */
public final class ImageThumbnails {
  private ImageThumbnails() {}

  /** Defaults: 64x64, stretch (as the talk did), gray, at most 100 megapixels a source. Thumbnails are PNG-encoded. */
  public static Resize resize() {
    return new AutoValue_ImageThumbnails_Resize(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L, null, true);
  }

  private static final java.util.concurrent.atomic.AtomicLong FINISHED = new java.util.concurrent.atomic.AtomicLong();

  static void fileFinished() {
    FINISHED.incrementAndGet();
  }

  /**
   * Files this JVM's workers have finished (thumbnail or failure), counted as each one ends: a progress
   * line can move per file, where Beam's counters move as bundles commit.
   */
  public static long filesFinishedInThisJvm() {
    return FINISHED.get();
  }

  /**
   * Optional: does now, on the calling thread, the one-time work the first image in this JVM would otherwise
   * wait for (the native WebP and libdeflate libraries loaded, ImageIO's plugins found). For a launcher with a
   * core to spare while it starts the pipeline.
   */
  public static void preload() {
    WebpDecoder.available();
    WholeInflate.available();
    InflateBuffers.shared();
    ImageIO.getImageReadersByFormatName("jpeg");
  }

  /** See {@link ImageThumbnails}. */
  @AutoValue
  public abstract static class Resize
      extends PTransform<PCollection<FileIO.ReadableFile>, WithFailures.Result<PCollection<Thumbnail>, Failure>> {
    abstract int width();

    abstract int height();

    abstract Thumbnailer.Fit fit();

    abstract Thumbnailer.Color color();

    abstract long maxPixels();

    abstract ThumbnailFiles.@Nullable PngWriter pngWriter();

    abstract boolean keepPixels();

    /** Target size, each side 1..4096. */
    public Resize withSize(int width, int height) {
      return new AutoValue_ImageThumbnails_Resize(
          Checks.inRange("width", width, 1, 4096), Checks.inRange("height", height, 1, 4096), fit(), color(), maxPixels(), pngWriter(),
          keepPixels());
    }

    public Resize withFit(Thumbnailer.Fit fit) {
      return new AutoValue_ImageThumbnails_Resize(width(), height(), java.util.Objects.requireNonNull(fit, "fit"), color(), maxPixels(), pngWriter(), keepPixels());
    }

    public Resize withColor(Thumbnailer.Color color) {
      return new AutoValue_ImageThumbnails_Resize(width(), height(), fit(), java.util.Objects.requireNonNull(color, "color"), maxPixels(), pngWriter(), keepPixels());
    }

    /** Sources whose header declares more pixels fail as TOO_MANY_PIXELS, before decoding (1..10^10). */
    public Resize withMaxPixels(long maxPixels) {
      return new AutoValue_ImageThumbnails_Resize(width(), height(), fit(), color(), Checks.inRange("maxPixels", maxPixels, 1L, 10_000_000_000L),
          pngWriter(), keepPixels());
    }

    /**
     * Writes each thumbnail's PNG with {@code writer} in the step that makes it, and sends on the thumbnail without
     * its PNG ({@link Thumbnail#withoutPng}), or without its pixels too ({@link Thumbnail#facts}) unless
     * {@code keepPixels}; a write that fails is that file's failure. A runner that does not fuse steps (the
     * DirectRunner) holds each step's output until the next step takes it, which may be after the last file:
     * thumbnails written by a later step are then all in memory at once, where these take a few hundred bytes
     * a file. The writer counts what it writes; {@code failures_WRITE_FAILED} is not counted here.
     */
    public Resize withPngsWrittenBy(ThumbnailFiles.PngWriter writer, boolean keepPixels) {
      return new AutoValue_ImageThumbnails_Resize(width(), height(), fit(), color(), maxPixels(),
          java.util.Objects.requireNonNull(writer, "writer"), keepPixels);
    }

    Thumbnailer.Settings settings() {
      return new Thumbnailer.Settings(width(), height(), fit(), color(), maxPixels());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("size", width() + "x" + height()).withLabel("Thumbnail size"))
          .add(DisplayData.item("fit", fit().name()).withLabel("Fit"))
          .add(DisplayData.item("color", color().name()).withLabel("Colour"))
          .add(DisplayData.item("maxPixels", maxPixels()).withLabel("Largest source accepted"));
    }

    @Override
    public WithFailures.Result<PCollection<Thumbnail>, Failure> expand(PCollection<FileIO.ReadableFile> files) {
      PCollectionTuple out =
          files.apply("Thumbnail", ParDo.of(new ThumbnailFn(settings(), pngWriter(), keepPixels())).withOutputTags(ThumbnailFn.THUMBNAILS, TupleTagList.of(ThumbnailFn.FAILURES)));
      out.get(ThumbnailFn.THUMBNAILS).setCoder(Thumbnail.ThumbnailCoder.of());
      out.get(ThumbnailFn.FAILURES).setCoder(Failure.FailureCoder.of());
      return WithFailures.Result.of(out, ThumbnailFn.THUMBNAILS, ThumbnailFn.FAILURES);
    }
  }
}
