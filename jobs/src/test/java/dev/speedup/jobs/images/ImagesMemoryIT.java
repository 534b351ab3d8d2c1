package dev.speedup.jobs.images;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The packaged jar in a 64 MB heap: the thumbnails of a run are never all in memory at once, however many files
 * there are. Before they were written in the step that makes them, the DirectRunner held every thumbnail until
 * the step writing them ran, after the last one was made: these 1,000 files (about 100 KB of pixels and PNG a
 * thumbnail) ran that heap out. Runs in the integration-test phase (failsafe), after the jar is packaged.
 */
public class ImagesMemoryIT {
  private static final Path JAR = Path.of("..").toAbsolutePath().normalize().resolve("jobs/target/speedup.jar");
  private static final int FILES = 1000;

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 300_000) // bounds the test, not a speed
  public void aThousandLargeThumbnailsFitA64MegabyteHeap() throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    Path in = tmp.newFolder("in").toPath();
    // Noise: a PNG of it does not compress, so each 128x128 RGB thumbnail holds about 100 KB.
    BufferedImage noise = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(5);
    for (int y = 0; y < noise.getHeight(); y++) {
      for (int x = 0; x < noise.getWidth(); x++) {
        noise.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    Path source = tmp.getRoot().toPath().resolve("noise.jpeg");
    ImageIO.write(noise, "jpeg", source.toFile());
    for (int i = 0; i < FILES; i++) {
      Files.createLink(in.resolve("img" + i + ".jpeg"), source);
    }
    Path out = tmp.getRoot().toPath().resolve("out");
    Path log = tmp.getRoot().toPath().resolve("run.log");

    Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar", JAR.toString(),
        "images", "--input=" + in, "--output=" + out, "--width=128", "--height=128", "--color=rgb",
        "--runner=DirectRunner", "--targetParallelism=2")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue("the run ends", run.waitFor(240, TimeUnit.SECONDS));
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(output, 0, run.exitValue());

    List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
    assertEquals(output, FILES + 1, manifest.size());
    try (Stream<Path> pngs = Files.list(out.resolve("images"))) {
      assertEquals(FILES, pngs.filter(p -> p.toString().endsWith(".png")).count());
    }
    BufferedImage first = ImageIO.read(out.resolve("images/img0.png").toFile());
    assertEquals(128, first.getWidth());
    assertEquals(3, first.getColorModel().getNumColorComponents());
  }

  /**
   * Thumbnails whose own memory (area sums, pixels, PNG: about 18 MB at 1000x1000 RGB) is a good part of the heap
   * take their turn: with 8 workers in a 64 MB heap the jar before the thumbnails' budget ground to a halt (15 of
   * 40 files in 15 minutes); now they are made one at a time, every one of them.
   */
  @Test(timeout = 300_000) // bounds the test, not a speed
  public void largeThumbnailsTakeTurnsInA64MegabyteHeapWithEightWorkers() throws Exception {
    Path in = photos(16);
    Path out = tmp.getRoot().toPath().resolve("large");
    String output = run(in, out, "--width=1000", "--height=1000", "--color=rgb", "--targetParallelism=8");

    try (Stream<Path> pngs = Files.list(out.resolve("images"))) {
      assertEquals(output, 16, pngs.filter(p -> p.toString().endsWith(".png")).count());
    }
    BufferedImage first = ImageIO.read(out.resolve("images/photo0.png").toFile());
    assertEquals(1000, first.getWidth());
    assertEquals(1000, first.getHeight());
  }

  /** A thumbnail size no heap share can hold: each file fails, saying so, and the run goes on to account for all. */
  @Test(timeout = 300_000)
  public void aThumbnailSizeTheHeapCannotHoldFailsEachFileWithTheReason() throws Exception {
    Path in = photos(4);
    Path out = tmp.getRoot().toPath().resolve("too-large");
    String output = run(in, out, "--width=1400", "--height=1400", "--color=rgb", "--targetParallelism=8", "--maxFailures=100%");

    List<String> failures = Files.readAllLines(out.resolve("failures.jsonl"));
    assertEquals(output, 4, failures.size());
    for (String line : failures) {
      assertTrue(line, line.contains("\"kind\":\"TOO_LARGE\"") && line.contains("a 1400x1400 rgb thumbnail needs about")
          && line.contains("raise -Xmx or ask for a smaller size"));
    }
    assertEquals(output, 1, Files.readAllLines(out.resolve("manifest.csv")).size());
    String summary = Files.readString(out.resolve("summary.json"));
    assertTrue(summary, summary.contains("\"inputs\" : 4") && summary.contains("\"failed\" : 4") && summary.contains("\"reconciled\" : true"));
  }

  /** {@code n} photo-sized (1200x900) JPEGs of noise, which no decoder reduces on load for a large thumbnail. */
  private Path photos(int n) throws Exception {
    Path in = tmp.newFolder("photos").toPath();
    Random random = new Random(7);
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      ImageIO.write(img, "jpeg", in.resolve("photo" + i + ".jpeg").toFile());
    }
    return in;
  }

  /** Runs {@code images} from the jar in a 64 MB heap; its output, after asserting it exited 0. */
  private String run(Path in, Path out, String... flags) throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    Path log = tmp.getRoot().toPath().resolve(out.getFileName() + ".log");
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-jar", JAR.toString(), "images", "--input=" + in, "--output=" + out, "--runner=DirectRunner"));
    command.addAll(List.of(flags));
    Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = run.waitFor(240, TimeUnit.SECONDS);
    if (!ended) {
      run.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue("the run ends: " + output, ended);
    assertEquals(output, 0, run.exitValue());
    return output;
  }
}
