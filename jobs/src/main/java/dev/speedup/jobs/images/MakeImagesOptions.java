package dev.speedup.jobs.images;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Flags of {@code make-images}. */
public interface MakeImagesOptions extends PipelineOptions {
  @Description("Folder to write chest_xray/{train,test,val}/{NORMAL,PNEUMONIA}/ into (default: target/xray-corpus/custom)")
  // No @Default: Beam's options registry is JVM-wide and each command has its own default.
  String getOutput();

  void setOutput(String value);

  @Description("How many images (1..1000000)")
  @Default.Integer(1000)
  int getCount();

  void setCount(int value);

  @Description("Seed: the same count and seed give the same files, byte for byte")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);
}
