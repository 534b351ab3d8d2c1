package dev.speedup.jobs.images;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import dev.speedup.jobs.cli.ModeOptions;
import dev.speedup.jobs.cli.OutcomeOptions;

/** Flags of {@code images}; Beam's runner flags come on top. */
public interface ImagesOptions extends ModeOptions, OutcomeOptions {
  @Description("A local folder (every file below it; directory links followed once per real directory), a file, or a glob"
      + " such as data/**/*.jpeg. Absent: generate the X-ray-like fixture corpus once (cached under target/xray-corpus) and use it")
  String getInput();

  void setInput(String value);

  @Description("Output folder, outside the input: images/, manifest.csv, failures.jsonl, summary.json (and images.npy,"
      + " labels.csv), replacing an earlier run's; locked while a run writes it, marked INCOMPLETE until it ends; default: target/images")
  // No @Default: Beam's options registry is JVM-wide and each command has its own default.
  String getOutput();

  void setOutput(String value);

  @Description("Thumbnail width in pixels (1..4096)")
  @Default.Integer(64)
  int getWidth();

  void setWidth(int value);

  @Description("Thumbnail height in pixels (1..4096)")
  @Default.Integer(64)
  int getHeight();

  void setHeight(int value);

  @Description("stretch (exact size, as the talk), contain (fit inside, black bars) or cover (fill, crop)")
  @Default.String("stretch")
  String getFit();

  void setFit(String value);

  @Description("gray (as the talk's data) or rgb")
  @Default.String("gray")
  String getColor();

  void setColor(String value);

  @Description("Sources whose header declares more pixels fail as TOO_MANY_PIXELS before decoding")
  @Default.Long(100_000_000L)
  long getMaxPixels();

  void setMaxPixels(long value);

  @Description("Also write images.npy (uint8, N x H x W, manifest order; N x H x W x 3 for rgb) and labels.csv")
  @Default.Boolean(false)
  boolean getNpy();

  void setNpy(boolean value);

  @Description("Generated corpus only (no --input): how many images")
  @Default.Integer(1000)
  int getCorpusCount();

  void setCorpusCount(int value);

  @Description("Generated corpus only (no --input): the seed")
  @Default.Long(42)
  long getCorpusSeed();

  void setCorpusSeed(long value);
}
