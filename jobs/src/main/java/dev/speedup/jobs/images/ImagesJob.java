package dev.speedup.jobs.images;

import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.ExitCode;
import dev.speedup.jobs.cli.Help;
import dev.speedup.jobs.cli.MaxFailures;
import dev.speedup.jobs.cli.PipelineRun;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.output.Accounting;
import dev.speedup.jobs.output.JobMetrics;
import dev.speedup.jobs.output.RunSummary;
import dev.speedup.jobs.output.OutputLock;
import dev.speedup.jobs.output.SortedTextFile;
import dev.speedup.transforms.CreateAsOneBundle;
import dev.speedup.transforms.SpreadInGroups;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.images.ImageThumbnails;
import dev.speedup.transforms.images.Thumbnail;
import dev.speedup.transforms.images.Thumbnailer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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

  private ImagesJob() {}

  public static String help() {
    return Help.of(
        "images",
        "Resizes every image under --input to --width x --height (64x64 gray by default, as the talk), writing PNGs\n"
            + "that mirror the input tree and a manifest. Without --input it generates the X-ray-like fixture corpus.",
        ImagesOptions.class,
        "Beam runner flags apply too. Modes: @run-configs/sequential.args, @run-configs/threads.args,\n"
            + "@run-configs/flink-local.args (Flink embedded), @run-configs/flink-cluster.args (a Flink cluster;\n"
            + "start the local one with run-configs/flink-cluster/start). A flag after the file overrides it.\n"
            + "Without a mode file or --runner, images runs the DirectRunner at its own default parallelism (the larger of the cores and\n"
            + "3 threads), one file per worker: threads mode with fewer threads.\n\n"
            + ExitCode.HELP);
  }

  /** Validated settings. */
  record Settings(InputListing.Source source, Path output, Thumbnailer.Settings thumbnail, boolean npy, MaxFailures maxFailures) {
    Path root() {
      return source.root();
    }
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    List<String> flags = Args.lastWins(Args.expand(args));
    ImagesOptions options = Args.parse(flags, ImagesOptions.class, "images");
    Thumbnailer.Settings thumb = thumbnailSettings(options);
    MaxFailures maxFailures = MaxFailures.parse("maxFailures", options.getMaxFailures());
    if (options.getMaxInFlight() > 1) {
      err.println("images: note: --maxInFlight=" + options.getMaxInFlight() + " applies to I/O workloads; decoding images is"
          + " CPU-bound and each worker thread takes one file at a time");
    }
    String outputFlag = options.getOutput() == null ? "target/images" : options.getOutput();
    Path output = UsageException.path("output", outputFlag).toAbsolutePath().normalize();
    InputListing.Source source;
    if (options.getInput() == null || options.getInput().isBlank()) {
      source = InputListing.resolve(ensureCorpus(options.getCorpusCount(), options.getCorpusSeed(), err).toString());
    } else {
      source = InputListing.resolve(options.getInput());
    }
    OutputFolder.check(output, outputFlag, source.root());
    Settings s = new Settings(source, output, thumb, options.getNpy(), maxFailures);
    PipelineRun.Plan plan = PipelineRun.prepare(options, flags);
    try (OutputLock lock = OutputLock.take(output, "output", "images")) {
      int cleared = OutputFolder.clearEarlierRun(output);
      if (cleared > 0) {
        err.printf("images: removed %d file(s) of an earlier run in %s%n", cleared, output);
      }
      int status = runLocked(s, options, flags, plan, out, err);
      if (status == ExitCode.OK || status == ExitCode.SOME_FAILED) {
        // Every input is accounted for: the outputs are complete, whatever failed.
        lock.finished();
      }
      return status;
    }
  }

  private static int runLocked(Settings s, ImagesOptions options, List<String> flags, PipelineRun.Plan plan, PrintStream out,
      PrintStream err) throws IOException {
    InputListing.Listed inputs = InputListing.list(s.source());
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, s, inputs, plan.spreadKeys(8));
    String label = String.format(Locale.ROOT, "images [%s, %d workers]", options.getRunner().getSimpleName(), plan.workers());
    long total = inputs.inputs();
    long before = ImageThumbnails.filesFinishedInThisJvm();
    PipelineRun.Outcome run =
        PipelineRun.run(
            pipeline,
            plan,
            m -> {
              // Per file where the workers share this JVM; committed bundles' counters otherwise (a cluster).
              long local = ImageThumbnails.filesFinishedInThisJvm() - before;
              long committed = m.counter(ImageThumbnails.class.getName(), "thumbnails") + m.sumWithPrefix(ImageThumbnails.class.getName(), "failures_");
              // Failed: in reading or decoding, and in writing the thumbnail (a full disk).
              long failed = m.sumWithPrefix(ImageThumbnails.class.getName(), "failures_") + m.sumWithPrefix(ThumbnailWriters.NS, "failures_");
              return String.format(Locale.ROOT, "%d of %d files done, %d failed", Math.max(local, committed), total, failed);
            },
            label,
            err);
    if (!run.completed("images", s.output(), err)) {
      return ExitCode.JOB_FAILED;
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

  /** True for the junk archives carry (macOS folder metadata, AppleDouble files): never inputs. */
  public static boolean isJunk(String relative) {
    return InputListing.isJunk(relative);
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

  static void build(Pipeline pipeline, Settings s, InputListing.Listed inputs, int buckets) {
    String root = s.root().toString();
    // A few large bundles rather than one per file: per-bundle costs dominate otherwise (measured: 1000
    // files took 16 s through single-file bundles on the DirectRunner, against 2.4 s of decoding). Each
    // key's group becomes a bundle on the DirectRunner, provided the list leaves as one bundle
    // (CreateAsOneBundle: from a plain Create.of the groups came in pieces). The files are dealt into
    // buckets of equal total bytes, eight per worker: on real files the cost of a byte differs by format
    // (a WebP or PNG byte costs several times a shrunk-on-load JPEG byte), and a worker done with its
    // buckets takes the next one left, so the workers end together (docs/benchmarks.md).
    // Flink gets many keys: PipelineRun.Plan#spreadKeys.
    String dir = s.output().toString();
    WithFailures.Result<PCollection<Thumbnail>, Failure> result =
        pipeline
            .apply("Files", CreateAsOneBundle.of(Buckets.bySize(inputs.files(), buckets), KvCoder.of(VarIntCoder.of(), MetadataCoderV2.of())))
            .apply("Spread", SpreadInGroups.byKey())
            .apply("Read", FileIO.readMatches().withCompression(Compression.UNCOMPRESSED))
            .apply("Thumbnails",
                ImageThumbnails.resize()
                    .withSize(s.thumbnail().width(), s.thumbnail().height())
                    .withFit(s.thumbnail().fit())
                    .withColor(s.thumbnail().color())
                    .withMaxPixels(s.thumbnail().maxPixels())
                    // Written as they are made: the DirectRunner runs a later step's bundles after every earlier
                    // one queued, so thumbnails written by a step of their own were all held at once (30,000
                    // files needed more than a 128 MB heap). Pixels go on only for images.npy.
                    .withPngsWrittenBy(new ThumbnailWriters.PngFiles(root, dir, inputs.renamed()), s.npy()));
    PCollection<Thumbnail> thumbs = result.output();
    thumbs.apply("WriteManifest", SortedTextFile.to(dir + "/" + MANIFEST, MANIFEST_HEADER, new ThumbnailWriters.ManifestLine(root, inputs.renamed())));
    List<Failure> unnamed = new ArrayList<>();
    for (String path : inputs.unnamed()) {
      unnamed.add(Failure.of(path, "list", FailureKind.UNREADABLE, null, 1, InputListing.unnamedReason()));
    }
    PCollection<Failure> unopened = pipeline.apply("UnnamedFiles", CreateAsOneBundle.of(unnamed, Failure.FailureCoder.of()));
    PCollectionList.of(result.failures())
        .and(unopened)
        .apply("AllFailures", Flatten.pCollections())
        .apply("WriteFailures", SortedTextFile.to(dir + "/" + FAILURES, null, new ThumbnailWriters.FailureLine(root)));
    if (s.npy()) {
      thumbs
          .apply("Pixels", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(byte[].class)))
              .via(t -> KV.of(InputListing.relative(root, t.path()), t.pixels())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
          .apply("GatherPixels", Combine.globally(new ThumbnailWriters.GatherPixels()))
          .apply("WriteNpy", ParDo.of(new ThumbnailWriters.WriteNpyFn(dir, s.thumbnail())));
    }
  }

  private static int summarize(Settings s, InputListing.Listed listed, PipelineRun.Outcome run, PrintStream out, PrintStream err) throws IOException {
    JobMetrics m = run.metrics();
    String ns = ImageThumbnails.class.getName();
    long inputs = m.counter(ns, "files") + listed.unnamed().size();
    long succeeded = m.counter(ThumbnailWriters.NS, "pngs_written");
    long failed = m.counter("output", "lines_" + FAILURES);
    long manifest = m.counter("output", "lines_" + MANIFEST);
    Map<String, Long> byKind = new java.util.TreeMap<>(m.countersWithPrefix(ns, "failures_"));
    m.countersWithPrefix(ThumbnailWriters.NS, "failures_").forEach((k, v) -> byKind.merge(k, v, Long::sum));
    if (!listed.unnamed().isEmpty()) {
      byKind.merge(FailureKind.UNREADABLE.name(), (long) listed.unnamed().size(), Long::sum);
    }
    Accounting accounting = new Accounting("images", inputs, succeeded, failed, byKind);
    boolean reconciled = accounting.reconciled() && manifest == succeeded;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("manifestRows", manifest);
    details.put("skippedJunk", listed.skipped().getOrDefault("junk", 0));
    details.put("skipped", listed.skipped());
    details.put("reducedOnLoad", m.counter(ns, "reduced_on_load"));
    details.put("bytesRead", m.counter(ns, "bytes_read"));
    details.put("input", s.root().toString());
    details.put("width", s.thumbnail().width());
    details.put("height", s.thumbnail().height());
    details.put("fit", s.thumbnail().fit().name().toLowerCase(Locale.ROOT));
    details.put("color", s.thumbnail().color().name().toLowerCase(Locale.ROOT));
    details.put("npy", s.npy());
    details.put("maxFailures", s.maxFailures().toString());
    RunSummary.of(accounting, reconciled, run, null, details).write(s.output().resolve(SUMMARY));
    out.printf(Locale.ROOT,
        "Resized %d images from %s in %.2f s wall (%.2f s pipeline, %.2f s start-up) on %s with %d worker(s): %d succeeded"
            + " (%d reduced on load), %d failed%s, %d skipped%s; thumbnails in %s, manifest in %s, summary in %s.%n",
        inputs, s.root(), run.wallSeconds(), run.pipelineSeconds(), run.startupSeconds(), run.runner(), run.workers(),
        succeeded, m.counter(ns, "reduced_on_load"), failed, accounting.kindsInBrackets(), listed.skippedCount(),
        listed.skipped().isEmpty() ? "" : " " + listed.skipped().toString().replace("=", " "), s.output().resolve("images"),
        s.output().resolve(MANIFEST), s.output().resolve(SUMMARY));
    if (!reconciled) {
      err.println(accounting.mismatch() + " (manifest rows: " + manifest + ")");
      return ExitCode.JOB_FAILED;
    }
    int code = s.maxFailures().exitCode(failed, inputs);
    if (code != ExitCode.OK) {
      err.printf(Locale.ROOT, "images: %d of %d files failed, more than --maxFailures=%s allows (exit %d; see %s)%n",
          failed, inputs, s.maxFailures(), code, s.output().resolve(FAILURES));
    }
    return code;
  }
}
