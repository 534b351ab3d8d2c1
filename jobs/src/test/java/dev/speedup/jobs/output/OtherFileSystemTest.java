package dev.speedup.jobs.output;

import static org.junit.Assert.assertEquals;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.images.ImageThumbnails;
import dev.speedup.transforms.images.ThumbnailFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The writers a user's pipeline reuses, on a Beam filesystem other than the local one ({@link MemoryFileSystem},
 * {@code mem://}): whole files under their URIs, no temporary siblings left, a failed write a failure.
 */
public class OtherFileSystemTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  @Before
  public void emptyStore() {
    MemoryFileSystem.clear();
  }

  @Test
  public void aSortedTextFileIsWrittenWholeUnderItsUri() {
    pipeline.apply(Create.of(List.of("b,2", "a,1", "c,3"))).apply(SortedTextFile.to("mem://results/run/table.csv", "name,n"));
    pipeline.run().waitUntilFinish();

    assertEquals(List.of("mem://results/run/table.csv"), List.copyOf(MemoryFileSystem.files().keySet()));
    assertEquals("name,n\na,1\nb,2\nc,3\n", new String(MemoryFileSystem.files().get("mem://results/run/table.csv"), StandardCharsets.UTF_8));
  }

  @Test
  public void thumbnailsAreWrittenBelowAUriAndAWriteTheFilesystemRefusesIsAFailure() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    jpeg(in.resolve("train/NORMAL/a.jpeg"), 300, 200);
    jpeg(in.resolve("full/b.jpeg"), 120, 90);

    WithFailures.Result<PCollection<KV<String, String>>, Failure> written = pipeline
        .apply(FileIO.match().filepattern(in + "/**"))
        .apply(FileIO.readMatches())
        .apply(ImageThumbnails.resize().withSize(64, 64))
        .output()
        .apply(ThumbnailFiles.writeTo("mem://thumbs/out").withInputRoot(in.toString()));
    PAssert.that(written.output()).containsInAnyOrder(KV.of(in + "/train/NORMAL/a.jpeg", "mem://thumbs/out/train/NORMAL/a.png"));
    PAssert.that(written.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind() + " " + f.message())))
        .containsInAnyOrder(in + "/full/b.jpeg " + FailureKind.WRITE_FAILED + " cannot write mem://thumbs/out/full/b.png: No space left on device");
    pipeline.run().waitUntilFinish();

    // The thumbnail alone: the refused write's temporary sibling was removed, nothing else stays behind.
    assertEquals(List.of("mem://thumbs/out/train/NORMAL/a.png"), List.copyOf(MemoryFileSystem.files().keySet()));
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(MemoryFileSystem.files().get("mem://thumbs/out/train/NORMAL/a.png")));
    assertEquals(64, a.getWidth());
    assertEquals(64, a.getHeight());
  }

  private static void jpeg(Path file, int w, int h) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8);
      }
    }
    ImageIO.write(img, "jpeg", file.toFile());
  }
}
