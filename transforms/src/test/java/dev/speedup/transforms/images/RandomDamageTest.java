package dev.speedup.transforms.images;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.Test;

/**
 * Files damaged at random, as disks, transfers and crafted uploads damage them: bits flipped, header bytes set to
 * edge values, cut short, a stretch repeated or blanked. Each must give a thumbnail or fail as that file
 * ({@link Thumbnailer.ImageFailure}); any other exception or error would stop a job. (The same mutations, a
 * hundred thousand of them on 33 files made by libjpeg, libpng, libwebp and Pillow, are in docs/benchmarks.md.)
 */
public class RandomDamageTest {
  private static final int MUTANTS_PER_FILE = 60;

  private static byte[] write(BufferedImage image, String format, boolean progressive) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (progressive) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static BufferedImage convert(BufferedImage rgb, int type) {
    BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), type);
    out.getGraphics().drawImage(rgb, 0, 0, null);
    return out;
  }

  /** One file of each path a decode can take: reduced JPEGs, streamed PNGs, libwebp, and ImageIO's formats. */
  private static Map<String, byte[]> files() throws Exception {
    BufferedImage rgb = PngStreamTest.picture(BufferedImage.TYPE_INT_RGB, 240, 180);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("baseline.jpg", write(rgb, "jpeg", false));
    files.put("progressive.jpg", write(rgb, "jpeg", true));
    files.put("gray.jpg", write(convert(rgb, BufferedImage.TYPE_BYTE_GRAY), "jpeg", false));
    files.put("rgb.png", PngStreamTest.everyFilter(write(rgb, "png", false)));
    files.put("rgba.png", PngStreamTest.everyFilter(write(PngStreamTest.picture(BufferedImage.TYPE_INT_ARGB, 240, 180), "png", false)));
    files.put("palette.png", write(convert(rgb, BufferedImage.TYPE_BYTE_INDEXED), "png", false));
    files.put("interlaced.png", write(rgb, "png", true));
    files.put("lossy.webp", write(rgb, "webp", false));
    files.put("bmp", write(rgb, "bmp", false));
    files.put("gif", write(convert(rgb, BufferedImage.TYPE_BYTE_INDEXED), "gif", false));
    files.put("tiff", write(rgb, "tiff", false));
    return files;
  }

  static byte[] damage(byte[] file, SplittableRandom r) {
    byte[] m = file.clone();
    switch (r.nextInt(6)) {
      case 0 -> {
        for (int k = 1 + r.nextInt(8); k > 0; k--) {
          m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> {
        int[] edges = {0, 0xFF, 0x7F, 0x80, 1, 0xFE};
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
          m[r.nextInt(Math.min(m.length, 600))] = (byte) edges[r.nextInt(edges.length)];
        }
      }
      case 2 -> m = Arrays.copyOf(m, 1 + r.nextInt(m.length));
      case 3 -> {
        int at = r.nextInt(m.length);
        int len = 1 + r.nextInt(Math.min(4096, m.length - at));
        byte[] longer = new byte[m.length + len];
        System.arraycopy(m, 0, longer, 0, at + len);
        System.arraycopy(m, at, longer, at + len, m.length - at);
        m = longer;
      }
      case 4 -> {
        int at = r.nextInt(Math.min(m.length, 600));
        for (int k = 0; k < 1 + r.nextInt(3) && at + k < m.length; k++) {
          m[at + k] = (byte) r.nextInt(256);
        }
      }
      default -> {
        int at = r.nextInt(m.length);
        Arrays.fill(m, at, at + Math.min(m.length - at, 1 + r.nextInt(2048)), (byte) (r.nextBoolean() ? 0 : 0xFF));
      }
    }
    return m;
  }

  /** A PNG's chunk checksums made right again, so that the damage reaches the decoder instead of the CRC check. */
  static void fixChunkCrcs(byte[] png) {
    int at = 8;
    while (at + 12 <= png.length) {
      long length = ((png[at] & 0xFFL) << 24) | ((png[at + 1] & 0xFF) << 16) | ((png[at + 2] & 0xFF) << 8) | (png[at + 3] & 0xFF);
      if (length > png.length - at - 12) {
        return;
      }
      CRC32 crc = new CRC32();
      crc.update(png, at + 4, (int) length + 4);
      int end = at + 8 + (int) length;
      int value = (int) crc.getValue();
      png[end] = (byte) (value >>> 24);
      png[end + 1] = (byte) (value >>> 16);
      png[end + 2] = (byte) (value >>> 8);
      png[end + 3] = (byte) value;
      at = end + 4;
    }
  }

  @Test(timeout = 300_000) // a guard against a decoder that loops, not a measure of speed
  public void aRandomlyDamagedFileGivesAThumbnailOrFailsAsThatFile() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> escaped = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(16);
    for (Map.Entry<String, byte[]> file : files().entrySet()) {
      for (int i = 0; i < MUTANTS_PER_FILE; i++) {
        byte[] damaged = damage(file.getValue(), random);
        if (file.getKey().endsWith(".png") && random.nextInt(4) != 0) {
          fixChunkCrcs(damaged);
        }
        Thumbnailer.Settings s = new Thumbnailer.Settings(64, 64, Thumbnailer.Fit.values()[random.nextInt(Thumbnailer.Fit.values().length)],
            random.nextBoolean() ? Thumbnailer.Color.GRAY : Thumbnailer.Color.RGB, 100_000_000L);
        String outcome;
        try {
          Thumbnailer.Result r = Thumbnailer.thumbnail(damaged, s);
          assertTrue(file.getKey(), r.pixels().length == r.width() * r.height() * r.channels());
          outcome = "thumbnail";
        } catch (Thumbnailer.ImageFailure e) {
          outcome = e.kind().name();
        } catch (Throwable t) { // the point of the test: nothing else may come out
          escaped.add(file.getKey() + " mutant " + i + ": " + t);
          outcome = "escaped";
        }
        outcomes.merge(outcome, 1, Integer::sum);
      }
    }
    if (!escaped.isEmpty()) {
      fail(escaped.size() + " damaged files escaped as exceptions: " + escaped.subList(0, Math.min(5, escaped.size())));
    }
    // The damage reached the decoders: some files decoded despite it and some failed.
    assertTrue(outcomes.toString(), outcomes.getOrDefault("thumbnail", 0) > 0 && outcomes.getOrDefault("CORRUPT_IMAGE", 0) > 0);
  }
}
