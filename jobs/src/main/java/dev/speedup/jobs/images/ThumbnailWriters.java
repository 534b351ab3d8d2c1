package dev.speedup.jobs.images;

import dev.speedup.transforms.BeamFiles;
import dev.speedup.jobs.output.Csv;
import dev.speedup.jobs.output.Json;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.images.Thumbnail;
import dev.speedup.transforms.images.ThumbnailFiles;
import dev.speedup.transforms.images.Thumbnailer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;

/** What {@code images} writes from the pipeline: the thumbnails and their manifest lines, and images.npy with labels.csv. */
final class ThumbnailWriters {
  static final String NS = "ImagesJob";

  private ThumbnailWriters() {}

  /** Label: the folder the file is in; split: the first of train/test/val on its path. */
  static String[] splitAndLabel(String relative) {
    String[] parts = relative.split("/");
    String split = "";
    for (int i = 0; i < parts.length - 1; i++) {
      String p = parts[i].toLowerCase(Locale.ROOT);
      if (p.equals("train") || p.equals("test") || p.equals("val")) {
        split = p;
        break;
      }
    }
    String label = parts.length >= 2 ? parts[parts.length - 2] : "";
    return new String[] {split, label};
  }

  /** Where a thumbnail goes below images/: the name chosen up front when the listing renamed it, else the candidate. */
  static String nameFor(String root, Map<String, String> renamed, String sourcePath) {
    String rel = InputListing.relative(root, sourcePath);
    return renamed.getOrDefault(rel, OutputNames.candidate(rel));
  }

  /**
   * Writes each thumbnail, atomically, under images/ by the name chosen up front, in the step that makes it
   * ({@code ImageThumbnails.Resize#withPngsWrittenBy}); a thumbnail that cannot be written (disk full, a name the
   * filesystem refuses) becomes that file's WRITE_FAILED failure instead of stopping the job.
   */
  static final class PngFiles implements ThumbnailFiles.PngWriter {
    private final String root;
    private final String dir;
    private final Map<String, String> renamed;
    private final Counter written = Metrics.counter(NS, "pngs_written");
    private final Counter writeFailures = Metrics.counter(NS, "failures_" + FailureKind.WRITE_FAILED.name());

    PngFiles(String root, String dir, Map<String, String> renamed) {
      this.root = root;
      this.dir = dir;
      this.renamed = renamed;
    }

    @Override
    public Failure write(Thumbnail t) {
      String name = nameFor(root, renamed, t.path());
      Failure failed = ThumbnailFiles.writeBelow(dir + "/images", name, t, "images/" + name);
      (failed == null ? written : writeFailures).inc();
      return failed;
    }
  }

  /** A written thumbnail's manifest line. */
  static final class ManifestLine implements SerializableFunction<Thumbnail, String> {
    private final String root;
    private final Map<String, String> renamed;

    ManifestLine(String root, Map<String, String> renamed) {
      this.root = root;
      this.renamed = renamed;
    }

    @Override
    public String apply(Thumbnail t) {
      String rel = InputListing.relative(root, t.path());
      String name = nameFor(root, renamed, t.path());
      String[] sl = splitAndLabel(rel);
      return String.join(",", Csv.field(rel), Csv.field(sl[0]), Csv.field(sl[1]), Integer.toString(t.sourceWidth()),
          Integer.toString(t.sourceHeight()), Integer.toString(t.sourceChannels()), Integer.toString(t.sourceBits()),
          Long.toString(t.bytes()), Csv.field("images/" + name));
    }
  }

  /** A failure's line in failures.jsonl, its input named relative to the input root. */
  static final class FailureLine implements SerializableFunction<Failure, String> {
    private final String root;

    FailureLine(String root) {
      this.root = root;
    }

    @Override
    public String apply(Failure f) {
      return Json.failureLine(f.withInput(InputListing.relative(root, f.input())));
    }
  }

  /** Gathers (relative path, pixels) pairs into one list. */
  static final class GatherPixels extends Combine.CombineFn<KV<String, byte[]>, List<KV<String, byte[]>>, List<KV<String, byte[]>>> {
    @Override
    public List<KV<String, byte[]>> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<KV<String, byte[]>> addInput(List<KV<String, byte[]>> acc, KV<String, byte[]> in) {
      acc.add(in);
      return acc;
    }

    @Override
    public List<KV<String, byte[]>> mergeAccumulators(Iterable<List<KV<String, byte[]>>> accs) {
      List<KV<String, byte[]>> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public List<KV<String, byte[]>> extractOutput(List<KV<String, byte[]>> acc) {
      return acc;
    }

    @Override
    public Coder<List<KV<String, byte[]>>> getAccumulatorCoder(CoderRegistry r, Coder<KV<String, byte[]>> in) {
      return ListCoder.of(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
    }

    @Override
    public Coder<List<KV<String, byte[]>>> getDefaultOutputCoder(CoderRegistry r, Coder<KV<String, byte[]>> in) {
      return ListCoder.of(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
    }
  }

  /** images.npy (N x H x W [x 3], manifest order) and labels.csv (index,path,label). */
  static final class WriteNpyFn extends DoFn<List<KV<String, byte[]>>, Void> {
    private final String dir;
    private final Thumbnailer.Settings settings;

    WriteNpyFn(String dir, Thumbnailer.Settings settings) {
      this.dir = dir;
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element List<KV<String, byte[]>> all) throws IOException {
      List<KV<String, byte[]>> sorted = new ArrayList<>(all);
      sorted.sort(Comparator.comparing(KV::getKey));
      int n = sorted.size();
      int c = settings.color() == Thumbnailer.Color.RGB ? 3 : 1;
      byte[] header = c == 1 ? Npy.header(n, settings.height(), settings.width()) : Npy.header(n, settings.height(), settings.width(), 3);
      int each = settings.width() * settings.height() * c;
      byte[] npy = new byte[header.length + n * each];
      System.arraycopy(header, 0, npy, 0, header.length);
      StringBuilder labels = new StringBuilder("index,path,label\n");
      for (int i = 0; i < n; i++) {
        System.arraycopy(sorted.get(i).getValue(), 0, npy, header.length + i * each, each);
        labels.append(i).append(',').append(Csv.field(sorted.get(i).getKey())).append(',').append(Csv.field(splitAndLabel(sorted.get(i).getKey())[1])).append('\n');
      }
      BeamFiles.writeAtomically(dir + "/" + ImagesJob.NPY, npy);
      BeamFiles.writeAtomically(dir + "/" + ImagesJob.LABELS, labels.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
