package dev.speedup.transforms.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.fixtures.XrayImage;
import dev.speedup.transforms.Failure;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ImageThumbnailsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  public void everyFileEndsAsAThumbnailOrAFailureWithItsKind() throws Exception {
    Path dir = tmp.newFolder("in").toPath();
    List<XrayCorpus.Entry> entries = XrayCorpus.plan(50, 11);
    byte[] large = XrayImage.jpeg(XrayImage.draw(entries.stream().filter(e -> e.width() > 1200).findFirst().orElseThrow(), 11), 0.85f);
    Files.write(dir.resolve("large.jpeg"), large);
    Files.write(dir.resolve("gradient.png"), TestImages.encode(TestImages.gray(300, 200, (x, y) -> x % 256), "png"));
    Files.write(dir.resolve("truncated.jpeg"), Arrays.copyOf(large, large.length / 2));
    Files.write(dir.resolve("empty.jpeg"), new byte[0]);
    Files.write(dir.resolve("notes.jpeg"), "patient notes, not an image".getBytes(StandardCharsets.UTF_8));
    byte[] bomb = TestImages.jpeg(TestImages.gray(64, 64, (x, y) -> x), 0.9f, false);
    for (int i = 2; i < bomb.length - 8; i++) {
      if ((bomb[i] & 0xFF) == 0xFF && (bomb[i + 1] & 0xFF) == 0xC0) {
        ByteBuffer.wrap(bomb, i + 5, 4).putShort((short) 30000).putShort((short) 30000);
        break;
      }
    }
    Files.write(dir.resolve("bomb.jpeg"), bomb);

    WithFailures.Result<PCollection<Thumbnail>, Failure> r =
        pipeline
            .apply(FileIO.match().filepattern(dir + "/*"))
            .apply(FileIO.readMatches())
            .apply(ImageThumbnails.resize().withSize(32, 24));
    PAssert.that(r.output())
        .satisfies(
            thumbs -> {
              int n = 0;
              for (Thumbnail t : thumbs) {
                n++;
                assertEquals(32, t.width());
                assertEquals(24, t.height());
                assertEquals(32 * 24, t.pixels().length);
                try {
                  java.awt.image.BufferedImage png = ImageIO.read(new ByteArrayInputStream(t.encoded()));
                  assertEquals(32, png.getWidth());
                  assertEquals(t.pixels()[5] & 0xFF, png.getRaster().getSample(5, 0, 0));
                } catch (java.io.IOException e) {
                  throw new AssertionError(e);
                }
                if (name(t.path()).equals("large.jpeg")) {
                  assertTrue(t.reducedOnLoad());
                  assertEquals(large.length, t.bytes());
                }
              }
              assertEquals(2, n);
              return null;
            });
    PAssert.that(r.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> name(f.input()) + " " + f.stage() + " " + f.kind())))
        .containsInAnyOrder(
            "truncated.jpeg decode CORRUPT_IMAGE",
            "empty.jpeg decode EMPTY_FILE",
            "notes.jpeg decode NOT_AN_IMAGE",
            "bomb.jpeg decode TOO_MANY_PIXELS");
    PCollection<String> all =
        PCollectionList.of(r.output().apply("OkNames", MapElements.into(TypeDescriptors.strings()).via(Thumbnail::path)))
            .and(r.failures().apply("FailedNames", MapElements.into(TypeDescriptors.strings()).via(Failure::input)))
            .apply(Flatten.pCollections());
    PAssert.thatSingleton(all.apply(Count.globally())).isEqualTo(6L);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(6, counter(result, "files"));
    assertEquals(2, counter(result, "thumbnails"));
    assertEquals(1, counter(result, "failures_TOO_MANY_PIXELS"));
  }

  @Test
  public void aCompressedFileIsReadWholeThoughLongerThanListed() throws Exception {
    // The listing gives the gzip file's size; the channel gives the (longer) decompressed bytes.
    Path dir = tmp.newFolder("gz").toPath();
    byte[] png = TestImages.encode(TestImages.gray(300, 200, (x, y) -> (x * 7 + y * 3) % 256), "png");
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("scan.png.gz")))) {
      gz.write(png);
    }
    assertTrue(Files.size(dir.resolve("scan.png.gz")) < png.length);
    assertReadWhole(dir, png); // readMatches' AUTO compression: decompressed by extension
  }

  @Test
  public void aFileOfManyReadSlicesIsReadWhole() throws Exception {
    // Noise does not compress: a PNG several times the size one read asks for.
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    byte[] png = TestImages.encode(TestImages.gray(1000, 900, (x, y) -> random.nextInt(256)), "png");
    assertTrue(png.length > 3 * ThumbnailFn.READ_SLICE);
    Path dir = tmp.newFolder("large").toPath();
    Files.write(dir.resolve("noise.png"), png);
    assertReadWhole(dir, png);
  }

  /** The one file in {@code dir}, through the transform, is read as all of {@code png}'s bytes and thumbnailed as they are. */
  private void assertReadWhole(Path dir, byte[] png) throws Exception {
    byte[] expected = Thumbnailer.thumbnail(png, new Thumbnailer.Settings(16, 16, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 1_000_000)).pixels();
    int length = png.length;
    WithFailures.Result<PCollection<Thumbnail>, Failure> r =
        pipeline.apply(FileIO.match().filepattern(dir + "/*")).apply(FileIO.readMatches()).apply(ImageThumbnails.resize().withSize(16, 16));
    PAssert.thatSingleton(r.output())
        .satisfies(
            t -> {
              assertEquals(length, t.bytes());
              assertTrue(Arrays.equals(expected, t.pixels()));
              return null;
            });
    PAssert.that(r.failures()).empty();
    pipeline.run().waitUntilFinish();
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics()
        .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ImageThumbnails.class, name)).build())
        .getCounters()) {
      total += c.getCommitted();
    }
    return total;
  }

  @Test
  public void badSettingsAreRefusedNamingParameterValueAndRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageThumbnails.resize().withSize(0, 64));
    assertThat(e.getMessage(), containsString("width must be 1..4096, got 0"));
    e = assertThrows(IllegalArgumentException.class, () -> ImageThumbnails.resize().withMaxPixels(0));
    assertThat(e.getMessage(), containsString("maxPixels"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void displayDataNamesTheSettings() {
    String data = org.apache.beam.sdk.transforms.display.DisplayData.from(
        ImageThumbnails.resize().withSize(32, 48).withFit(Thumbnailer.Fit.COVER).withMaxPixels(1234)).toString();
    assertThat(data, containsString("size=32x48"));
    assertThat(data, containsString("fit=COVER"));
    assertThat(data, containsString("color=GRAY"));
    assertThat(data, containsString("maxPixels=1234"));
  }
}
