package dev.speedup.jobs.output;

import dev.speedup.transforms.BeamFiles;
import dev.speedup.transforms.CreateAsOneBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SerializableFunctions;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes one line per element to one file, sorted, with an optional header, atomically: the lines go to a
 * temporary file beside the target, which is then renamed over it, so a reader never sees a half-written file.
 * The file is written even when there are no lines. Sorting makes the file the same byte for byte whatever
 * runner, parallelism or bundle order produced the lines.
 *
 * <p>The element's line is made in the step that keys it for the gathering, and the lines meet through a plain
 * {@code GroupByKey} (not {@code Combine.globally}): on the DirectRunner each step costs a translation of its
 * DoFn per bundle, and a step of its own for the lines, plus the combine's keying and partial-combining steps,
 * was three per bundle of the input (docs/benchmarks.md). One marker element makes the group fire when there
 * are no lines.
 *
 * <p>All lines meet on one worker: meant for result tables (thousands to a few million lines).
 * Counter {@code output/lines_<file name>} counts the lines written.
 */
public final class SortedTextFile<T> extends PTransform<PCollection<T>, PCollection<String>> {
  private final String path;
  private final @Nullable String header;
  private final SerializableFunction<T, String> line;

  private SortedTextFile(String path, @Nullable String header, SerializableFunction<T, String> line) {
    this.path = path;
    this.header = header;
    this.line = line;
  }

  /** Lines as they are. {@code path}: a local path or any Beam filesystem URI; {@code header}: a first line, or null. */
  public static SortedTextFile<String> to(String path, @Nullable String header) {
    return new SortedTextFile<>(path, header, SerializableFunctions.identity());
  }

  /** Each element's line made by {@code line} (never null). */
  public static <T> SortedTextFile<T> to(String path, @Nullable String header, SerializableFunction<T, String> line) {
    return new SortedTextFile<>(path, header, line);
  }

  @Override
  public PCollection<String> expand(PCollection<T> elements) {
    // One file from the whole input: the lines meet in the global window, where the marker is.
    if (!(elements.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("SortedTextFile writes one file from all of its input: window it into the global"
          + " window first (it is windowed by " + elements.getWindowingStrategy().getWindowFn().getClass().getSimpleName() + ")");
    }
    KvCoder<Void, @Nullable String> coder = KvCoder.of(VoidCoder.of(), NullableCoder.of(StringUtf8Coder.of()));
    PCollection<KV<Void, @Nullable String>> lines = elements.apply("Lines", ParDo.of(new LineFn<>(line))).setCoder(coder);
    PCollection<KV<Void, @Nullable String>> marker =
        elements.getPipeline().apply("Marker", CreateAsOneBundle.of(List.of(KV.<Void, @Nullable String>of(null, null)), coder));
    return PCollectionList.of(lines).and(marker)
        .apply("WithMarker", Flatten.pCollections())
        .apply("Gather", GroupByKey.create())
        .apply("SortAndWrite", ParDo.of(new WriteFn(path, header)))
        .setCoder(StringUtf8Coder.of());
  }

  /** An element's line, under the one key every line is gathered by. */
  private static final class LineFn<T> extends DoFn<T, KV<Void, @Nullable String>> {
    private final SerializableFunction<T, String> line;

    LineFn(SerializableFunction<T, String> line) {
      this.line = line;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Void, @Nullable String>> out) {
      out.output(KV.of(null, line.apply(element)));
    }
  }

  /** Sorts the lines (the marker left out), writes them to a temporary file, renames it into place; outputs the path. */
  static final class WriteFn extends DoFn<KV<Void, Iterable<@Nullable String>>, String> {
    private final String path;
    private final @Nullable String header;
    private final Counter written;

    WriteFn(String path, @Nullable String header) {
      this.path = path;
      this.header = header;
      String name = path.substring(path.lastIndexOf('/') + 1);
      this.written = Metrics.counter("output", "lines_" + name);
    }

    @ProcessElement
    public void process(@Element KV<Void, Iterable<@Nullable String>> gathered, OutputReceiver<String> out) throws IOException {
      List<String> sorted = new ArrayList<>();
      for (String line : gathered.getValue()) {
        if (line != null) {
          sorted.add(line);
        }
      }
      Collections.sort(sorted);
      BeamFiles.writeAtomically(
          path,
          os -> {
            StringBuilder chunk = new StringBuilder(1 << 16);
            if (header != null) {
              chunk.append(header).append('\n');
            }
            for (String line : sorted) {
              chunk.append(line).append('\n');
              if (chunk.length() > (1 << 16)) {
                os.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                chunk.setLength(0);
              }
            }
            os.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
          });
      written.inc(sorted.size());
      out.output(path);
    }
  }
}
