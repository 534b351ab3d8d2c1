package dev.speedup.transforms.images;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The PNG writer a user of ImageThumbnails reuses: files that open in ordinary tools, and failures for what cannot be written. */
public class ThumbnailFilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

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

  @Test
  public void mirrorsTheInputTreeAndAThumbnailThatCannotBeWrittenIsAFailure() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    jpeg(in.resolve("train/NORMAL/a.jpeg"), 300, 200);
    jpeg(in.resolve("test/PNEUMONIA/b.jpeg"), 200, 300);
    jpeg(in.resolve("blocked.jpeg"), 100, 100);
    Path out = tmp.getRoot().toPath().resolve("out");
    Files.createDirectories(out.resolve("blocked.png")); // a folder where the file would go: the rename fails

    WithFailures.Result<PCollection<KV<String, String>>, Failure> written =
        pipeline
            .apply(FileIO.match().filepattern(in + "/**"))
            .apply(FileIO.readMatches())
            .apply(ImageThumbnails.resize().withSize(64, 64))
            .output()
            .apply(ThumbnailFiles.writeTo(out.toString()).withInputRoot(in.toString()));
    PAssert.that(written.output()).containsInAnyOrder(
        KV.of(in + "/train/NORMAL/a.jpeg", out + "/train/NORMAL/a.png"),
        KV.of(in + "/test/PNEUMONIA/b.jpeg", out + "/test/PNEUMONIA/b.png"));
    PAssert.that(written.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind())))
        .containsInAnyOrder(in + "/blocked.jpeg " + FailureKind.WRITE_FAILED);
    pipeline.run().waitUntilFinish();

    BufferedImage a = ImageIO.read(out.resolve("train/NORMAL/a.png").toFile());
    assertEquals(64, a.getWidth());
    assertEquals(64, a.getHeight());
    assertTrue(Files.isDirectory(out.resolve("blocked.png")));
  }

  @Test
  public void namesNeverLeaveTheFolder() {
    assertEquals("train/NORMAL/a.png", ThumbnailFiles.nameFor("/d/train/NORMAL/a.jpeg", "/d"));
    assertEquals("a.png", ThumbnailFiles.nameFor("/d/train/NORMAL/a.jpeg", null));
    assertEquals("noext.png", ThumbnailFiles.nameFor("/d/noext", "/d"));
    assertEquals(".hidden.png", ThumbnailFiles.nameFor("/d/.hidden", "/d"));
    assertThrows(IllegalArgumentException.class, () -> ThumbnailFiles.nameFor("/elsewhere/a.jpeg", "/d"));
    assertThrows(IllegalArgumentException.class, () -> ThumbnailFiles.writeTo(" "));
  }

  /** The shared write step: a name that climbs out of the folder fails and writes nothing; a good one is written whole. */
  @Test
  public void writeBelowKeepsEveryFileInsideTheFolder() throws Exception {
    Path in = tmp.newFolder("one").toPath();
    jpeg(in.resolve("a.jpeg"), 300, 200);
    byte[] bytes = Files.readAllBytes(in.resolve("a.jpeg"));
    Thumbnailer.Result r = Thumbnailer.thumbnail(bytes, new Thumbnailer.Settings(16, 16, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 1_000_000L));
    Thumbnail t = Thumbnail.of(in.resolve("a.jpeg").toString(), bytes.length, r, ThumbnailFn.png(r));
    Path folder = tmp.newFolder("thumbs").toPath();

    for (String escaping : new String[] {"../outside.png", "x/../../outside.png", "/tmp/absolute.png"}) {
      Failure f = ThumbnailFiles.writeBelow(folder.toString(), escaping, t, "shown-" + escaping);
      assertEquals(escaping, FailureKind.WRITE_FAILED, f.kind());
      assertTrue(f.message(), f.message().startsWith("cannot write shown-" + escaping + ": "));
    }
    assertEquals(java.util.List.of(), Files.list(tmp.getRoot().toPath()).filter(p -> p.getFileName().toString().contains("outside")).toList());

    assertEquals(null, ThumbnailFiles.writeBelow(folder.toString(), "sub/a.png", t, "sub/a.png"));
    assertEquals(16, ImageIO.read(folder.resolve("sub/a.png").toFile()).getWidth());
  }

  /**
   * Written in the step that makes them: each PNG is on disk, what comes out carries the facts (and the pixels
   * only if asked), and a write the writer refuses, or one that throws, is that file's failure.
   */
  @Test
  public void pngsWrittenInTheStepThatMakesThemLeaveOnlyTheFactsToCarry() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    jpeg(in.resolve("train/a.jpeg"), 300, 200);
    jpeg(in.resolve("refused.jpeg"), 100, 100);
    jpeg(in.resolve("throws.jpeg"), 100, 100);
    Path out = tmp.getRoot().toPath().resolve("out");
    ThumbnailFiles.PngWriter files = ThumbnailFiles.writer(out.toString(), in.toString());
    ThumbnailFiles.PngWriter writer = t -> {
      if (t.path().endsWith("throws.jpeg")) {
        throw new IllegalStateException("the writer broke");
      }
      return t.path().endsWith("refused.jpeg") ? Failure.of(t.path(), "write", FailureKind.WRITE_FAILED, null, 1, "refused") : files.write(t);
    };

    PCollection<FileIO.ReadableFile> read = pipeline.apply(FileIO.match().filepattern(in + "/**")).apply(FileIO.readMatches());
    WithFailures.Result<PCollection<Thumbnail>, Failure> bare = read.apply("Bare", ImageThumbnails.resize().withPngsWrittenBy(writer, false));
    Path out8 = tmp.getRoot().toPath().resolve("out8");
    WithFailures.Result<PCollection<Thumbnail>, Failure> kept =
        read.apply("Kept", ImageThumbnails.resize().withSize(8, 8).withPngsWrittenBy(ThumbnailFiles.writer(out8.toString(), in.toString()), true));
    PAssert.that(bare.output().apply("BareSizes", MapElements.into(TypeDescriptors.strings())
            .via(t -> t.path() + " " + t.width() + "x" + t.height() + " pixels " + t.pixels().length + " png " + t.encoded().length)))
        .containsInAnyOrder(in + "/train/a.jpeg 64x64 pixels 0 png 0");
    PAssert.that(bare.failures().apply("BareFailures", MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + " " + f.kind() + " " + f.message())))
        .containsInAnyOrder(in + "/refused.jpeg WRITE_FAILED refused",
            in + "/throws.jpeg WRITE_FAILED cannot write its thumbnail: IllegalStateException the writer broke");
    PAssert.that(kept.output().apply("KeptSizes", MapElements.into(TypeDescriptors.strings())
            .via(t -> t.path().substring(t.path().lastIndexOf('/') + 1) + " pixels " + t.pixels().length + " png " + t.encoded().length)))
        .containsInAnyOrder("a.jpeg pixels 64 png 0", "refused.jpeg pixels 64 png 0", "throws.jpeg pixels 64 png 0");
    pipeline.run().waitUntilFinish();

    assertEquals(64, ImageIO.read(out.resolve("train/a.png").toFile()).getWidth());
    assertTrue("refused before writing", !Files.exists(out.resolve("refused.png")) && !Files.exists(out.resolve("throws.png")));
    for (String name : new String[] {"train/a.png", "refused.png", "throws.png"}) {
      assertEquals(name, 8, ImageIO.read(out8.resolve(name).toFile()).getWidth());
    }
  }
}
