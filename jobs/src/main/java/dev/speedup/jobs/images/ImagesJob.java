package dev.speedup.jobs.images;

import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.Help;
import dev.speedup.jobs.cli.PipelineRun;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.output.Accounting;
import dev.speedup.jobs.output.BeamFiles;
import dev.speedup.jobs.output.Csv;
import dev.speedup.jobs.output.JobMetrics;
import dev.speedup.jobs.output.RunSummary;
import dev.speedup.jobs.output.Json;
import dev.speedup.jobs.output.SortedTextFile;
import dev.speedup.transforms.CreateAsOneBundle;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.images.ImageThumbnails;
import dev.speedup.transforms.images.Thumbnail;
import dev.speedup.transforms.images.Thumbnailer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code images}: the image workload. Every file under {@code --input} to a small PNG mirroring the input
 * tree, with {@code manifest.csv}, {@code failures.jsonl}, {@code summary.json} and, with {@code --npy},
 * {@code images.npy} and {@code labels.csv}. The same transforms run under every mode.
 */
public final class ImagesJob {
  public static final String MANIFEST = "manifest.csv";
  public static final String FAILURES = "failures.jsonl";
  public static final String SUMMARY = "summary.json";
  public static final String NPY = "images.npy";
  public static final String LABELS = "labels.csv";
  public static final String MANIFEST_HEADER = "path,split,label,width,height,channels,bits,bytes,output";
  private static final String NS = "ImagesJob";

  private ImagesJob() {}

  public static String help() {
    return Help.of(
        "images",
        "Resizes every image under --input to --width x --height (64x64 gray by default, as the talk), writing PNGs\n"
            + "that mirror the input tree and a manifest. Without --input it generates the X-ray-like fixture corpus.",
        ImagesOptions.class,
        "Beam runner flags apply too. Modes: @run-configs/sequential.args, @run-configs/threads.args,\n"
            + "@run-configs/flink-local.args (Flink embedded), @run-configs/flink-cluster.args (a Flink cluster;\n"
            + "start the local one with run-configs/flink-cluster/start). A flag after the file overrides it.");
  }

  /** Validated settings. */
  record Settings(String pattern, Path root, Path output, Thumbnailer.Settings thumbnail, boolean npy) {}

  public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    List<String> flags = Args.lastWins(Args.expand(args));
    ImagesOptions options = Args.parse(flags, ImagesOptions.class, "images");
    Thumbnailer.Settings thumb = thumbnailSettings(options);
    if (options.getMaxInFlight() > 1) {
      err.println("images: note: --maxInFlight=" + options.getMaxInFlight() + " applies to I/O workloads; decoding images is"
          + " CPU-bound and each worker thread takes one file at a time");
    }
    String outputFlag = options.getOutput() == null ? "target/images" : options.getOutput();
    Path output = Path.of(outputFlag).toAbsolutePath().normalize();
    Path root;
    String pattern;
    if (options.getInput() == null || options.getInput().isBlank()) {
      root = ensureCorpus(options.getCorpusCount(), options.getCorpusSeed(), err);
      pattern = root + "/**";
    } else {
      String input = options.getInput().trim();
      Path asPath = Path.of(input).toAbsolutePath().normalize();
      if (Files.isDirectory(asPath)) {
        root = asPath;
        pattern = asPath + "/**";
      } else if (input.contains("*") || input.contains("?") || input.contains("[")) {
        root = globRoot(input);
        pattern = input.startsWith("/") ? input : Path.of("").toAbsolutePath() + "/" + input;
      } else if (Files.isRegularFile(asPath)) {
        root = asPath.getParent();
        pattern = asPath.toString();
      } else {
        throw UsageException.badValue("input", input, "an existing folder, a file, or a glob such as data/**/*.jpeg");
      }
    }
    if (output.startsWith(root) && !output.equals(root)) {
      // Thumbnails written inside the input tree would be read back as inputs by the next run.
      throw UsageException.badValue("output", outputFlag, "a folder outside the input folder " + root);
    }
    Settings s = new Settings(pattern, root, output, thumb, options.getNpy());
    PipelineRun.Plan plan = PipelineRun.prepare(options, flags);
    int workers = plan.workers();
    Files.createDirectories(output);

    Inputs inputs = inputs(s);
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, s, inputs, plan.spreadKeys(2));
    String label = String.format(Locale.ROOT, "images [%s, %d workers]", options.getRunner().getSimpleName(), workers);
    PipelineRun.Outcome run =
        PipelineRun.run(
            pipeline,
            plan,
            m -> String.format(Locale.ROOT, "%d images done, %d failed",
                m.counter(ImageThumbnails.class.getName(), "thumbnails"),
                m.sumWithPrefix(ImageThumbnails.class.getName(), "failures_")),
            label,
            err);
    if (!run.completed("images", s.output(), err)) {
      return 1;
    }
    return summarize(s, inputs, run, out, err);
  }

  static Thumbnailer.Settings thumbnailSettings(ImagesOptions o) {
    if (o.getWidth() < 1 || o.getWidth() > 4096) {
      throw UsageException.badValue("width", o.getWidth(), "1..4096");
    }
    if (o.getHeight() < 1 || o.getHeight() > 4096) {
      throw UsageException.badValue("height", o.getHeight(), "1..4096");
    }
    if (o.getMaxPixels() < 1 || o.getMaxPixels() > 10_000_000_000L) {
      throw UsageException.badValue("maxPixels", o.getMaxPixels(), "1..10000000000");
    }
    if (o.getCorpusCount() < 1 || o.getCorpusCount() > 1_000_000) {
      throw UsageException.badValue("corpusCount", o.getCorpusCount(), "1..1000000");
    }
    Thumbnailer.Fit fit;
    Thumbnailer.Color color;
    try {
      fit = Thumbnailer.Fit.valueOf(o.getFit().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue("fit", o.getFit(), "stretch, contain or cover");
    }
    try {
      color = Thumbnailer.Color.valueOf(o.getColor().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue("color", o.getColor(), "gray or rgb");
    }
    return new Thumbnailer.Settings(o.getWidth(), o.getHeight(), fit, color, o.getMaxPixels());
  }

  /** The folder part of a glob, before its first wildcard. */
  static Path globRoot(String glob) {
    int wild = glob.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int i = glob.indexOf(c);
      if (i >= 0) {
        wild = Math.min(wild, i);
      }
    }
    String prefix = glob.substring(0, wild);
    int slash = prefix.lastIndexOf('/');
    return Path.of(slash < 0 ? "." : prefix.substring(0, Math.max(1, slash))).toAbsolutePath().normalize();
  }

  /** The generated corpus for (count, seed), written once under target/ and reused. */
  public static Path ensureCorpus(int count, long seed, PrintStream err) throws IOException {
    Path dir = Path.of("target", "xray-corpus", "n" + count + "-seed" + seed).toAbsolutePath();
    Path done = dir.resolve(".complete");
    if (Files.exists(done)) {
      return dir;
    }
    err.printf("images: generating the fixture corpus (%d images) in %s%n", count, dir);
    MakeImages.writeCorpus(dir, count, seed, "images", err);
    Files.writeString(done, "count=" + count + "\nseed=" + seed + "\n");
    return dir;
  }

  /** True for the junk archives carry: macOS folder metadata and AppleDouble files. */
  public static boolean isJunk(String relative) {
    String name = relative.substring(relative.lastIndexOf('/') + 1);
    return name.equals(".DS_Store") || name.startsWith("._") || relative.startsWith("__MACOSX/")
        || relative.contains("/__MACOSX/") || name.equals("Thumbs.db") || name.equals(".complete");
  }

  static String relative(String root, String path) {
    String prefix = root.endsWith("/") ? root : root + "/";
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path.substring(path.lastIndexOf('/') + 1);
  }

  /** The inputs to resize: every listed file but archive junk, with where each thumbnail goes. */
  record Inputs(List<MatchResult.Metadata> files, Map<String, String> renamed, int skippedJunk) {}

  /**
   * Lists the input files once, leaves out archive junk, and names every output up front from the paths
   * alone: inputs sharing a candidate name ({@code x.jpeg}, {@code x.png}) are told apart here, so each
   * thumbnail can be written the moment it is made, with no grouping step. Only the inputs whose name
   * differs from their candidate are kept in {@code renamed}.
   */
  static Inputs inputs(Settings s) {
    String root = s.root().toString();
    List<MatchResult.Metadata> files = new ArrayList<>();
    List<String> relatives = new ArrayList<>();
    int junk = 0;
    for (MatchResult.Metadata m : match(s.pattern())) {
      String rel = relative(root, m.resourceId().toString());
      if (isJunk(rel)) {
        junk++;
      } else {
        files.add(m);
        relatives.add(rel);
      }
    }
    Map<String, String> renamed = new java.util.TreeMap<>();
    OutputNames.assign(relatives).forEach((rel, name) -> {
      if (!name.equals(OutputNames.candidate(rel))) {
        renamed.put(rel, name);
      }
    });
    return new Inputs(files, renamed, junk);
  }

  static void build(Pipeline pipeline, Settings s, Inputs inputs, int buckets) {
    String root = s.root().toString();
    // A few large bundles rather than one per file: per-bundle costs dominate otherwise (measured: 1000
    // files took 16 s through single-file bundles on the DirectRunner, against 2.4 s of decoding). Each
    // key's group becomes a bundle on the DirectRunner, provided the list leaves as one bundle
    // (CreateAsOneBundle: from a plain Create.of the groups came in pieces, and the pipeline part of 1000
    // files on 2 workers took 2.63 s against 1.69 s, medians of 7). Decoding costs about in proportion to
    // file size, so the files are dealt into buckets of equal total bytes. Two per worker, so a bucket
    // slowed by costlier files (ImageIO's full decode) still leaves the other worker one to take; on the
    // generated corpus one, two or four per worker measure the same (3.9 s whole-process, medians of 6).
    // Flink gets many keys: PipelineRun.Plan#spreadKeys.
    String dir = s.output().toString();
    WithFailures.Result<PCollection<Thumbnail>, Failure> result =
        pipeline
            .apply("Files", CreateAsOneBundle.of(bucketed(inputs.files(), buckets), KvCoder.of(VarIntCoder.of(), MetadataCoderV2.of())))
            .apply("Spread", Reshuffle.of())
            .apply("Unkey", Values.create())
            .apply("Read", FileIO.readMatches().withCompression(Compression.UNCOMPRESSED))
            .apply("Thumbnails",
                ImageThumbnails.resize()
                    .withSize(s.thumbnail().width(), s.thumbnail().height())
                    .withFit(s.thumbnail().fit())
                    .withColor(s.thumbnail().color())
                    .withMaxPixels(s.thumbnail().maxPixels()));
    PCollection<Thumbnail> thumbs = result.output();
    thumbs
        .apply("WritePngs", ParDo.of(new WritePngFn(root, dir, inputs.renamed())))
        .apply("WriteManifest", SortedTextFile.to(dir + "/" + MANIFEST, MANIFEST_HEADER));
    result
        .failures()
        .apply("NameFailures", MapElements.into(TypeDescriptors.strings()).via(f -> Json.failureLine(f.withInput(relative(root, f.input())))))
        .apply("WriteFailures", SortedTextFile.to(dir + "/" + FAILURES, null));
    if (s.npy()) {
      thumbs
          .apply("Pixels", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(byte[].class)))
              .via(t -> KV.of(relative(root, t.path()), t.pixels())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
          .apply("GatherPixels", Combine.globally(new GatherPixels()))
          .apply("WriteNpy", ParDo.of(new WriteNpyFn(dir, s.thumbnail())));
    }
  }

  /**
   * Each file keyed by its bucket: largest first, each into the bucket with the fewest bytes so far (so
   * bucket totals differ by at most about one file). Deterministic: ties go to the lower bucket.
   */
  static List<KV<Integer, MatchResult.Metadata>> bucketed(List<MatchResult.Metadata> files, int buckets) {
    int n = Math.max(1, buckets);
    Integer[] order = new Integer[files.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> -files.get(i).sizeBytes()).thenComparing(i -> i));
    long[] load = new long[n];
    int[] bucketOf = new int[files.size()];
    for (int i : order) {
      int lightest = 0;
      for (int b = 1; b < n; b++) {
        if (load[b] < load[lightest]) {
          lightest = b;
        }
      }
      bucketOf[i] = lightest;
      load[lightest] += Math.max(1, files.get(i).sizeBytes());
    }
    List<KV<Integer, MatchResult.Metadata>> keyed = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      keyed.add(KV.of(bucketOf[i], files.get(i)));
    }
    return keyed;
  }

  /**
   * The files the pattern names, listed once when the pipeline is built, through Beam's filesystems (any
   * of them: local, GCS, S3...). {@code FileIO.match()} would list them inside the pipeline and then
   * redistribute them one file per bundle, which costs more than small files take to decode.
   */
  static List<MatchResult.Metadata> match(String pattern) {
    try {
      MatchResult result = FileSystems.match(pattern, org.apache.beam.sdk.io.fs.EmptyMatchTreatment.ALLOW);
      List<MatchResult.Metadata> files = new ArrayList<>();
      for (MatchResult.Metadata m : result.metadata()) {
        if (!m.resourceId().isDirectory()) {
          files.add(m);
        }
      }
      files.sort(Comparator.comparing(m -> m.resourceId().toString()));
      return files;
    } catch (IOException e) {
      throw new UsageException("cannot list " + pattern + ": " + e.getMessage(), e);
    }
  }

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

  /** Writes each thumbnail, atomically, under images/ by the name chosen up front; emits its manifest line. */
  static final class WritePngFn extends DoFn<Thumbnail, String> {
    private final String root;
    private final String dir;
    private final Map<String, String> renamed;
    private final Counter written = Metrics.counter(NS, "pngs_written");

    WritePngFn(String root, String dir, Map<String, String> renamed) {
      this.root = root;
      this.dir = dir;
      this.renamed = renamed;
    }

    @ProcessElement
    public void process(@Element Thumbnail t, OutputReceiver<String> out) throws IOException {
      String rel = relative(root, t.path());
      String name = renamed.getOrDefault(rel, OutputNames.candidate(rel));
      String target = dir + "/images/" + name;
      // The name is sanitised; this guards the guarantee itself.
      if (!Path.of(target).normalize().startsWith(Path.of(dir, "images"))) {
        throw new IllegalStateException("output name escapes the output folder: " + name);
      }
      BeamFiles.writeAtomically(target, t.encoded());
      written.inc();
      String[] sl = splitAndLabel(rel);
      out.output(String.join(",", Csv.field(rel), Csv.field(sl[0]), Csv.field(sl[1]), Integer.toString(t.sourceWidth()),
          Integer.toString(t.sourceHeight()), Integer.toString(t.sourceChannels()), Integer.toString(t.sourceBits()),
          Long.toString(t.bytes()), Csv.field("images/" + name)));
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
      BeamFiles.writeAtomically(dir + "/" + NPY, npy);
      BeamFiles.writeAtomically(dir + "/" + LABELS, labels.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static int summarize(Settings s, Inputs listed, PipelineRun.Outcome run, PrintStream out, PrintStream err) throws IOException {
    JobMetrics m = run.metrics();
    String ns = ImageThumbnails.class.getName();
    long inputs = m.counter(ns, "files");
    long succeeded = m.counter(ns, "thumbnails");
    long failed = m.counter("output", "lines_" + FAILURES);
    long manifest = m.counter("output", "lines_" + MANIFEST);
    Map<String, Long> byKind = m.countersWithPrefix(ns, "failures_");
    Accounting accounting = new Accounting("images", inputs, succeeded, failed, byKind);
    boolean reconciled = accounting.reconciled() && manifest == succeeded;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("manifestRows", manifest);
    details.put("skippedJunk", listed.skippedJunk());
    details.put("reducedOnLoad", m.counter(ns, "reduced_on_load"));
    details.put("bytesRead", m.counter(ns, "bytes_read"));
    details.put("input", s.root().toString());
    details.put("width", s.thumbnail().width());
    details.put("height", s.thumbnail().height());
    details.put("fit", s.thumbnail().fit().name().toLowerCase(Locale.ROOT));
    details.put("color", s.thumbnail().color().name().toLowerCase(Locale.ROOT));
    details.put("npy", s.npy());
    RunSummary.of(accounting, reconciled, run, null, details).write(s.output().resolve(SUMMARY));
    out.printf(Locale.ROOT,
        "Resized %d images from %s in %.2f s wall (%.2f s pipeline, %.2f s start-up) on %s with %d worker(s): %d succeeded"
            + " (%d reduced on load), %d failed%s, %d junk files skipped; thumbnails in %s, manifest in %s, summary in %s.%n",
        inputs, s.root(), run.wallSeconds(), run.pipelineSeconds(), run.startupSeconds(), run.runner(), run.workers(),
        succeeded, m.counter(ns, "reduced_on_load"), failed, accounting.kindsInBrackets(), listed.skippedJunk(), s.output().resolve("images"),
        s.output().resolve(MANIFEST), s.output().resolve(SUMMARY));
    if (!reconciled) {
      err.println(accounting.mismatch() + " (manifest rows: " + manifest + ")");
      return 1;
    }
    return 0;
  }
}
