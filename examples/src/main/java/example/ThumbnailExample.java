package example;

import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.images.ImageThumbnails;
import dev.speedup.transforms.images.Thumbnail;
import dev.speedup.transforms.images.ThumbnailFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/** 64x64 thumbnails: {@code ThumbnailExample OUTPUT_DIR [INPUT_GLOB]} (no glob: 50 generated X-ray-like JPEGs). */
public class ThumbnailExample {
  public static void main(String[] args) throws Exception {
    String input = args.length > 1 ? args[1] : null;
    if (input == null) {
      Path corpus = Files.createDirectories(Path.of(args[0], "corpus"));
      XrayCorpus.write(corpus, 50, 42, done -> { });
      input = corpus + "/chest_xray/**.jpeg";
    }
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2").create());
    WithFailures.Result<PCollection<Thumbnail>, Failure> thumbs =
        pipeline
            .apply(FileIO.match().filepattern(input))
            .apply(FileIO.readMatches())
            .apply(ImageThumbnails.resize().withSize(64, 64));
    // Each thumbnail's PNG into images/, and a manifest line (source, PNG) for each one written.
    WithFailures.Result<PCollection<KV<String, String>>, Failure> written =
        thumbs.output().apply(ThumbnailFiles.writeTo(args[0] + "/images"));
    written.output()
        .apply(MapElements.into(TypeDescriptors.strings()).via(kv -> kv.getKey() + "," + kv.getValue()))
        .apply(TextIO.write().to(args[0] + "/manifest").withSuffix(".csv").withoutSharding());
    PCollectionList.of(thumbs.failures()).and(written.failures()).apply(Flatten.pCollections())
        .apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + "," + f.kind() + "," + f.message()))
        .apply(TextIO.write().to(args[0] + "/failures").withSuffix(".csv").withoutSharding());
    pipeline.run().waitUntilFinish();
  }
}
