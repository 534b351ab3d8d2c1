package dev.speedup.transforms.images;

import com.google.auto.value.AutoValue;
import dev.speedup.transforms.BeamFiles;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.nio.file.Path;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes each {@link Thumbnail}'s PNG into a folder, whole or not at all (a temporary sibling renamed
 * into place), on any Beam filesystem: {@code PCollection<Thumbnail>} in; (source path, written path) pairs
 * and {@link Failure}s (WRITE_FAILED: a name the filesystem refuses, a full disk) out, one of the two per
 * thumbnail.
 *
 * <pre>{@code
 * thumbs.output().apply(ThumbnailFiles.writeTo("/out/images").withInputRoot("/data/chest_xray"));
 * }</pre>
 *
 * <p>With {@link Write#withInputRoot} the folder mirrors the input tree ({@code train/NORMAL/a.jpeg} becomes
 * {@code train/NORMAL/a.png}); without it every thumbnail is named after its file alone, so sources of the
 * same name in different folders would overwrite each other. Counters (namespace {@code ThumbnailFiles}):
 * {@code written}, {@code failures_WRITE_FAILED}.
 */
public final class ThumbnailFiles {
  private ThumbnailFiles() {}

  public static Write writeTo(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("directory must be a folder path or URI, got '" + directory + "'");
    }
    return new AutoValue_ThumbnailFiles_Write(directory.replaceAll("/+$", ""), null);
  }

  /** See {@link ThumbnailFiles}. */
  @AutoValue
  public abstract static class Write
      extends PTransform<PCollection<Thumbnail>, WithFailures.Result<PCollection<KV<String, String>>, Failure>> {
    abstract String directory();

    abstract @Nullable String inputRoot();

    /** Mirrors the input tree below {@code root}; a source outside it fails rather than escaping the folder. */
    public Write withInputRoot(String root) {
      return new AutoValue_ThumbnailFiles_Write(directory(), root.replaceAll("/+$", ""));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("directory", directory())).addIfNotNull(DisplayData.item("inputRoot", inputRoot()));
    }

    @Override
    public WithFailures.Result<PCollection<KV<String, String>>, Failure> expand(PCollection<Thumbnail> thumbs) {
      WriteFn fn = new WriteFn(directory(), inputRoot());
      PCollectionTuple out = thumbs.apply("WritePngs", ParDo.of(fn).withOutputTags(WriteFn.WRITTEN, TupleTagList.of(WriteFn.FAILED)));
      out.get(WriteFn.WRITTEN).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
      out.get(WriteFn.FAILED).setCoder(Failure.FailureCoder.of());
      return WithFailures.Result.of(out, WriteFn.WRITTEN, WriteFn.FAILED);
    }
  }

  /** The name below the folder: the path below the root (or the file's name), its extension made .png. */
  static String nameFor(String source, @Nullable String root) {
    String rel;
    if (root == null) {
      rel = source.substring(source.lastIndexOf('/') + 1);
    } else if (source.startsWith(root + "/")) {
      rel = source.substring(root.length() + 1);
    } else {
      throw new IllegalArgumentException("the source is not below the input root " + root);
    }
    String file = rel.substring(rel.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    String stem = dot > 0 ? rel.substring(0, rel.length() - (file.length() - dot)) : rel;
    return stem + ".png";
  }

  /**
   * Writes {@code t}'s PNG as {@code name} below {@code folder}, whole or not at all: null once written, else
   * the WRITE_FAILED failure to record, naming the file as {@code shownAs} (a name that would leave the
   * folder, one the filesystem refuses, a full disk). For writers that choose their names otherwise.
   */
  public static @Nullable Failure writeBelow(String folder, String name, Thumbnail t, String shownAs) {
    try {
      // No name may leave the folder, whatever the source's path held.
      if (Path.of(name).isAbsolute() || !Path.of("/x", name).normalize().startsWith("/x/")) {
        throw new IllegalArgumentException("the name " + name + " would leave the output folder");
      }
      BeamFiles.writeAtomically(folder + "/" + name, t.encoded());
      return null;
    } catch (BeamFiles.WriteFailedException e) {
      return Failure.of(t.path(), "write", FailureKind.WRITE_FAILED, null, 1, "cannot write " + shownAs + ": " + e.reason());
    } catch (RuntimeException e) {
      return Failure.of(t.path(), "write", FailureKind.WRITE_FAILED, null, 1,
          "cannot write " + shownAs + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  /**
   * Writes one thumbnail's PNG, as {@link ImageThumbnails.Resize#withPngsWrittenBy} calls it in the step that
   * makes the thumbnail: null once written, else the failure (WRITE_FAILED) to record for its file.
   */
  @FunctionalInterface
  public interface PngWriter extends java.io.Serializable {
    @Nullable Failure write(Thumbnail t);
  }

  /**
   * A {@link PngWriter} naming each thumbnail as {@code writeTo(directory)}, with {@code withInputRoot(inputRoot)}
   * when that is not null, does; its counters are this transform's.
   */
  public static PngWriter writer(String directory, @Nullable String inputRoot) {
    Write settings = inputRoot == null ? writeTo(directory) : writeTo(directory).withInputRoot(inputRoot);
    return new Folder(settings.directory(), settings.inputRoot());
  }

  private static final class Folder implements PngWriter {
    private final String directory;
    private final @Nullable String root;
    private final Counter written = Metrics.counter(ThumbnailFiles.class, "written");
    private final Counter failures = Metrics.counter(ThumbnailFiles.class, "failures_" + FailureKind.WRITE_FAILED.name());

    Folder(String directory, @Nullable String root) {
      this.directory = directory;
      this.root = root;
    }

    @Override
    public @Nullable Failure write(Thumbnail t) {
      Failure failed;
      try {
        String name = nameFor(t.path(), root);
        failed = writeBelow(directory, name, t, directory + "/" + name);
      } catch (IllegalArgumentException e) {
        failed = Failure.of(t.path(), "write", FailureKind.WRITE_FAILED, null, 1, "cannot write its thumbnail: " + e.getMessage());
      }
      (failed == null ? written : failures).inc();
      return failed;
    }
  }

  private static final class WriteFn extends DoFn<Thumbnail, KV<String, String>> {
    static final TupleTag<KV<String, String>> WRITTEN = new TupleTag<>("written");
    static final TupleTag<Failure> FAILED = new TupleTag<>("failed");

    private final String directory;
    private final @Nullable String root;
    private final PngWriter writer;

    WriteFn(String directory, @Nullable String root) {
      this.directory = directory;
      this.root = root;
      this.writer = new Folder(directory, root);
    }

    @ProcessElement
    public void process(@Element Thumbnail t, MultiOutputReceiver out) {
      Failure failed = writer.write(t);
      if (failed != null) {
        out.get(FAILED).output(failed);
      } else {
        out.get(WRITTEN).output(KV.of(t.path(), directory + "/" + nameFor(t.path(), root)));
      }
    }
  }
}
