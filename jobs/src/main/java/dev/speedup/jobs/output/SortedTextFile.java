package dev.speedup.jobs.output;

import dev.speedup.transforms.BeamFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes lines to one file, sorted, with an optional header, atomically: the lines go to a temporary
 * file beside the target, which is then renamed over it, so a reader never sees a half-written file.
 * The file is written even when there are no lines. Sorting makes the file the same byte for byte
 * whatever runner, parallelism or bundle order produced the lines.
 *
 * <p>All lines meet on one worker: meant for result tables (thousands to a few million lines).
 * Counter {@code output/lines_<file name>} counts the lines written.
 */
public final class SortedTextFile extends PTransform<PCollection<String>, PCollection<String>> {
  private final String path;
  private final String header;

  private SortedTextFile(String path, String header) {
    this.path = path;
    this.header = header;
  }

  /** {@code path}: a local path or any Beam filesystem URI; {@code header}: a first line, or null. */
  public static SortedTextFile to(String path, String header) {
    return new SortedTextFile(path, header);
  }

  @Override
  public PCollection<String> expand(PCollection<String> lines) {
    return lines
        .apply("Gather", Combine.globally(new Gather()))
        .apply("SortAndWrite", ParDo.of(new WriteFn(path, header)))
        .setCoder(StringUtf8Coder.of());
  }

  /** Gathers every line into one list (empty when there are none, so the file is still written). */
  public static final class Gather extends Combine.CombineFn<String, List<String>, List<String>> {
    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> acc, String line) {
      acc.add(line);
      return acc;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accs) {
      List<String> all = new ArrayList<>();
      for (List<String> a : accs) {
        all.addAll(a);
      }
      return all;
    }

    @Override
    public List<String> extractOutput(List<String> acc) {
      return acc;
    }

    @Override
    public Coder<List<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }

    @Override
    public Coder<List<String>> getDefaultOutputCoder(CoderRegistry registry, Coder<String> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }
  }

  /** Sorts, writes to a temporary file, renames it into place; outputs the path written. */
  static final class WriteFn extends DoFn<List<String>, String> {
    private final String path;
    private final String header;
    private final Counter written;

    WriteFn(String path, String header) {
      this.path = path;
      this.header = header;
      String name = path.substring(path.lastIndexOf('/') + 1);
      this.written = Metrics.counter("output", "lines_" + name);
    }

    @ProcessElement
    public void process(@Element List<String> lines, OutputReceiver<String> out) throws IOException {
      List<String> sorted = new ArrayList<>(lines);
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
