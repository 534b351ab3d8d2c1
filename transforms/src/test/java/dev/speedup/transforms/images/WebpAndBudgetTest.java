package dev.speedup.transforms.images;

import static dev.speedup.transforms.images.TestImages.assertCloseToFullDecode;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.Test;

/** WebP through the bundled libwebp, and the memory budget that keeps decodes within the heap. */
public class WebpAndBudgetTest {
  static BufferedImage picture(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int edge = ((x / 131 + y / 89) & 1) == 0 ? 0 : 40;
        img.setRGB(x, y, (Math.min(255, x * 200 / w + edge) << 16) | (Math.min(255, y * 200 / h + edge) << 8) | 90);
      }
    }
    return img;
  }

  /**
   * A still WebP that libwebp refuses is that file's CORRUPT_IMAGE, not a second try in the pure-Java
   * decoder (which, on a damaged 4096x4096 wallpaper, ran a 384 MB heap out of memory).
   */
  @Test
  public void aDamagedStillWebpIsCorruptAndNeverReachesThePureJavaDecoder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(picture(900, 600), "webp", out));
    byte[] file = out.toByteArray();
    assertFalse(WebpDecoder.animated(file));
    Thumbnailer.Settings s = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L);
    byte[] truncated = java.util.Arrays.copyOf(file, file.length / 2);
    byte[] badHeader = file.clone();
    for (int i = 20; i < 30; i++) {
      badHeader[i] ^= 0x5A; // the VP8 frame header: dimensions and start code
    }
    for (byte[] damaged : new byte[][] {truncated, badHeader}) {
      Thumbnailer.ImageFailure f = org.junit.Assert.assertThrows(Thumbnailer.ImageFailure.class, () -> Thumbnailer.thumbnail(damaged, s));
      assertEquals(f.getMessage(), dev.speedup.transforms.FailureKind.CORRUPT_IMAGE, f.kind());
      assertThat(f.getMessage(), containsString("libwebp"));
    }
  }

  @Test
  public void onlyTheVp8xAnimationFlagMakesAWebpAnimated() {
    byte[] header = "RIFF\0\0\0\0WEBPVP8X\n\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    assertFalse(WebpDecoder.animated(header));
    header[20] = 0x02;
    assertTrue(WebpDecoder.animated(header));
    header[20] = 0x10; // alpha only
    assertFalse(WebpDecoder.animated(header));
  }

  @Test
  public void largeWebpIsDecodedScaledByLibwebpAndAgreesWithThePureJavaDecoder() throws Exception {
    assertTrue("libwebp is bundled for this platform", WebpDecoder.available());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue("webp-imageio's writer", ImageIO.write(picture(2400, 1600), "webp", out));
    byte[] file = out.toByteArray();
    // The reference: libwebp's own decode at full size, averaged by the same accumulator. (TwelveMonkeys'
    // pure-Java VP8 decoder converts colour differently: a few levels off libwebp's, in either path.)
    int[] whole = WebpDecoder.decodeScaled(file, 2400, 1600);
    for (Thumbnailer.Color color : Thumbnailer.Color.values()) {
      Thumbnailer.Settings s = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, color, 100_000_000L);
      Thumbnailer.Result scaled = Thumbnailer.thumbnail(file, s);
      assertTrue(scaled.reducedOnLoad());
      assertEquals(2400, scaled.sourceWidth());
      assertEquals(1600, scaled.sourceHeight());
      AreaAccumulator acc = new AreaAccumulator(color.channels, 2400, 1600, 1, 1, 2400, 1600, 64, 64, Thumbnailer.Fit.STRETCH);
      RasterRows.feedArgb(whole, 2400, 1600, color, acc);
      float[][] planes = acc.result();
      byte[] reference = new byte[64 * 64 * color.channels];
      for (int i = 0; i < 64 * 64; i++) {
        for (int c = 0; c < color.channels; c++) {
          reference[i * color.channels + c] = (byte) Math.round(planes[c][i]);
        }
      }
      assertCloseToFullDecode("webp " + color, scaled.pixels(), reference);
      assertFalse(Thumbnailer.thumbnailFully(file, s).reducedOnLoad()); // and TwelveMonkeys reads it too
    }
  }

  @Test
  public void aDamagedWebpFailsAsThatFile() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(picture(600, 400), "webp", out);
    byte[] file = java.util.Arrays.copyOf(out.toByteArray(), out.size() / 2);
    Thumbnailer.ImageFailure f = org.junit.Assert.assertThrows(Thumbnailer.ImageFailure.class,
        () -> Thumbnailer.thumbnail(file, new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.STRETCH, Thumbnailer.Color.GRAY, 100_000_000L)));
    assertEquals(dev.speedup.transforms.FailureKind.CORRUPT_IMAGE, f.kind());
  }

  @Test
  public void aLeaseWaitsUntilEnoughIsGivenBack() throws Exception {
    MemoryBudget budget = new MemoryBudget("test", 100);
    MemoryBudget.Lease first = budget.acquire(70);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean admitted = new AtomicBoolean();
    Thread second = new Thread(() -> {
      started.countDown();
      try (MemoryBudget.Lease lease = budget.acquire(50)) {
        admitted.set(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    second.start();
    started.await();
    while (budget.waiting() == 0 && second.isAlive()) {
      Thread.onSpinWait(); // until the second thread is inside acquire, waiting
    }
    assertEquals("the second lease waits while 70 of 100 are out", 1, budget.waiting());
    assertFalse(admitted.get());
    first.close();
    second.join(30_000);
    assertTrue(admitted.get());
    assertEquals(100, budget.free());
    assertEquals("more than the capacity is taken as all of it", 100, budget.acquire(1_000).bytes());
    assertEquals(1, budget.subsampling(100));
    assertEquals(2, budget.subsampling(101));
    assertEquals(4, budget.subsampling(1_600));
  }

  /**
   * Eight threads decoding images whose rasters together are many times a 64 MB heap: the child JVM
   * finishes every one (the largest subsampled to fit the budget alone) instead of running out of memory.
   * Under each of the JDK's usual collectors, since the machine's ergonomics choose one: Serial and
   * Parallel place a large array only in the old generation (two thirds of the heap), so a raster still
   * referenced when the next decode is admitted fails there first.
   */
  @Test
  public void manyLargeDecodesFitASmallHeap() throws Exception {
    for (String collector : new String[] {"-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC"}) {
      String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(javaBin, "-Xmx64m", collector, "-cp", System.getProperty("java.class.path"), BudgetProbe.class.getName())
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue("the probe ends", p.waitFor(5, TimeUnit.MINUTES));
      assertEquals(collector + ": " + output, 0, p.exitValue());
      assertThat(collector, output, containsString("decoded 16 of 16"));
      assertThat(collector, output, containsString("subsampled 4")); // the 4000x3000 16-bit ones, over the budget alone
    }
  }

  /**
   * A long, narrow JPEG (256 x 40,000) is reduced at 1/2, where its cells would take about 90 MB: in a 64 MB
   * heap it goes to the full decoder instead, which subsamples it, and 4 decodes at once all finish.
   */
  @Test
  public void aLongNarrowJpegFitsASmallHeap() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("narrow", ".jpg");
    try {
      java.nio.file.Files.write(file, TestImages.jpeg(HostileJpegTest.colour(256, 40_000), 0.9f, false));
      String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(javaBin, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          BudgetProbe.class.getName(), file.toString()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue("the probe ends", p.waitFor(5, TimeUnit.MINUTES));
      assertEquals(output, 0, p.exitValue());
      assertThat(output, containsString("decoded 4 of 4"));
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
